import { describe, it, expect } from 'vitest';
import React from 'react';
import { EventEmitter } from 'node:events';
import { render, Box, Text } from 'ink';
import { lineSpans } from '../../src/tui/line-spans.js';
import { ScreenLine } from '../../src/tui/screen-line.js';
import { initialState, reducer } from '../../src/tui/state.js';
import { renderScreen } from '../../src/tui/views/screen.js';
import { makeTheme } from '../../src/render/theme.js';
import { stripAnsi } from '../../src/render/text.js';
import type { DagTask, TaskLive } from '../../src/tui/types.js';

const G = '\x1b[32m';
const FG_OFF = '\x1b[39m';

describe('lineSpans', () => {
  it('leaves long unstyled blank runs to the layout and keeps every printed piece with its codes', () => {
    const line = `${G}ok${FG_OFF}      \x1b[31mbad${FG_OFF}   x  y    `;
    expect(lineSpans(line)).toEqual([
      { gap: 0, text: `${G}ok${FG_OFF}` },
      { gap: 6, text: `\x1b[31mbad${FG_OFF}   x  y` },
    ]);
  });

  it('never cuts where an attribute is on (the piece after a gap would lose it)', () => {
    expect(lineSpans(`${G}ok      done${FG_OFF}`)).toEqual([{ gap: 0, text: `${G}ok      done${FG_OFF}` }]);
    // bold stays on after the colour ends
    expect(lineSpans(`\x1b[1;32mA\x1b[39m      B\x1b[22m`)).toHaveLength(1);
    // an inverse selection bar: its blanks are drawn
    expect(lineSpans(`\x1b[7m t0      \x1b[27m      z`)).toEqual([
      { gap: 0, text: `\x1b[7m t0      \x1b[27m` },
      { gap: 6, text: 'z' },
    ]);
    // 256 colours: "5" is the mode, not blink; a reset ends everything
    expect(lineSpans(`\x1b[38;5;12mA${FG_OFF}      B`)).toHaveLength(2);
    expect(lineSpans(`\x1b[4;7mA\x1b[0m      B`)).toHaveLength(2);
    // an unknown attribute counts as on until a reset
    expect(lineSpans(`\x1b[53mA      B\x1b[0m      C`)).toEqual([
      { gap: 0, text: `\x1b[53mA      B\x1b[0m` },
      { gap: 6, text: 'C' },
    ]);
  });

  it('leading blanks become the first gap; codes with nothing printed in a blank run are dropped', () => {
    expect(lineSpans(`      \x1b[2m\x1b[22m      x`)).toEqual([{ gap: 12, text: 'x' }]);
    expect(lineSpans(' '.repeat(80))).toEqual([]);
    expect(lineSpans('')).toEqual([]);
  });

  it('short blank runs stay inside a piece', () => {
    expect(lineSpans('a b  c   d')).toEqual([{ gap: 0, text: 'a b  c   d' }]);
  });
});

class FakeStdout extends EventEmitter {
  readonly isTTY = true;
  last = '';
  /** Set before unmount: in CI (is-in-ci) Ink writes a bare "\n" then, which is not a frame. */
  closed = false;
  constructor(
    public columns: number,
    public rows: number,
  ) {
    super();
  }
  write = (s: string): boolean => {
    // debug mode writes each whole frame; unmount then shows the cursor
    if (!this.closed && s.includes('\n')) this.last = s;
    return true;
  };
}

/** What Ink prints for `lines`, drawn either as one Text a line (as before) or as ScreenLines. */
async function inkFrame(lines: string[], columns: number, asPieces: boolean): Promise<string> {
  const stdout = new FakeStdout(columns, lines.length + 1);
  const el = (
    <Box flexDirection="column" height={lines.length} overflow={asPieces ? undefined : 'hidden'} overflowY={asPieces ? 'hidden' : undefined}>
      {lines.map((l, i) => (asPieces ? <ScreenLine key={i} text={l} width={columns} /> : <Text key={i} wrap="truncate-end">{l}</Text>))}
    </Box>
  );
  const app = render(el, { stdout: stdout as unknown as NodeJS.WriteStream, debug: true, exitOnCtrlC: false, patchConsole: false });
  await new Promise((r) => setTimeout(r, 20));
  stdout.closed = true;
  app.unmount();
  return stdout.last;
}

function dagState(cols: number, rows: number) {
  const tasks: DagTask[] = [];
  for (let i = 0; i < 50; i++) {
    const layer = Math.floor(i / 5);
    const deps = layer === 0 ? [] : [`t${(layer - 1) * 5 + (i % 5)}`, `t${(layer - 1) * 5 + ((i + 2) % 5)}`];
    tasks.push({ id: `t${i}`, name: `t${i}`, deps, type: 'SHELL', indent: 0, maxAttempts: 2 });
  }
  const live: Record<string, TaskLive> = {};
  tasks.forEach((t, i) => {
    if (i < 8) live[t.id] = { state: 'SUCCESS', attempt: 1, start: 0, end: 1000 + i * 37 };
    else if (i < 10) live[t.id] = { state: 'RUNNING_EXECUTION', attempt: 2, start: 1000, progress: { done: i, total: 40, label: 'symbols' } };
    else if (i < 12) live[t.id] = { state: 'FAILURE', attempt: 2, start: 0, end: 900, message: 'exit code 1' };
  });
  const s = reducer(initialState({ cols, rows }), { type: 'open-dag', file: '/b.yaml', workflow: 'bench50', tasks, params: { day: '2026-01-01' }, runId: 1, runState: 'RUNNING_EXECUTION', live });
  return { ...s, activeRuns: [1], spinner: 3 };
}

describe('ScreenLine', () => {
  const theme = makeTheme({ color: true });

  it.each([
    [80, 24],
    [120, 40],
  ])('Ink prints the same bytes as one Text a line: DAG in colour, its help overlay, odd lines (%ix%i)', async (cols, rows) => {
    const s = dagState(cols, rows);
    const screens = [
      renderScreen(s, theme, 5000),
      renderScreen(reducer(s, { type: 'overlay', overlay: { kind: 'help' } }), theme, 5000),
      renderScreen(reducer(s, { type: 'toggle-layout' }), theme, 5000),
      [
        `${G}浦发银行${FG_OFF}        600000      \x1b[7m  sel  \x1b[27m      end`,
        `\x1b[38;5;208morange${FG_OFF}          \x1b[48;5;17m  bg      \x1b[49m          x`,
        `${G}ok      done${FG_OFF}      \x1b[1mbold      \x1b[32mgreen\x1b[39m      still bold\x1b[22m`,
        '      leading blanks',
        ' '.repeat(cols),
        `a line wider than the screen ${'x'.repeat(cols)}`,
      ],
    ];
    for (const lines of screens) {
      const before = await inkFrame(lines, cols, false);
      const after = await inkFrame(lines, cols, true);
      expect(before.split('\n').length).toBeGreaterThanOrEqual(lines.length);
      expect(stripAnsi(after)).toBe(stripAnsi(before));
      expect(after).toBe(before);
    }
  });
});
