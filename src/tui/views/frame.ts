/**
 * The frame around a screen: tab bar, body, status line and help bar; overlays (help, confirm,
 * text input, params) drawn over the body. The whole frame is rows-1 lines (Ink 6.8 clears the
 * terminal on every frame once the output reaches the terminal height).
 */
import type { State } from '../state.js';
import { SCREEN_ORDER, bindingsFor, keyLabel, type Screen } from '../keys.js';
import { fit, visibleWidth } from '../../render/text.js';
import { SPINNER_FRAMES } from '../../render/status.js';
import type { Theme } from '../../render/theme.js';

export const MIN_COLS = 80;
export const MIN_ROWS = 24;

const TITLES: Record<Screen, string> = {
  workflows: 'Workflows',
  dag: 'DAG',
  log: 'Log',
  runs: 'Runs',
  market: 'Market',
  patterns: 'Patterns',
  picks: 'Picks',
  model: 'Model',
};

const SHORT: Partial<Record<Screen, string>> = { workflows: 'Flows' };

export function tabBar(s: State, theme: Theme, width: number): string {
  const narrow = width < 110;
  const tabs = SCREEN_ORDER.map((sc, i) => {
    const t = `${i + 1} ${(narrow && SHORT[sc]) || TITLES[sc]}`;
    if (narrow) return sc === s.screen ? theme.paint('sel', `[${t}]`) : ` ${t}`;
    return sc === s.screen ? theme.paint('sel', `[${t}]`) : ` ${t} `;
  }).join(narrow ? '' : '');
  const right = s.activeRuns.length
    ? theme.paint('run', `${SPINNER_FRAMES[s.spinner % SPINNER_FRAMES.length]} ${s.activeRuns.length} running`)
    : theme.paint('dim', 'idle');
  const left = theme.paint('title', narrow ? 'qf ' : 'quantflow ') + tabs;
  const gap = width - visibleWidth(left) - visibleWidth(right);
  return gap >= 1 ? left + ' '.repeat(gap) + right : fit(left, width);
}

export function helpBar(s: State, theme: Theme, width: number): string {
  if (s.overlay?.kind === 'input') return fit(theme.paint('dim', 'enter: accept • esc: cancel'), width);
  if (s.overlay?.kind === 'confirm') return fit(theme.paint('dim', 'y: yes • n/esc: no'), width);
  if (s.overlay) return fit(theme.paint('dim', 'esc: close'), width);
  const parts = bindingsFor(s.screen)
    .filter((b) => b.bar)
    .map((b) => `${keyLabel(b.keys[0]!)}: ${b.help.split(' (')[0]}`);
  return fit(theme.paint('dim', parts.join(' • ')), width);
}

export function statusLine(s: State, theme: Theme, width: number): string {
  const tok = s.status.level === 'err' ? 'err' : s.status.level === 'warn' ? 'warn' : 'info';
  return fit(s.status.text ? theme.paint(tok, s.status.text) : '', width);
}

function box(title: string, body: string[], width: number, theme: Theme): string[] {
  const w = Math.min(width - 4, Math.max(visibleWidth(title) + 6, ...body.map((b) => visibleWidth(b) + 4)));
  const top = `┌─ ${title} ${'─'.repeat(Math.max(0, w - visibleWidth(title) - 5))}┐`;
  const lines = [top, ...body.map((b) => `│ ${fit(b, w - 4)} │`), `└${'─'.repeat(w - 2)}┘`];
  return lines.map((l) => theme.paint('accent', '') + l);
}

export function overlayLines(s: State, theme: Theme, width: number, height: number): string[] | undefined {
  const o = s.overlay;
  if (!o) return undefined;
  if (o.kind === 'help') {
    const items = bindingsFor(s.screen).map((b) => `${b.keys.map(keyLabel).join('/').padEnd(9)} ${b.help}`);
    const colW = Math.floor((width - 8) / 2);
    const perCol = Math.max(1, Math.min(height - 4, Math.ceil(items.length / 2)));
    const body: string[] = [];
    for (let i = 0; i < perCol; i++) body.push(fit(items[i] ?? '', colW) + ' ' + fit(items[i + perCol] ?? '', colW));
    if (items.length > perCol * 2) body[body.length - 1] = fit(`… ${items.length - perCol * 2} more`, colW * 2);
    return box(`keys: ${TITLES[s.screen]} (esc closes)`, body, width, theme);
  }
  if (o.kind === 'confirm') return box(o.title, [...o.lines, '', 'y: yes   n/esc: no'], width, theme);
  if (o.kind === 'input') return box(o.label, [`${o.text}█`], width, theme);
  if (o.kind === 'params') {
    const all = { ...s.dag.paramDefaults, ...s.dag.params };
    const keys = Object.keys(all);
    const body = keys.length
      ? keys.map((k, i) => `${i === o.sel ? '›' : ' '} ${k} = ${all[k]}${s.dag.params[k] !== undefined && s.dag.params[k] !== s.dag.paramDefaults[k] ? '  (edited)' : ''}`)
      : ['this workflow has no params'];
    body.push('', 'enter: edit • r: run with these • esc: close');
    return box('start-up params', body, width, theme);
  }
  return undefined;
}

/** Draws `over` centred on `base` (both plain width-exact lines). */
export function compose(base: string[], over: string[] | undefined, width: number): string[] {
  if (!over) return base;
  const out = [...base];
  const top = Math.max(0, Math.floor((base.length - over.length) / 3));
  const w = Math.max(...over.map((l) => visibleWidth(l)));
  const left = Math.max(0, Math.floor((width - w) / 2));
  over.forEach((l, i) => {
    if (top + i < out.length) out[top + i] = fit(' '.repeat(left) + l, width);
  });
  return out;
}

export function tooSmall(cols: number, rows: number): string[] {
  const lines = [`quantflow needs a terminal of at least ${MIN_COLS}x${MIN_ROWS}.`, `This one is ${cols}x${rows}: please resize it (q quits).`];
  return lines.map((l) => l.slice(0, Math.max(1, cols - 1)));
}
