/**
 * executionType across real processes (the quantflow bin) sharing one SQLite store, and the
 * workflow-level timeout alert.
 */
import { describe, it, expect, afterEach } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { binPath } from '../../support/fs.js';
import { sandboxes } from './helpers.js';

const box = sandboxes();
const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) c.kill('SIGKILL');
});

/** `quantflow --db DB ARGS...` in the background: the process, its exit code, its output so far. */
function spawnCli(db: string, args: string[]) {
  const child = spawn(process.execPath, [binPath, '--db', db, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, QUANTFLOW_PROGRESS: '' } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c) => (stdout += c));
  child.stderr.on('data', (c) => (stderr += c));
  const exit = new Promise<number | null>((r) => child.on('close', (code) => r(code)));
  children.push(child);
  return { child, exit, out: () => stdout, err: () => stderr };
}

const spawnRun = (db: string, file: string, extra: string[] = []) => spawnCli(db, ['run', file, ...extra]);

async function waitFor(cond: () => boolean, what: string, ms = 20_000): Promise<void> {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

interface RunRowLite {
  id: number;
  state: string;
  message: string | null;
  timeout_alert_at: number | null;
}
function runs(db: string): RunRowLite[] {
  if (!existsSync(db)) return [];
  const d = new Database(db, { readonly: true, fileMustExist: true });
  try {
    return d.prepare('SELECT id, state, message, timeout_alert_at FROM wf_runs ORDER BY id').all() as RunRowLite[];
  } catch {
    return []; // not migrated yet
  } finally {
    d.close();
  }
}

/** A one-task workflow whose task appends "start TAG", waits until the file release-TAG exists, appends "end TAG". */
function serialWorkflow(dir: string, type: string, extra = ''): string {
  const file = join(dir, `serial-${type.toLowerCase()}.yaml`);
  writeFileSync(
    file,
    `workflow:
  name: nightly
  execution_type: ${type}
${extra}tasks:
  - name: work
    task_type: Shell
    command: |
      echo "start \${tag}" >> order.txt
      while [ ! -e "release-\${tag}" ]; do sleep 0.05; done
      echo "end \${tag}" >> order.txt
`,
  );
  return file;
}

const release = (dir: string, tag: string) => writeFileSync(join(dir, `release-${tag}`), '');
const order = (dir: string) => (existsSync(join(dir, 'order.txt')) ? readFileSync(join(dir, 'order.txt'), 'utf8').trim().split('\n') : []);

describe('executionType across processes', () => {
  it('SERIAL_WAIT: later runs wait in SERIAL_WAIT and run one after another, in order of submission', async () => {
    const { dir, db } = box();
    const file = serialWorkflow(dir, 'SERIAL_WAIT');
    const a = spawnRun(db, file, ['--param', 'tag=A']);
    await waitFor(() => order(dir).includes('start A'), 'A to start');
    const b = spawnRun(db, file, ['--param', 'tag=B']);
    await waitFor(() => runs(db).some((r) => r.state === 'SERIAL_WAIT'), 'B to wait');
    const c = spawnRun(db, file, ['--param', 'tag=C']);
    await waitFor(() => runs(db).filter((r) => r.state === 'SERIAL_WAIT').length === 2, 'C to wait');
    // C is released first: it must still wait for B, which was submitted before it.
    release(dir, 'C');
    await new Promise((r) => setTimeout(r, 600));
    expect(order(dir)).toEqual(['start A']);
    release(dir, 'A');
    await waitFor(() => order(dir).includes('start B'), 'B to start');
    await new Promise((r) => setTimeout(r, 600));
    expect(order(dir)).toEqual(['start A', 'end A', 'start B']);
    release(dir, 'B');
    const [ea, eb, ec] = await Promise.all([a.exit, b.exit, c.exit]);
    expect([ea, eb, ec]).toEqual([0, 0, 0]);
    expect(order(dir)).toEqual(['start A', 'end A', 'start B', 'end B', 'start C', 'end C']);
    expect(b.err()).toMatch(/SERIAL_WAIT\s+run \d+: waiting \(SERIAL_WAIT\): run 1 \(pid \d+ on .*\) of nightly is running/);
    expect(b.err()).toMatch(/RUNNING_EXECUTION\s+run \d+: starts: the runs ahead of it have ended/);
    expect(runs(db).map((r) => r.state)).toEqual(['SUCCESS', 'SUCCESS', 'SUCCESS']);
  });

  it('SERIAL_DISCARD: a run started while another one goes ends at once in STOP (exit 3), nothing of it runs', async () => {
    const { dir, db } = box();
    const file = serialWorkflow(dir, 'SERIAL_DISCARD');
    release(dir, 'B');
    release(dir, 'C');
    const a = spawnRun(db, file, ['--param', 'tag=A']);
    await waitFor(() => order(dir).includes('start A'), 'A to start');
    const b = spawnRun(db, file, ['--param', 'tag=B', '--json']);
    expect(await b.exit).toBe(3);
    const doc = JSON.parse(b.out()) as { state: string; message: string; tasks: unknown[] };
    expect(doc).toMatchObject({ state: 'STOP', tasks: [] });
    expect(doc.message).toMatch(/^discarded \(SERIAL_DISCARD\): run 1 .* of nightly is running$/);
    release(dir, 'A');
    expect(await a.exit).toBe(0);
    expect(order(dir)).toEqual(['start A', 'end A']);
    // Once A has ended, the next run goes.
    const c = spawnRun(db, file, ['--param', 'tag=C']);
    expect(await c.exit).toBe(0);
    expect(runs(db).map((r) => r.state)).toEqual(['SUCCESS', 'STOP', 'SUCCESS']);
    const list = spawn(process.execPath, [binPath, '--db', db, 'runs'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let text = '';
    list.stdout.on('data', (d) => (text += d));
    await new Promise((res) => list.on('close', res));
    expect(text.split('\n').find((l) => /^\s+2\s/.test(l))).toMatch(/STOP .*discarded \(SERIAL_DISCARD\): run 1 /);
  });

  it('SERIAL_PRIORITY: a new run stops the running one (STOP, its task killed) and runs once it has ended', async () => {
    const { dir, db } = box();
    const file = serialWorkflow(dir, 'SERIAL_PRIORITY');
    release(dir, 'B');
    const a = spawnRun(db, file, ['--param', 'tag=A']);
    await waitFor(() => order(dir).includes('start A'), 'A to start');
    const b = spawnRun(db, file, ['--param', 'tag=B']);
    const [ea, eb] = await Promise.all([a.exit, b.exit]);
    expect(ea).toBe(130);
    expect(eb).toBe(0);
    expect(order(dir)).toEqual(['start A', 'start B', 'end B']);
    const [ra, rb] = runs(db);
    expect(ra).toMatchObject({ state: 'STOP' });
    expect(ra!.message).toMatch(new RegExp(`^stopped by run ${rb!.id} .*\\(SERIAL_PRIORITY\\)$`));
    expect(rb).toMatchObject({ state: 'SUCCESS' });
    expect(a.err()).toMatch(/STOP\s+run 1: stopped by run 2 .*\(SERIAL_PRIORITY\)/);
    expect(a.out()).toMatch(/work\s+KILL/);
    expect(b.err()).toMatch(/stopping run 1 .* of nightly \(SERIAL_PRIORITY\)/);
  });

  it('Ctrl-C while waiting ends the waiting run cleanly (KILL, exit 130); the running one is untouched', async () => {
    const { dir, db } = box();
    const file = serialWorkflow(dir, 'SERIAL_WAIT');
    release(dir, 'B');
    const a = spawnRun(db, file, ['--param', 'tag=A']);
    await waitFor(() => order(dir).includes('start A'), 'A to start');
    const b = spawnRun(db, file, ['--param', 'tag=B']);
    await waitFor(() => runs(db).some((r) => r.state === 'SERIAL_WAIT'), 'B to wait');
    b.child.kill('SIGINT');
    expect(await b.exit).toBe(130);
    expect(runs(db)[1]).toMatchObject({ state: 'KILL', message: 'stopped while waiting for its turn (SERIAL_WAIT)' });
    release(dir, 'A');
    expect(await a.exit).toBe(0);
    expect(order(dir)).toEqual(['start A', 'end A']);
  });

  it('rerun of a SERIAL_WAIT workflow while another run goes waits for it, then reruns', async () => {
    const { dir, db } = box();
    const file = serialWorkflow(dir, 'SERIAL_WAIT');
    release(dir, 'A');
    expect(await spawnRun(db, file, ['--param', 'tag=A']).exit).toBe(0);
    const b = spawnRun(db, file, ['--param', 'tag=B']);
    await waitFor(() => order(dir).includes('start B'), 'B to start');
    const r = spawnCli(db, ['rerun', '1']);
    await waitFor(() => runs(db)[0]?.state === 'SERIAL_WAIT', 'the rerun to wait');
    release(dir, 'B');
    expect(await r.exit).toBe(0);
    expect(await b.exit).toBe(0);
    expect(r.err()).toMatch(/waiting \(SERIAL_WAIT\): run 2 /);
    expect(order(dir)).toEqual(['start A', 'end A', 'start B', 'end B', 'start A', 'end A']);
    expect(runs(db).map((x) => x.state)).toEqual(['SUCCESS', 'SUCCESS']);
  });

  it('rerun of a SERIAL_DISCARD workflow while another run goes is refused (exit 3) and leaves the run as it was', async () => {
    const { dir, db } = box();
    const file = serialWorkflow(dir, 'SERIAL_DISCARD');
    release(dir, 'A');
    expect(await spawnRun(db, file, ['--param', 'tag=A']).exit).toBe(0);
    const b = spawnRun(db, file, ['--param', 'tag=B']);
    await waitFor(() => order(dir).includes('start B'), 'B to start');
    const r = spawnCli(db, ['rerun', '1']);
    expect(await r.exit).toBe(3);
    expect(r.err()).toMatch(/run 1 not reopened: run 2 .* of nightly is running \(executionType SERIAL_DISCARD\)/);
    expect(runs(db)[0]).toMatchObject({ state: 'SUCCESS' });
    release(dir, 'B');
    expect(await b.exit).toBe(0);
  });
});

describe('workflow timeout', () => {
  it('raises its alert once (CLI warning, system log line, stored time) and does not stop the run', async () => {
    const { dir, db } = box();
    const file = join(dir, 'slow.yaml');
    writeFileSync(
      file,
      `workflow:
  name: slow
  timeout: 0.01
tasks:
  - name: nap
    task_type: Shell
    command: sleep 1.5; echo done > done.txt
`,
    );
    const r = spawnRun(db, file, ['--json']);
    expect(await r.exit).toBe(0);
    const doc = JSON.parse(r.out()) as { state: string; timeoutAlert?: string };
    expect(doc.state).toBe('SUCCESS');
    expect(doc.timeoutAlert).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(existsSync(join(dir, 'done.txt'))).toBe(true);
    expect(runs(db)[0]!.timeout_alert_at).toBeGreaterThan(0);

    const plain = spawnRun(db, file);
    expect(await plain.exit).toBe(0);
    const warnings = plain.err().split('\n').filter((l) => l.includes('exceeded its timeout'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('WARN: workflow slow (run 2) exceeded its timeout of 0.01 min; it goes on');
    expect(plain.out()).toContain('timeout alert raised at');
    const logs = spawn(process.execPath, [binPath, '--db', db, 'logs', '2'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    logs.stdout.on('data', (c) => (out += c));
    await new Promise((res) => logs.on('close', res));
    expect(out.split('\n').filter((l) => l.includes('exceeded its timeout'))).toHaveLength(1);
  });
});
