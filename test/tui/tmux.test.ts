/**
 * End to end in a real terminal: tmux at 80x24 runs the built `quantflow` with CI unset, on a
 * prepared store; keys run a small workflow from the DAG screen, open a task's log and a symbol's
 * chart, and `q` quits; the terminal must be back on the primary screen with the cursor shown.
 * Skipped (with a note) when tmux is not installed.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir, binPath } from '../support/fs.js';
import { openDb } from '../../src/core/db.js';
import { MarketStore } from '../../src/market/store.js';
import { DemoProvider } from '../../src/market/providers/demo.js';
import { downloadMarket } from '../../src/market/download.js';

const hasTmux = spawnSync('tmux', ['-V']).status === 0;
if (!hasTmux) console.warn('tmux is not installed: skipping the end-to-end TUI test');

const socket = `qf-e2e-${process.pid}`;
const session = 'qf';
const tmux = (...args: string[]) => execFileSync('tmux', ['-L', socket, ...args], { encoding: 'utf8' });
const capture = () => tmux('capture-pane', '-p', '-t', session);
const keys = (...k: string[]) => tmux('send-keys', '-t', session, ...k);

async function waitScreen(pred: (s: string) => boolean, ms = 20_000): Promise<string> {
  const until = Date.now() + ms;
  let last = '';
  while (Date.now() < until) {
    try {
      last = capture();
    } catch {
      // the session is starting
    }
    if (pred(last)) return last;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting; screen:\n${last}`);
}

describe.skipIf(!hasTmux)('quantflow in tmux at 80x24', () => {
  let tmp: ReturnType<typeof tempDir>;
  beforeAll(async () => {
    tmp = tempDir('qf-e2e-');
    const db = openDb(join(tmp.dir, 'q.db'));
    await downloadMarket(new MarketStore(db), new DemoProvider({ symbols: 12 }), {});
    db.close();
  }, 120_000);
  afterAll(() => {
    try {
      tmux('kill-server');
    } catch {
      // already gone
    }
    tmp.cleanup();
  });

  it('runs a workflow with keys, opens a log and a chart, quits with q and restores the terminal', async () => {
    // `quantflow` with no command reads ./workflows.
    cpSync(join(import.meta.dirname, 'fixtures', 'workflows'), join(tmp.dir, 'workflows'), { recursive: true });
    const done = join(tmp.dir, 'exit-code');
    const cmd = `cd ${tmp.dir} && env -u CI TERM=xterm-256color ${process.execPath} ${binPath} --db ${join(tmp.dir, 'q.db')}; echo $? > ${done}; sleep 30`;
    tmux('new-session', '-d', '-s', session, '-x', '80', '-y', '24', cmd);
    await waitScreen((s) => s.includes('small') && s.includes('1 Flows'));
    expect(tmux('display', '-p', '-t', session, '#{alternate_on}').trim()).toBe('1');
    keys('Down', 'Down', 'Enter');
    await waitScreen((s) => s.includes('params: greeting=hello'));
    keys('r');
    const ok = await waitScreen((s) => /run #\d+ success/.test(s), 30_000);
    expect(ok.match(/✔/g)!.length).toBeGreaterThanOrEqual(4);
    // The frame sits where it belongs (Ink 6.8's incremental writer put each frame a row low: a
    // stale tab bar on top, the help bar gone).
    const rows = ok.split('\n');
    expect(rows[0]).toMatch(/^qf .*Flows/);
    expect(rows.filter((l) => /^qf .*Flows/.test(l))).toHaveLength(1);
    expect(rows[1]).toMatch(/run #\d+ success/);
    expect(rows[22]).toMatch(/r: run the workflow/);
    // Only changed lines are written (incremental rendering): after a resize every line must be
    // drawn again, none left blank or stale.
    for (const [x, y] of [
      [100, 30],
      [80, 24],
    ] as const) {
      tmux('resize-window', '-t', session, '-x', String(x), '-y', String(y));
      const r = (await waitScreen((s) => s.split('\n')[y - 2]?.includes('r: run the workflow') === true && /^qf .*Flows/.test(s), 10_000)).split('\n');
      expect(r.filter((l) => /^qf .*Flows/.test(l)), `${x}x${y}`).toHaveLength(1);
      expect(r[1], `${x}x${y}`).toMatch(/run #\d+ success/);
      expect(r.slice(2, 6).every((l) => /✔/.test(l)), `${x}x${y}`).toBe(true);
    }
    keys('j', 'j', 'Enter');
    await waitScreen((s) => s.includes('log right') && s.includes('needle in the log'));
    keys(':');
    await waitScreen((s) => s.includes('command'));
    keys('-l', 'symbol sh.600000');
    keys('Enter');
    const chart = await waitScreen((s) => s.includes('sh.600000 DEMO') && s.includes('└'));
    expect(chart).toMatch(/[║┃]/);
    expect(chart.split('\n').filter((l) => l.length).length).toBeLessThanOrEqual(23);
    keys('q');
    const until = Date.now() + 10_000;
    while (!existsSync(done) && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
    expect(readFileSync(done, 'utf8').trim()).toBe('0');
    expect(tmux('display', '-p', '-t', session, '#{alternate_on}').trim()).toBe('0');
    expect(tmux('display', '-p', '-t', session, '#{cursor_flag}').trim()).toBe('1');
  }, 120_000);
});
