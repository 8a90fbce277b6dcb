import { describe, it, expect, afterEach } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { RunStore } from '../../src/workflow/store.js';
import { openDb } from '../../src/core/db.js';
import { binPath, repoRoot, tempDir } from '../support/fs.js';

let cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups) c();
  cleanups = [];
});
function store() {
  const t = tempDir('qf-store-');
  const db = openDb(join(t.dir, 's.db'));
  cleanups.push(() => {
    db.close();
    t.cleanup();
  });
  return { store: new RunStore(db), path: join(t.dir, 's.db'), dir: t.dir };
}
/** The pid of a process that has exited. */
function deadPid(): number {
  const r = spawnSync('sh', ['-c', 'echo $$']);
  return Number(String(r.stdout).trim());
}

describe('RunStore', () => {
  it('versioned migrations, runs, attempts and batched log lines', () => {
    const { store: s } = store();
    const versions = s.db.prepare("SELECT version FROM schema_migrations WHERE module = 'workflow' ORDER BY version").all() as { version: number }[];
    expect(versions.length).toBeGreaterThan(0);
    const run = s.createRun({ name: 'wf', file: '/x/wf.yaml', params: { a: '1' }, options: { parallel: 2 }, commandType: 'START_PROCESS' });
    const t1 = s.createTaskInstance({ runId: run, name: 't', type: 'SHELL', state: 'SUBMITTED_SUCCESS', attempt: 1 });
    s.updateTask(t1, { state: 'FAILURE', exitCode: 2, external: { arn: 'arn:x', token: 'tok' } });
    const t2 = s.createTaskInstance({ runId: run, name: 't', type: 'SHELL', state: 'SUCCESS', attempt: 2 });
    for (let i = 0; i < 1200; i++) s.appendLog({ runId: run, taskInstanceId: i % 2 ? t1 : t2, ts: i, stream: 'stdout', line: `l${i}` });
    expect(s.logLines(run).length).toBe(1200);
    expect(s.logLines(run, 't', 1).length).toBe(600);
    expect(s.getTaskInstance(t1)!.external).toEqual({ arn: 'arn:x', token: 'tok' });
    const cur = s.currentTasks(run).get('t')!;
    expect([cur.attempt, cur.attempts, cur.state]).toEqual([2, 2, 'SUCCESS']);
    s.setRunState(run, 'SUCCESS', 5);
    expect(s.getRun(run)).toMatchObject({ name: 'wf', state: 'SUCCESS', endTime: 5, params: { a: '1' }, options: { parallel: 2 }, pid: process.pid });
    expect(s.lastRunOf('wf')!.id).toBe(run);
    expect(s.listRuns(5).map((r) => r.id)).toEqual([run]);
  });

  it('named locks: one holder at a time; a lock of a dead process is stale', () => {
    const { store: s } = store();
    expect(s.tryLock('schedule:wf', 'scheduler-a')).toBe(true);
    expect(s.tryLock('schedule:wf', 'scheduler-b')).toBe(false);
    s.unlock('schedule:wf', 'scheduler-b');
    expect(s.lockHolder('schedule:wf')!.owner).toBe('scheduler-a');
    s.unlock('schedule:wf', 'scheduler-a');
    expect(s.tryLock('schedule:wf', 'scheduler-b')).toBe(true);
    s.db.prepare('UPDATE wf_locks SET pid = ?').run(deadPid());
    expect(s.tryLock('schedule:wf', 'scheduler-c')).toBe(true);
    expect(s.lockHolder('schedule:wf')!.owner).toBe('scheduler-c');
  });

  it('marks runs of dead processes NEED_FAULT_TOLERANCE with their unfinished tasks', () => {
    const { store: s } = store();
    const run = s.createRun({ name: 'wf', file: '/x', params: {}, options: {}, commandType: 'START_PROCESS' });
    const done = s.createTaskInstance({ runId: run, name: 'a', type: 'SHELL', state: 'SUCCESS', attempt: 1 });
    const busy = s.createTaskInstance({ runId: run, name: 'b', type: 'SHELL', state: 'RUNNING_EXECUTION', attempt: 1 });
    const live = s.createRun({ name: 'other', file: '/y', params: {}, options: {}, commandType: 'START_PROCESS' });
    expect(s.markOrphans()).toEqual([]); // both owned by this live process
    s.db.prepare('UPDATE wf_runs SET pid = ? WHERE id = ?').run(deadPid(), run);
    const seen: number[] = [];
    expect(s.markOrphans((t) => seen.push(t.id))).toEqual([run]);
    expect(seen).toEqual([busy]);
    expect(s.getRun(run)!.state).toBe('NEED_FAULT_TOLERANCE');
    expect(s.getTaskInstance(busy)!.state).toBe('NEED_FAULT_TOLERANCE');
    expect(s.getTaskInstance(done)!.state).toBe('SUCCESS');
    expect(s.getRun(live)!.state).toBe('RUNNING_EXECUTION');
  });

  it('two runs at once in two processes write one store without errors or lost lines', async () => {
    const { path } = store();
    const file = resolve(repoRoot, 'test/fixtures/workflows/runner/chatty.yaml');
    const one = () =>
      new Promise<{ code: number | null; out: string; err: string }>((res) => {
        const c = spawn(process.execPath, [binPath, '--db', path, 'run', file, '--param', 'lines=3000', '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
        let out = '';
        let err = '';
        c.stdout.on('data', (d) => (out += d));
        c.stderr.on('data', (d) => (err += d));
        c.on('close', (code) => res({ code, out, err }));
      });
    const [a, b] = await Promise.all([one(), one()]);
    expect([a.code, b.code, a.err, b.err]).toEqual([0, 0, '', '']);
    const ids = [JSON.parse(a.out).id, JSON.parse(b.out).id];
    const db = openDb(path);
    const s = new RunStore(db);
    for (const id of ids) {
      expect(s.getRun(id)!.state).toBe('SUCCESS');
      const lines = s.logLines(id);
      expect(lines.filter((l) => l.task === 'left').length).toBe(3000);
      expect(lines.filter((l) => l.task === 'right' && l.stream === 'stderr').length).toBe(3000);
      expect(lines.filter((l) => l.task === 'left').at(-1)!.line).toBe('left 3000');
    }
    db.close();
  });
});
