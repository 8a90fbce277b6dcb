/**
 * `npm run bench -- tui`: the TUI's targets, each printed with the target and the ratio
 * (measured / target; <= 1 meets it).
 * - time from start to the first complete frame (tmux at 80x24, the real `quantflow` bin), next
 *   to a bare `node -e 0` started the same way (the reference for process start-up);
 * - one frame of the DAG screen with 50 tasks, and of the chart with 2,000 bars (80x24 and 120x40);
 * - CPU of the TUI process (user+sys, children excluded) while a 50-task workflow runs, and idle.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { initialState, reducer, type State } from '../src/tui/state.js';
import { renderScreen } from '../src/tui/views/screen.js';
import { makeTheme } from '../src/render/theme.js';
import type { DagTask, TaskLive } from '../src/tui/types.js';
import { resample } from '../src/render/resample.js';

const theme = makeTheme({ color: true });
const root = resolve(import.meta.dirname ?? '.', '..');
const bin = resolve(process.cwd(), 'bin', 'quantflow.js');
const line = (name: string, value: number, unit: string, target: number) =>
  console.log(`${name.padEnd(44)} ${value.toFixed(unit === '%' ? 2 : 1).padStart(8)} ${unit.padEnd(3)} target ${String(target).padStart(4)} ${unit.padEnd(3)} ratio ${(value / target).toFixed(2)}`);

function fiftyTasks(): DagTask[] {
  const t: DagTask[] = [];
  for (let i = 0; i < 50; i++) {
    const layer = Math.floor(i / 5);
    const deps = layer === 0 ? [] : [`t${(layer - 1) * 5 + (i % 5)}`, `t${(layer - 1) * 5 + ((i + 2) % 5)}`];
    t.push({ id: `t${i}`, name: `t${i}`, deps, type: 'SHELL', indent: 0, maxAttempts: 2 });
  }
  return t;
}

function timeFrames(s: State, chart?: Parameters<typeof renderScreen>[3], n = 100): number {
  renderScreen(s, theme, Date.now(), chart);
  const t0 = performance.now();
  for (let i = 0; i < n; i++) renderScreen({ ...s, spinner: i }, theme, Date.now(), chart);
  return (performance.now() - t0) / n;
}

/** A fixed CPU workload, so frame times can be read against how fast this machine is right now. */
function referenceWork(): number {
  const a = new Float64Array(200_000);
  for (let i = 0; i < a.length; i++) a[i] = Math.sin(i * 12.9898) * 43758.5453 - Math.floor(Math.sin(i * 12.9898) * 43758.5453);
  const t0 = performance.now();
  a.sort();
  return performance.now() - t0;
}

function frameBench(): void {
  const ref = referenceWork();
  console.log(`reference: sorting 200,000 doubles takes ${ref.toFixed(1)} ms on this machine now (about 15 ms on an idle 2020s laptop core)`);
  const tasks = fiftyTasks();
  const live: Record<string, TaskLive> = {};
  tasks.forEach((t, i) => {
    if (i < 20) live[t.id] = { state: 'SUCCESS', attempt: 1, start: 0, end: 1000 + i * 37 };
    else if (i < 25) live[t.id] = { state: 'RUNNING_EXECUTION', attempt: 1, start: Date.now() - 5000, progress: { done: i, total: 40, label: 'symbols' } };
  });
  // A 2,000-bar random walk.
  const n = 2000;
  const dates = new Int32Array(n);
  const open = new Float64Array(n), high = new Float64Array(n), low = new Float64Array(n), close = new Float64Array(n), volume = new Float64Array(n);
  let p = 10;
  let day = Date.UTC(2018, 0, 2);
  for (let i = 0; i < n; i++) {
    while ([0, 6].includes(new Date(day).getUTCDay())) day += 86_400_000;
    const d = new Date(day);
    dates[i] = d.getUTCFullYear() * 10000 + (d.getUTCMonth() + 1) * 100 + d.getUTCDate();
    day += 86_400_000;
    const o = p;
    p = Math.max(1, p * (1 + Math.sin(i * 12.9898) * 0.03));
    open[i] = o;
    close[i] = p;
    high[i] = Math.max(o, p) * 1.01;
    low[i] = Math.min(o, p) * 0.99;
    volume[i] = 1e6 + (i % 17) * 1e5;
  }
  const patterns: Record<string, Int32Array> = {};
  for (let k = 0; k < 61; k++) {
    const a = new Int32Array(n);
    for (let i = k; i < n; i += 37 + k) a[i] = k % 2 ? 100 : -100;
    patterns[`CDLP${k}`] = a;
  }
  const chart = { code: 'bench.000001', name: 'BENCH', bars: { dates, open, high, low, close, volume }, patterns };
  for (const [cols, rows] of [
    [80, 24],
    [120, 40],
  ] as const) {
    let s = reducer(initialState({ cols, rows }), { type: 'open-dag', file: '/b.yaml', workflow: 'bench50', tasks, params: {}, runId: 1, runState: 'RUNNING_EXECUTION', live });
    line(`DAG frame, 50 tasks, ${cols}x${rows}`, timeFrames(s), 'ms', 20);
    s = reducer(s, { type: 'toggle-layout' });
    line(`DAG frame (box layout), 50 tasks, ${cols}x${rows}`, timeFrames(s), 'ms', 20);
    s = reducer(s, { type: 'symbols', synthetic: true, items: [{ code: 'bench.000001', name: 'BENCH', last: dates[n - 1]!, bars: n, close: close[n - 1]!, change: 0 }] });
    s = reducer(s, { type: 'screen', screen: 'market' });
    line(`chart frame, 2,000 bars (days), ${cols}x${rows}`, timeFrames(s, chart), 'ms', 20);
    s = reducer(s, { type: 'market', patch: { period: 'week', boll: true } });
    line(`chart frame, 2,000 bars (weeks, BOLL), ${cols}x${rows}`, timeFrames(s, chart), 'ms', 20);
  }
  void resample;
}

// ---- tmux-driven measurements ----

const socket = `qf-bench-${process.pid}`;
const tmux = (...a: string[]) => execFileSync('tmux', ['-L', socket, ...a], { encoding: 'utf8' });

async function waitFor(pred: (s: string) => boolean, ms: number, every = 5): Promise<string> {
  const until = Date.now() + ms;
  let last = '';
  while (Date.now() < until) {
    try {
      last = tmux('capture-pane', '-p', '-t', 'b');
    } catch {
      // starting
    }
    if (pred(last)) return last;
    await new Promise((r) => setTimeout(r, every));
  }
  throw new Error(`timed out; screen:\n${last}`);
}

function cpuTicks(pid: number): number {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const rest = f.slice(f.lastIndexOf(')') + 2).split(' ');
  return Number(rest[11]) + Number(rest[12]); // utime + stime (children excluded)
}
const HZ = 100;
function procState(pid: number): string {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return f.slice(f.lastIndexOf(')') + 2, f.lastIndexOf(')') + 3);
}

async function startupBench(dir: string): Promise<void> {
  const samples: number[] = [];
  const refs: number[] = [];
  for (let i = 0; i < 3; i++) {
    let t0 = performance.now();
    tmux('new-session', '-d', '-s', 'b', '-x', '80', '-y', '24', `cd ${dir} && env -u CI node -e "process.stdout.write('ready-' + 'node')"; sleep 30`);
    await waitFor((s) => s.includes('ready-node'), 10_000);
    refs.push(performance.now() - t0);
    tmux('kill-session', '-t', 'b');
    t0 = performance.now();
    tmux('new-session', '-d', '-s', 'b', '-x', '80', '-y', '24', `cd ${dir} && exec env -u CI node ${bin} --db ${join(dir, 'q.db')}`);
    await waitFor((s) => s.includes('1 Flows') && s.includes('bench50'), 20_000);
    samples.push(performance.now() - t0);
    tmux('kill-session', '-t', 'b');
  }
  const med = (a: number[]) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)]!;
  line('start -> first complete frame (median of 3)', med(samples), 'ms', 700);
  console.log(`  reference: bare \`node -e\` to its first output the same way: ${med(refs).toFixed(1)} ms (TUI / reference ${(med(samples) / med(refs)).toFixed(2)})`);
}

/** The reference: the same workflow run headless by `quantflow run` (the engine alone, no TUI). */
async function headlessRun(dir: string): Promise<void> {
  // The command records its own pid (exec keeps it), and an ended process that tmux has not
  // reaped yet counts as ended: before, the reference sometimes waited out its 90 s on a zombie.
  const pidFile = join(dir, 'ref.pid');
  const errFile = join(dir, 'ref.err');
  tmux('new-session', '-d', '-s', 'h', '-x', '80', '-y', '24', `cd ${dir} && echo $$ > ${pidFile} && exec env -u CI node ${bin} --db ${join(dir, 'ref.db')} run workflows/bench50.yaml > /dev/null 2> ${errFile}`);
  const t0 = performance.now();
  let pid = 0;
  while (!pid && performance.now() - t0 < 5000) {
    try {
      pid = Number(readFileSync(pidFile, 'utf8').trim());
    } catch {
      await new Promise((r) => setTimeout(r, 5));
    }
  }
  let last = 0;
  let ended = false;
  try {
    while (performance.now() - t0 < 90_000) {
      last = cpuTicks(pid);
      // An ended process that tmux has not reaped yet is a zombie (state Z): ended too.
      if (procState(pid) === 'Z') throw new Error('ended');
      await new Promise((r) => setTimeout(r, 50));
    }
  } catch {
    ended = true; // the process ended
  }
  const secs = (performance.now() - t0) / 1000;
  if (!ended) {
    console.log('  reference: the headless `quantflow run` did not end within 90 s; no reference this time');
    try {
      tmux('kill-session', '-t', 'h');
    } catch {
      // gone
    }
    return;
  }
  spawnSync('tmux', ['-L', socket, 'kill-session', '-t', 'h'], { stdio: 'ignore' }); // reaped already, usually
  const err = readFileSync(errFile, 'utf8').trim();
  if (err) console.log(`  reference run's stderr: ${err.split('\n').slice(-3).join(' | ')}`);
  const pct = (last / HZ / secs) * 100;
  refPct = pct;
  console.log(`  reference: \`quantflow run\` of the same workflow headless: ${pct.toFixed(2)} % of a core over ${secs.toFixed(1)} s (start-up included)`);
}
let refPct: number | undefined;

async function cpuBench(dir: string): Promise<void> {
  const statsFile = join(dir, 'frames.json');
  tmux('new-session', '-d', '-s', 'b', '-x', '80', '-y', '24', `cd ${dir} && exec env -u CI QUANTFLOW_FRAME_STATS=${statsFile} node ${bin} --db ${join(dir, 'q.db')}`);
  await waitFor((s) => s.includes('bench50'), 20_000, 50);
  const pid = Number(tmux('display', '-p', '-t', 'b', '#{pane_pid}').trim());
  tmux('send-keys', '-t', 'b', 'Enter');
  await waitFor((s) => s.includes('params') || s.includes('not run yet'), 10_000, 50);
  const c0 = cpuTicks(pid);
  const t0 = performance.now();
  tmux('send-keys', '-t', 'b', 'r');
  await waitFor((s) => /run #\d+ success/.test(s), 300_000, 250);
  const busy = ((cpuTicks(pid) - c0) / HZ / ((performance.now() - t0) / 1000)) * 100;
  const runWindow = [Date.now() - (performance.now() - t0), Date.now()] as const;
  line(`CPU while a 50-task workflow runs (${((performance.now() - t0) / 1000).toFixed(1)} s)`, busy, '%', 15);
  await headlessRun(dir);
  if (refPct) console.log(`  TUI while running / headless reference: ${(busy / refPct).toFixed(2)}`);
  const c1 = cpuTicks(pid);
  const t1 = performance.now();
  await new Promise((r) => setTimeout(r, 10_000));
  const idle = ((cpuTicks(pid) - c1) / HZ / ((performance.now() - t1) / 1000)) * 100;
  line('CPU idle (10 s on the DAG screen)', idle, '%', 2);
  tmux('send-keys', '-t', 'b', 'q');
  await waitFor(() => existsSync(statsFile), 10_000, 50).catch(() => undefined);
  spawnSync('tmux', ['-L', socket, 'kill-session', '-t', 'b'], { stdio: 'ignore' }); // ended by q, usually
  // The frames the user saw while the workflow ran: how many a second, and Ink's share of each.
  try {
    const { at, ms, bytes } = JSON.parse(readFileSync(statsFile, 'utf8')) as { at: number[]; ms: number[]; bytes: number[] };
    const inRun = at.map((t, i) => [t, ms[i]!, bytes[i]!] as const).filter(([t]) => t >= runWindow[0] && t <= runWindow[1]);
    const secs = (runWindow[1] - runWindow[0]) / 1000;
    const drawMs = inRun.reduce((a, [, m]) => a + m, 0) / Math.max(1, inRun.length);
    const sent = inRun.length > 1 ? inRun.at(-1)![2] - inRun[0]![2] : 0;
    console.log(`  frames while it ran: ${(inRun.length / secs).toFixed(1)} a second (beat: 10), Ink's draw ${drawMs.toFixed(2)} ms a frame (layout and React not included)`);
    console.log(`  sent to the terminal while it ran: ${(sent / secs / 1024).toFixed(1)} KiB a second, ${(sent / Math.max(1, inRun.length - 1)).toFixed(0)} bytes a frame`);
  } catch {
    console.log('  frames while it ran: the TUI wrote no frame stats');
  }
}

async function main(): Promise<void> {
  const only = process.argv[2]; // 'frames' | 'startup' | 'cpu' to run one part
  console.log(`quantflow TUI bench (${process.version}, ${process.platform})`);
  if (!only || only === 'frames') frameBench();
  if (only === 'frames') return;
  if (spawnSync('tmux', ['-V']).status !== 0) {
    console.log('tmux is not installed: skipping first-frame and CPU measurements');
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'qf-bench-'));
  try {
    mkdirSync(join(dir, 'workflows'));
    const tasks = fiftyTasks()
      .map((t) => `  - name: ${t.name}\n    task_type: Shell\n${t.deps.length ? `    deps: [${t.deps.join(', ')}]\n` : ''}    command: sleep 0.3; echo done ${t.name}\n`)
      .join('\n');
    writeFileSync(join(dir, 'workflows', 'bench50.yaml'), `workflow:\n  name: bench50\n\ntasks:\n${tasks}`);
    // A session that outlives the measured ones, so the tmux server never exits between them.
    tmux('new-session', '-d', '-s', 'keep', 'sleep 3600');
    if (!only || only === 'startup') await startupBench(dir);
    if (!only || only === 'cpu') await cpuBench(dir);
  } finally {
    try {
      tmux('kill-server');
    } catch {
      // gone
    }
    rmSync(dir, { recursive: true, force: true });
  }
  void root;
}

await main();
