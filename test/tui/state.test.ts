import { describe, it, expect } from 'vitest';
import { initialState, reducer, listHeight, windowed, type State } from '../../src/tui/state.js';
import { BINDINGS, Command, keyName, resolveKey, bindingsFor, SCREEN_ORDER } from '../../src/tui/keys.js';
import type { EngineEvent } from '../../src/tui/engine-events.js';
import { Coalescer } from '../../src/tui/engine-events.js';
import type { DagTask } from '../../src/tui/types.js';

const tasks: DagTask[] = ['a', 'b', 'sub', 'sub/x'].map((id, i) => ({
  id,
  name: id.split('/').pop()!,
  deps: i === 0 ? [] : [i === 3 ? 'sub' : 'a'],
  type: id === 'sub' ? 'SUB_PROCESS' : 'SHELL',
  indent: id.includes('/') ? 1 : 0,
  parent: id.includes('/') ? 'sub' : undefined,
  maxAttempts: 3,
}));

function withDag(runId = 7): State {
  return reducer(initialState(), { type: 'open-dag', file: '/w.yaml', workflow: 'w', tasks, params: { n: '1' }, runId });
}

const task = (p: Partial<EngineEvent & { kind: 'task' }>): EngineEvent =>
  ({ kind: 'task', runId: 7, workflow: 'w', taskInstanceId: 1, name: 'a', type: 'SHELL', state: 'RUNNING_EXECUTION', attempt: 1, time: 1000, ...p }) as EngineEvent;

describe('reducer', () => {
  it('shows a workflow timeout alert on the status line, whatever the screen, and keeps the run going', () => {
    let s = reducer(withDag(), { type: 'engine', events: [{ kind: 'run', runId: 7, workflow: 'w', state: 'RUNNING_EXECUTION', time: 900 }] });
    s = reducer(s, { type: 'screen', screen: 'market' });
    s = reducer(s, { type: 'engine', events: [{ kind: 'alert', alert: 'timeout', runId: 7, workflow: 'w', message: 'WARN: workflow w (run 7) exceeded its timeout of 1 min', time: 61_000 }] });
    expect(s.status).toEqual({ text: '⚠ run #7 w: exceeded its timeout, still running', level: 'warn' });
    expect(s.activeRuns).toEqual([7]);
  });

  it('applies a batch of engine events to the live DAG, including a sub-workflow and retries', () => {
    let s = withDag();
    s = reducer(s, {
      type: 'engine',
      events: [
        { kind: 'run', runId: 7, workflow: 'w', state: 'RUNNING_EXECUTION', time: 900 },
        task({ time: 1000 }),
        task({ state: 'SUCCESS', time: 3000 }),
        task({ name: 'sub', type: 'SUB_PROCESS', taskInstanceId: 2, childRunId: 8 }),
        task({ runId: 8, parentRunId: 7, workflow: 'child', name: 'x', taskInstanceId: 3, state: 'FAILURE' }),
        task({ name: 'b', taskInstanceId: 4, state: 'FAILURE', attempt: 1 }),
        task({ name: 'b', taskInstanceId: 5, state: 'RUNNING_EXECUTION', attempt: 2, time: 5000 }),
        { kind: 'progress', runId: 7, taskInstanceId: 5, name: 'b', done: 3, total: 4, label: 'symbols', time: 5100 },
        { kind: 'step', runId: 7, taskInstanceId: 5, name: 'b', step: 'Train', status: 'Executing', time: 5200 },
        task({ runId: 99, name: 'a', state: 'FAILURE' }), // another run: ignored
      ],
    });
    expect(s.activeRuns).toEqual([7]);
    expect(s.dag.live.a).toMatchObject({ state: 'SUCCESS', start: 1000, end: 3000 });
    expect(s.dag.live['sub/x']!.state).toBe('FAILURE');
    expect(s.dag.live.b).toMatchObject({ state: 'RUNNING_EXECUTION', attempt: 2, start: 5000, progress: { done: 3, total: 4 } });
    expect(s.dag.live.b!.steps).toEqual([{ name: 'Train', status: 'Executing', detail: undefined }]);
    s = reducer(s, { type: 'engine', events: [{ kind: 'run', runId: 7, workflow: 'w', state: 'FAILURE', time: 6000 }] });
    expect(s.activeRuns).toEqual([]);
    expect(s.dag.runState).toBe('FAILURE');
  });

  it('keeps the selection inside the list and the window around it', () => {
    expect(windowed({ sel: 0, top: 0 }, 100, 10, 15)).toEqual({ sel: 15, top: 6 });
    expect(windowed({ sel: 15, top: 6 }, 100, 10, -10)).toEqual({ sel: 5, top: 5 });
    expect(windowed({ sel: 5, top: 5 }, 100, 10, 0, 999)).toEqual({ sel: 99, top: 90 });
    let s = withDag();
    s = reducer(s, { type: 'move', delta: 10 });
    expect(s.dag.sel).toBe(3);
    s = reducer(s, { type: 'move', delta: -10 });
    expect(s.dag.sel).toBe(0);
  });

  it('tails a log in follow mode, stops following on scroll up, searches with n/N', () => {
    let s = reducer(withDag(), { type: 'open-log', runId: 7, task: 'a', attempt: 1, attempts: 1, lines: Array.from({ length: 100 }, (_, i) => `line ${i}`) });
    const h = listHeight(s, 'log');
    expect(s.log.top).toBe(100 - h);
    const log = (line: string): EngineEvent => ({ kind: 'log', runId: 7, taskInstanceId: 1, name: 'a', attempt: 1, stream: 'stdout', line, time: 1 });
    s = reducer(s, { type: 'engine', events: [log('new 1'), log('new 2')] });
    expect(s.log.lines.at(-1)).toBe('new 2');
    expect(s.log.top).toBe(102 - h);
    s = reducer(s, { type: 'move', delta: -5 });
    expect(s.log.follow).toBe(false);
    s = reducer(s, { type: 'engine', events: [log('new 3')] });
    expect(s.log.top).toBe(97 - h);
    s = reducer(s, { type: 'log-search', query: 'line 1' }); // line 1, line 10..19
    expect(s.log.match).toBe(1);
    expect(s.status.text).toBe('match 1/11 for "line 1"');
    s = reducer(s, { type: 'log-step', dir: 1 });
    expect(s.log.match).toBe(10);
    s = reducer(s, { type: 'log-step', dir: -1 });
    s = reducer(s, { type: 'log-step', dir: -1 });
    expect(s.log.match).toBe(19);
  });

  it('filters and sorts symbols, and keeps the frame within rows-1 on resize', () => {
    let s = reducer(initialState(), {
      type: 'symbols',
      synthetic: true,
      items: [
        { code: 'sh.600000', name: 'PF Bank', last: 1, bars: 1, close: 9, change: -1 },
        { code: 'sz.000001', name: 'Ping An', last: 1, bars: 1, close: 12, change: 2 },
      ],
    });
    s = reducer(s, { type: 'market', patch: { sort: 'change' } });
    expect(s.market.sort).toBe('change');
    s = reducer(s, { type: 'resize', cols: 120, rows: 40 });
    expect(listHeight(s, 'log')).toBeLessThanOrEqual(40 - 1 - 3);
  });
});

describe('key table', () => {
  it('names keys and resolves screen bindings before global ones', () => {
    expect(keyName('', { return: true })).toBe('enter');
    expect(keyName('c', { ctrl: true })).toBe('C-c');
    expect(keyName('', { tab: true, shift: true })).toBe('S-tab');
    expect(resolveKey('dag', 'R')).toBe(Command.Recover);
    expect(resolveKey('workflows', 'R')).toBe(Command.Refresh);
    expect(resolveKey('dag', 'l')).toBe(Command.Open);
    expect(resolveKey('market', 'l')).toBe(Command.Right);
    expect(resolveKey('log', 'q')).toBe(Command.Quit);
    expect(resolveKey('log', 'x')).toBeUndefined();
  });

  it('has no key bound twice on one screen and lists every screen command in help', () => {
    for (const sc of SCREEN_ORDER) {
      const seen = new Map<string, Command>();
      for (const b of BINDINGS) {
        if (b.screens && !b.screens.includes(sc)) continue;
        if (!b.screens) continue;
        for (const k of b.keys) {
          const prev = seen.get(k);
          expect(prev === undefined || prev === b.command, `${sc}: ${k} bound to ${prev} and ${b.command}`).toBe(true);
          seen.set(k, b.command);
        }
      }
      const help = bindingsFor(sc).map((b) => b.command);
      expect(help).toContain(Command.Quit);
      expect(help).toContain(Command.Help);
    }
  });
});

describe('event coalescing', () => {
  it('hands events over in batches at most every interval', async () => {
    const batches: EngineEvent[][] = [];
    const c = new Coalescer((e) => batches.push(e), 50);
    for (let i = 0; i < 500; i++) c.push({ kind: 'log', runId: 1, taskInstanceId: 1, name: 'a', attempt: 1, stream: 'stdout', line: String(i), time: i });
    expect(batches).toHaveLength(0);
    await new Promise((r) => setTimeout(r, 80));
    expect(batches).toHaveLength(1);
    expect(batches[0]).toHaveLength(500);
    c.dispose();
  });
});

describe('DAG box layout on screen', () => {
  it('keeps the selected task in view when the graph is taller than the screen', async () => {
    const { renderScreen } = await import('../../src/tui/views/screen.js');
    const { makeTheme } = await import('../../src/render/theme.js');
    // Three wide layers of 8 tasks: 8 boxes a layer are 32+ rows, more than 80x24 shows.
    const many: DagTask[] = [];
    for (let i = 0; i < 24; i++) {
      const layer = Math.floor(i / 8);
      many.push({ id: `t${i}`, name: `t${i}`, deps: layer ? [`t${i - 8}`] : [], type: 'SHELL', indent: 0, maxAttempts: 1 });
    }
    let s = reducer(initialState({ cols: 80, rows: 24 }), { type: 'open-dag', file: '/w.yaml', workflow: 'w', tasks: many, params: {} });
    s = reducer(s, { type: 'toggle-layout' });
    const plain = makeTheme({ color: false });
    const top = renderScreen(s, plain, 0).join('\n');
    expect(top).toContain('┃ ○ t0');
    expect(top).not.toContain('t7 ');
    s = reducer(s, { type: 'move-to', index: many.findIndex((t) => t.id === 't7') });
    const bottom = renderScreen(s, plain, 0);
    const row = bottom.findIndex((l) => l.includes('┃ ○ t7'));
    expect(row).toBeGreaterThan(0);
    // Its whole box is drawn, above the footer lines.
    expect(bottom[row - 1]).toContain('┏');
    expect(bottom[row + 1]).toContain('┗');
    expect(bottom.join('\n')).not.toContain('┃ ○ t0');
  });
});
