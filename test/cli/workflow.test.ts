import { describe, it, expect, afterEach } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { runCli } from '../support/cli.js';
import { binPath, repoRoot, tempDir } from '../support/fs.js';

const fixtures = resolve(repoRoot, 'test/fixtures/workflows');
let cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups) c();
  cleanups = [];
});
function box() {
  const t = tempDir('qf-cli-wf-');
  cleanups.push(t.cleanup);
  return { dir: t.dir, db: join(t.dir, 'store.db') };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitFor(cond: () => boolean, ms = 15_000): Promise<void> {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > ms) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 50));
  }
}

function spawnCli(args: string[]) {
  const child = spawn(process.execPath, [binPath, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, QUANTFLOW_PROGRESS: '' } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c) => (stdout += c));
  child.stderr.on('data', (c) => (stderr += c));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) => child.on('close', (code, signal) => r({ code, signal })));
  return { child, exit, out: () => stdout, err: () => stderr };
}

function query<T>(db: string, sql: string, ...args: unknown[]): T[] {
  const d = new Database(db, { readonly: true });
  try {
    return d.prepare(sql).all(...args) as T[];
  } finally {
    d.close();
  }
}

describe('quantflow run (the original system\'s workflows)', () => {
  it('runs the parent with three SubProcess children; $ENV, $FILE, anchors, ${param} and setValue work end to end', () => {
    const { db } = box();
    const r = runCli(['--db', db, 'run', join(fixtures, 'original/run_system.yaml'), '--json'], { env: { STOCK_PROJECT: 'demo' } });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const s = JSON.parse(r.stdout);
    expect(s).toMatchObject({ workflow: 'run_system', state: 'SUCCESS' });
    expect(s.startTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+-]\d\d:\d\d$/);
    expect(s.tasks.map((t: { name: string; state: string; type: string }) => [t.name, t.type, t.state])).toEqual([
      ['prepare_datas', 'SUB_PROCESS', 'SUCCESS'],
      ['train_model', 'SUB_PROCESS', 'SUCCESS'],
      ['recommend_stock', 'SUB_PROCESS', 'SUCCESS'],
    ]);
    const train = s.tasks[1].childRunId as number;
    const logs = runCli(['--db', db, 'logs', String(s.id)]);
    expect(logs.status).toBe(0);
    // $FILE script with the anchored local param ${project} (global from $ENV), an OUT param passed downstream.
    expect(logs.stdout).toContain('[prepare_datas/calc_signals#1] signals of demo from daily');
    expect(logs.stdout).toContain('[train_model/train#1] training on 1200 rows into models');
    expect(logs.stdout).toMatch(/\[recommend_stock\/recommend#1\] top 10 stocks for demo on \d{8}/);
    const child = runCli(['--db', db, 'logs', String(train), 'train']);
    expect(child.stdout.trim().split('\n')[0]).toBe('training on 1200 rows into models');
    const runs = JSON.parse(runCli(['--db', db, 'runs', '--json']).stdout);
    expect(runs.map((x: { workflow: string; parentRunId: number | null }) => [x.workflow, x.parentRunId])).toEqual([
      ['recommend_stock', s.id],
      ['train_model', s.id],
      ['prepare_datas', s.id],
      ['run_system', null],
    ]);
  });

  it('prints a live line per state change and a summary; --dry-run prints the final commands', () => {
    const { db } = box();
    const r = runCli(['--db', db, 'run', join(fixtures, 'original/recommend_stock.yaml'), '--param', 'top_n=3'], { env: { STOCK_PROJECT: 'demo' } });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/RUNNING_EXECUTION\s+prepare_inference_data/);
    expect(r.stdout).toMatch(/SUCCESS\s+recommend/);
    expect(r.stdout).toMatch(/run \d+ recommend_stock: SUCCESS in/);
    const dry = runCli(['--db', db, 'run', join(fixtures, 'original/recommend_stock.yaml'), '--dry-run', '--param', 'top_n=3'], { env: { STOCK_PROJECT: 'demo' } });
    expect(dry.status).toBe(0);
    expect(dry.stdout).toMatch(/--- recommend\n\s+echo "top 3 stocks for demo on \d{8}"/);
  });

  it('exit 1 on FAILURE, 2 on bad input; recover finishes the failed run', () => {
    const { dir, db } = box();
    const file = join(fixtures, 'runner/flaky.yaml');
    const r = runCli(['--db', db, 'run', file, '--param', `dir=${dir}`, '--json']);
    expect(r.status).toBe(1);
    const s = JSON.parse(r.stdout);
    expect(Object.fromEntries(s.tasks.map((t: { name: string; state: string }) => [t.name, t.state]))).toEqual({ check: 'FAILURE', report: 'NOT_RUN', other: 'SUCCESS' });
    expect(runCli(['--db', db, 'run', file, '--failure-strategy', 'sideways']).status).toBe(2);
    expect(runCli(['--db', db, 'run', file, '--param', 'novalue']).status).toBe(2);
    expect(runCli(['--db', db, 'run', file, '--task', 'nope']).stderr).toMatch(/no task "nope"/);
    expect(runCli(['--db', db, 'recover', '999']).status).toBe(2);
    writeFileSync(join(dir, 'fixed'), '');
    const rec = runCli(['--db', db, 'recover', String(s.id), '--json']);
    expect(rec.status).toBe(0);
    const s2 = JSON.parse(rec.stdout);
    expect(s2.id).toBe(s.id);
    expect(s2.tasks.map((t: { name: string; state: string; attempts: number }) => [t.name, t.state, t.attempts])).toEqual([
      ['check', 'SUCCESS', 2],
      ['report', 'SUCCESS', 2],
      ['other', 'SUCCESS', 1],
    ]);
    const logs = runCli(['--db', db, 'logs', String(s.id), 'check', '--attempt', '1']);
    expect(logs.stdout).toContain(`checking ${dir}`);
  });
});

describe('logic tasks from YAML', () => {
  it('Condition routes on upstream states and Switch picks a branch from ${var}; not-taken branches are SKIPPED', () => {
    const { db } = box();
    const file = join(fixtures, 'runner/logic.yaml');
    const states = (args: string[]) => {
      const r = runCli(['--db', db, 'run', file, '--json', ...args]);
      expect(r.status).toBe(0);
      return Object.fromEntries(JSON.parse(r.stdout).tasks.map((t: { name: string; state: string }) => [t.name, t.state]));
    };
    expect(states([])).toMatchObject({ pre_bad: 'FAILURE', condition: 'SUCCESS', on_success: 'SUCCESS', on_failure: 'SKIPPED', big: 'SKIPPED', small: 'SUCCESS', fallback: 'SKIPPED', after_big: 'SKIPPED' });
    expect(states(['--param', 'var=9'])).toMatchObject({ big: 'SUCCESS', small: 'SKIPPED', after_big: 'SUCCESS' });
  });
});

describe('stopping and crashes', () => {
  it('SIGINT kills the running task\'s process group, marks KILL / NOT_RUN, exits 130', async () => {
    const { dir, db } = box();
    const p = spawnCli(['--db', db, 'run', join(fixtures, 'runner/sleepy.yaml'), '--param', `dir=${dir}`]);
    await waitFor(() => existsSync(join(dir, 'pid')));
    const taskPid = Number(readFileSync(join(dir, 'pid'), 'utf8'));
    expect(alive(taskPid)).toBe(true);
    p.child.kill('SIGINT');
    const { code } = await p.exit;
    expect(code).toBe(130);
    expect(alive(taskPid)).toBe(false);
    const run = query<{ id: number; state: string }>(db, 'SELECT id, state FROM wf_runs')[0]!;
    expect(run.state).toBe('KILL');
    const tasks = query<{ name: string; state: string }>(db, 'SELECT name, state FROM wf_task_instances WHERE run_id = ? ORDER BY id', run.id);
    expect(tasks).toEqual([
      { name: 'start', state: 'SUCCESS' },
      { name: 'sleeper', state: 'KILL' },
      { name: 'after', state: 'NOT_RUN' },
    ]);
  });

  it('a run whose process was SIGKILLed is marked NEED_FAULT_TOLERANCE on the next start, and recover finishes it', async () => {
    const { dir, db } = box();
    const p = spawnCli(['--db', db, 'run', join(fixtures, 'runner/sleepy.yaml'), '--param', `dir=${dir}`]);
    await waitFor(() => existsSync(join(dir, 'pid')));
    const taskPid = Number(readFileSync(join(dir, 'pid'), 'utf8'));
    p.child.kill('SIGKILL');
    await p.exit;
    expect(query<{ state: string }>(db, 'SELECT state FROM wf_runs')[0]!.state).toBe('RUNNING_EXECUTION');
    const runs = JSON.parse(runCli(['--db', db, 'runs', '--json']).stdout);
    expect(runs[0].state).toBe('NEED_FAULT_TOLERANCE');
    const tasks = query<{ name: string; state: string }>(db, 'SELECT name, state FROM wf_task_instances ORDER BY id');
    expect(tasks).toEqual([
      { name: 'start', state: 'SUCCESS' },
      { name: 'sleeper', state: 'NEED_FAULT_TOLERANCE' },
    ]);
    // The orphaned task was cleaned up.
    await waitFor(() => !alive(taskPid), 5000);
    writeFileSync(join(dir, 'done'), '');
    const rec = runCli(['--db', db, 'recover', String(runs[0].id), '--json']);
    expect(rec.status).toBe(0);
    const s = JSON.parse(rec.stdout);
    expect(s.tasks.map((t: { name: string; state: string; attempts: number }) => [t.name, t.state, t.attempts])).toEqual([
      ['start', 'SUCCESS', 1],
      ['sleeper', 'SUCCESS', 2],
      ['after', 'SUCCESS', 1],
    ]);
  });
});
