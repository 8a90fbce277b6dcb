/**
 * A glyph, a colour token and a label for every task and workflow state (the names of
 * src/workflow/states.ts, plus PENDING for a task with no instance yet). render/ takes plain
 * strings and imports no domain module; test/render/status.test.ts checks every state is covered.
 */
import type { Theme, Token } from './theme.js';

export interface StatusStyle {
  glyph: string;
  token: Token;
  label: string;
}

export const STATUS_STYLES: Record<string, StatusStyle> = {
  PENDING: { glyph: '○', token: 'dim', label: 'pending' },
  SUBMITTED_SUCCESS: { glyph: '◌', token: 'info', label: 'queued' },
  DELAY_EXECUTION: { glyph: '◔', token: 'warn', label: 'delayed' },
  RUNNING_EXECUTION: { glyph: '●', token: 'run', label: 'running' },
  SUCCESS: { glyph: '✔', token: 'ok', label: 'success' },
  FAILURE: { glyph: '✖', token: 'err', label: 'failed' },
  KILL: { glyph: '⊗', token: 'err', label: 'killed' },
  NEED_FAULT_TOLERANCE: { glyph: '!', token: 'warn', label: 'needs recovery' },
  FORCED_SUCCESS: { glyph: '✓', token: 'ok', label: 'forced success' },
  SKIPPED: { glyph: '⊘', token: 'dim', label: 'skipped' },
  NOT_RUN: { glyph: '-', token: 'dim', label: 'not run' },
  SERIAL_WAIT: { glyph: '◷', token: 'info', label: 'waiting (serial)' },
  STOP: { glyph: '◼', token: 'warn', label: 'stopped' },
  RETRYING: { glyph: '↻', token: 'warn', label: 'retrying' },
  INVALID: { glyph: '✖', token: 'err', label: 'invalid' },
};

export const SPINNER_FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'] as const;

export function statusStyle(state: string): StatusStyle {
  return STATUS_STYLES[state] ?? { glyph: '?', token: 'dim', label: state.toLowerCase() };
}

/** The coloured glyph of a state; a running state shows the spinner frame when one is given. */
export function statusGlyph(state: string, theme: Theme, spinnerFrame?: number): string {
  const st = statusStyle(state);
  const g =
    state === 'RUNNING_EXECUTION' && spinnerFrame !== undefined ? SPINNER_FRAMES[spinnerFrame % SPINNER_FRAMES.length]! : st.glyph;
  return theme.paint(st.token, g);
}
