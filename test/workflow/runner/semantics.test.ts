import { describe, it, expect } from 'vitest';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startRun, recoverRun, rerunRun, openRunStore, type RunSummary } from '../../../src/workflow/runner/index.js';
import type { LogEvent } from '../../../src/workflow/runner/events.js';
import { sandboxes, bundle, shell, task, workflow } from './helpers.js';

const box = sandboxes();
const states = (s: RunSummary) => Object.fromEntries(s.tasks.map((t) => [t.name, t.state]));

describe('retries', () => {
  it('a failing attempt is retried after fail_retry_interval (fractional minutes) as a new attempt row', async () => {
    const { dir, db } = box();
    // Fails on the first two attempts, succeeds on the third.
    const wf = workflow('retry', dir, [shell('flaky', 'n=$(cat n 2>/dev/null || echo 0); echo $((n+1)) > n; [ "$n" -ge 2 ]', { failRetryTimes: 3, failRetryInterval: 0.002 })]);
    const t0 = Date.now();
    const s = await startRun({ dbPath: db, bundle: bundle(wf) }).done;
    expect(s.state).toBe('SUCCESS');
    expect(s.tasks[0]).toMatchObject({ name: 'flaky', state: 'SUCCESS', attempts: 3, exitCode: 0 });
    expect(Date.now() - t0).toBeGreaterThanOrEqual(2 * 0.002 * 60_000);
    const rows = openRunStore(db).taskInstances(s.id);
    expect(rows.map((r) => [r.attempt, r.state, r.exitCode])).toEqual([
      [1, 'FAILURE', 1],
      [2, 'FAILURE', 1],
      [3, 'SUCCESS', 0],
    ]);
  });

  it('gives up after fail_retry_times retries', async () => {
    const { dir, db } = box();
    const wf = workflow('retry2', dir, [shell('bad', 'exit 3', { failRetryTimes: 1, failRetryInterval: 0 })]);
    const s = await startRun({ dbPath: db, bundle: bundle(wf) }).done;
    expect(s.state).toBe('FAILURE');
    expect(s.tasks[0]).toMatchObject({ state: 'FAILURE', attempts: 2, exitCode: 3 });
  });
});

describe('timeouts', () => {
  it('FAILED kills the process group at the timeout and fails the attempt, then retry rules apply', async () => {
    const { dir, db } = box();
    const wf = workflow('timeout', dir, [
      shell('slow', '(sleep 30; echo orphan > orphan.txt) & sleep 30', { timeout: 0.005, timeoutNotifyStrategy: 'FAILED', failRetryTimes: 1, failRetryInterval: 0 }),
    ]);
    const t0 = Date.now();
    const s = await startRun({ dbPath: db, bundle: bundle(wf), killGraceMs: 200 }).done;
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(s.state).toBe('FAILURE');
    expect(s.tasks[0]).toMatchObject({ state: 'FAILURE', attempts: 2 });
    const rows = openRunStore(db).taskInstances(s.id);
    expect(rows.every((r) => r.message === 'timed out after 0.005 min')).toBe(true);
    expect(existsSync(join(dir, 'orphan.txt'))).toBe(false);
  });

  it('WARNFAILED warns and fails', async () => {
    const { dir, db } = box();
    const wf = workflow('warnfailed', dir, [shell('slow', 'sleep 20', { timeout: 0.004, timeoutNotifyStrategy: 'WARNFAILED' })]);
    const h = startRun({ dbPath: db, bundle: bundle(wf), killGraceMs: 200 });
    const warnings: string[] = [];
    h.events.on('log', (e) => e.warning && warnings.push(e.line));
    const s = await h.done;
    expect(s.tasks[0]).toMatchObject({ state: 'FAILURE', attempts: 1 });
    expect(warnings).toEqual(['WARN: slow exceeded its timeout of 0.004 min']);
  });

  it('WARN only warns; the task runs to completion', async () => {
    const { dir, db } = box();
    const wf = workflow('warn', dir, [shell('slowish', 'sleep 0.6; echo done', { timeout: 0.005, timeoutNotifyStrategy: 'WARN' })]);
    const h = startRun({ dbPath: db, bundle: bundle(wf) });
    const warnings: LogEvent[] = [];
    h.events.on('log', (e) => e.warning && warnings.push(e));
    const s = await h.done;
    expect(s.state).toBe('SUCCESS');
    expect(warnings.map((w) => w.line)).toEqual(['WARN: slowish exceeded its timeout of 0.005 min']);
  });
});

describe('failure strategies', () => {
  const dag = (dir: string) =>
    workflow('strategy', dir, [
      shell('fail', 'sleep 0.1; exit 1'),
      shell('after_fail', 'echo no', { deps: ['fail'] }),
      shell('long', 'sleep 1.5; echo finished > long.txt'),
      shell('after_long', 'echo yes > after_long.txt', { deps: ['long'] }),
    ]);

  it('CONTINUE: independent branches finish, downstream of the failure is NOT_RUN, the run FAILURE', async () => {
    const { dir, db } = box();
    const s = await startRun({ dbPath: db, bundle: bundle(dag(dir)) }).done;
    expect(s.state).toBe('FAILURE');
    expect(states(s)).toEqual({ fail: 'FAILURE', after_fail: 'NOT_RUN', long: 'SUCCESS', after_long: 'SUCCESS' });
    expect(existsSync(join(dir, 'after_long.txt'))).toBe(true);
  });

  it('END: running tasks are killed (KILL), the rest NOT_RUN, the run FAILURE', async () => {
    const { dir, db } = box();
    const t0 = Date.now();
    const s = await startRun({ dbPath: db, bundle: bundle(dag(dir)), failureStrategy: 'END', killGraceMs: 200 }).done;
    expect(Date.now() - t0).toBeLessThan(1400);
    expect(s.state).toBe('FAILURE');
    expect(states(s)).toEqual({ fail: 'FAILURE', after_fail: 'NOT_RUN', long: 'KILL', after_long: 'NOT_RUN' });
    expect(existsSync(join(dir, 'long.txt'))).toBe(false);
  });
});

describe('start from a task (--deps)', () => {
  const chain = (dir: string) =>
    workflow('chain', dir, [shell('a', 'echo a >> ran'), shell('b', 'echo b >> ran', { deps: ['a'] }), shell('c', 'echo c >> ran', { deps: ['b'] }), shell('x', 'echo x >> ran')]);
  const ran = (dir: string) => readFileSync(join(dir, 'ran'), 'utf8').trim().split('\n').sort();
  for (const [deps, want] of [
    ['post', ['b', 'c']],
    ['pre', ['a', 'b']],
    ['only', ['b']],
  ] as const) {
    it(`${deps}: runs ${want.join(', ')}`, async () => {
      const { dir, db } = box();
      const s = await startRun({ dbPath: db, bundle: bundle(chain(dir)), startTasks: ['b'], deps }).done;
      expect(s.state).toBe('SUCCESS');
      expect(s.tasks.map((t) => t.name).sort()).toEqual([...want]);
      expect(ran(dir)).toEqual([...want]);
    });
  }
  it('an unknown start task is bad input', () => {
    const { dir, db } = box();
    expect(() => startRun({ dbPath: db, bundle: bundle(chain(dir)), startTasks: ['nope'] })).toThrow(/no task "nope"/);
  });
});

describe('flag NO, Condition, Switch', () => {
  it('flag NO is SKIPPED and its downstream proceeds', async () => {
    const { dir, db } = box();
    const wf = workflow('flag', dir, [shell('off', 'echo no > off.txt', { flag: 'NO' }), shell('next', 'true', { deps: ['off'] })]);
    const s = await startRun({ dbPath: db, bundle: bundle(wf) }).done;
    expect(s.state).toBe('SUCCESS');
    expect(states(s)).toEqual({ off: 'SKIPPED', next: 'SUCCESS' });
    expect(existsSync(join(dir, 'off.txt'))).toBe(false);
  });

  it('Condition routes on upstream failure: the success branch and what only it feeds are SKIPPED', async () => {
    const { dir, db } = box();
    const wf = workflow('cond', dir, [
      shell('check', 'exit 1'),
      task('route', { type: 'CONDITIONS', typeAsWritten: 'Condition', deps: ['check'], condition: { successTask: 'ok', failedTask: 'alert', op: 'AND', groups: [{ op: 'AND', items: [{ task: 'check', flag: true }] }] } }),
      shell('ok', 'true', { deps: ['route'] }),
      shell('after_ok', 'true', { deps: ['ok'] }),
      shell('alert', 'echo alert > alert.txt', { deps: ['route'] }),
    ]);
    const s = await startRun({ dbPath: db, bundle: bundle(wf) }).done;
    expect(states(s)).toEqual({ check: 'FAILURE', route: 'SUCCESS', ok: 'SKIPPED', after_ok: 'SKIPPED', alert: 'SUCCESS' });
    // The failure was routed by the condition: the run succeeds (DolphinScheduler's rule).
    expect(s.state).toBe('SUCCESS');
  });

  it('Switch takes the first true branch (params substituted), else the default', async () => {
    const { dir, db } = box();
    const mk = () =>
      workflow(
        'switch',
        dir,
        [
          task('pick', { type: 'SWITCH', typeAsWritten: 'Switch', switchBranches: [{ condition: '${n} > 5', task: 'big' }, { condition: "${mode} == 'fast'", task: 'fast' }, { task: 'other' }] }),
          shell('big', 'true', { deps: ['pick'] }),
          shell('fast', 'true', { deps: ['pick'] }),
          shell('other', 'true', { deps: ['pick'] }),
        ],
        { params: { n: '3', mode: 'fast' } },
      );
    const s1 = await startRun({ dbPath: db, bundle: bundle(mk()) }).done;
    expect(states(s1)).toEqual({ pick: 'SUCCESS', big: 'SKIPPED', fast: 'SUCCESS', other: 'SKIPPED' });
    const s2 = await startRun({ dbPath: db, bundle: bundle(mk()), params: { n: '9' } }).done;
    expect(states(s2)).toEqual({ pick: 'SUCCESS', big: 'SUCCESS', fast: 'SKIPPED', other: 'SKIPPED' });
    const s3 = await startRun({ dbPath: db, bundle: bundle(mk()), params: { mode: 'slow' } }).done;
    expect(states(s3)).toEqual({ pick: 'SUCCESS', big: 'SKIPPED', fast: 'SKIPPED', other: 'SUCCESS' });
  });
});

describe('delay, dry run, recover, rerun', () => {
  it('delay_time holds the task in DELAY_EXECUTION first', async () => {
    const { dir, db } = box();
    const wf = workflow('delay', dir, [shell('later', 'true', { delayTime: 0.005 })]);
    const h = startRun({ dbPath: db, bundle: bundle(wf) });
    const seen: string[] = [];
    h.events.on('task', (e) => seen.push(e.state));
    const t0 = Date.now();
    await h.done;
    expect(Date.now() - t0).toBeGreaterThanOrEqual(300);
    expect(seen).toEqual(['SUBMITTED_SUCCESS', 'DELAY_EXECUTION', 'RUNNING_EXECUTION', 'SUCCESS']);
  });

  it('a dry run resolves and records every final command and runs nothing', async () => {
    const { dir, db } = box();
    const wf = workflow('dry', dir, [shell('a', 'echo ${greeting} $[yyyyMMdd] > a.txt'), shell('b', 'touch b.txt', { deps: ['a'] })], { params: { greeting: 'hi' } });
    const s = await startRun({ dbPath: db, bundle: bundle(wf), dryRun: true, scheduleTime: new Date(2022, 7, 26) }).done;
    expect(s.state).toBe('SUCCESS');
    expect(existsSync(join(dir, 'a.txt')) || existsSync(join(dir, 'b.txt'))).toBe(false);
    const rows = openRunStore(db).taskInstances(s.id);
    expect(rows.map((r) => r.command)).toEqual(['echo hi 20220826 > a.txt', 'touch b.txt']);
  });

  it('recover re-runs only the failed task and its downstream, same run id, new attempts', async () => {
    const { dir, db } = box();
    const wf = workflow('recover', dir, [
      shell('first', 'echo first >> ran'),
      shell('breaks', 'echo breaks >> ran; [ -f fixed ]', { deps: ['first'] }),
      shell('last', 'echo last >> ran', { deps: ['breaks'] }),
      shell('side', 'echo side >> ran'),
    ]);
    const s1 = await startRun({ dbPath: db, bundle: bundle(wf) }).done;
    expect(states(s1)).toEqual({ first: 'SUCCESS', breaks: 'FAILURE', last: 'NOT_RUN', side: 'SUCCESS' });
    writeFileSync(join(dir, 'fixed'), '');
    const s2 = await recoverRun({ dbPath: db, bundle: bundle(wf), runId: s1.id }).done;
    expect(s2.id).toBe(s1.id);
    expect(s2.state).toBe('SUCCESS');
    expect(states(s2)).toEqual({ first: 'SUCCESS', breaks: 'SUCCESS', last: 'SUCCESS', side: 'SUCCESS' });
    expect(s2.tasks.find((t) => t.name === 'breaks')!.attempts).toBe(2);
    expect(s2.tasks.find((t) => t.name === 'first')!.attempts).toBe(1);
    expect(readFileSync(join(dir, 'ran'), 'utf8').trim().split('\n').sort()).toEqual(['breaks', 'breaks', 'first', 'last', 'side']);
    const attempts = openRunStore(db).taskInstances(s1.id).filter((r) => r.name === 'breaks').map((r) => [r.attempt, r.state]);
    expect(attempts).toEqual([
      [1, 'FAILURE'],
      [2, 'SUCCESS'],
    ]);
  });

  it('rerun runs the whole DAG again in the same run id, keeping old attempts as history', async () => {
    const { dir, db } = box();
    const wf = workflow('rerun', dir, [shell('a', 'echo a >> ran'), shell('b', 'echo b >> ran', { deps: ['a'] })]);
    const s1 = await startRun({ dbPath: db, bundle: bundle(wf) }).done;
    const s2 = await rerunRun({ dbPath: db, bundle: bundle(wf), runId: s1.id }).done;
    expect(s2.id).toBe(s1.id);
    expect(s2.state).toBe('SUCCESS');
    expect(s2.tasks.map((t) => t.attempts)).toEqual([1, 1]);
    const store = openRunStore(db);
    expect(store.taskInstances(s1.id).map((r) => [r.name, r.flag])).toEqual([
      ['a', 0],
      ['b', 0],
      ['a', 1],
      ['b', 1],
    ]);
    expect(store.getRun(s1.id)!.runTimes).toBe(2);
    expect(readFileSync(join(dir, 'ran'), 'utf8').trim().split('\n')).toEqual(['a', 'b', 'a', 'b']);
  });
});

describe('task types', () => {
  it('Python runs the definition with python3; unknown types are not runnable locally', async () => {
    const { dir, db } = box();
    const wf = workflow('types', dir, [
      task('py', { type: 'PYTHON', typeAsWritten: 'Python', script: "def main(\n):\n    print('${setValue(v=7)}')\n", localParams: [{ prop: 'v', direct: 'OUT', type: 'VARCHAR', value: '' }] }),
      shell('use', 'echo "v=${v}" > v.txt', { deps: ['py'] }),
      task('http', { type: 'HTTP', typeAsWritten: 'Http' }),
    ]);
    const s = await startRun({ dbPath: db, bundle: bundle(wf) }).done;
    expect(states(s)).toEqual({ py: 'SUCCESS', use: 'SUCCESS', http: 'FAILURE' });
    expect(readFileSync(join(dir, 'v.txt'), 'utf8').trim()).toBe('v=7');
    const msgs = openRunStore(db).taskInstances(s.id).map((r) => r.message);
    expect(msgs).toContain('HTTP tasks are not runnable locally');
  });
});

describe('base time', () => {
  it('a start-up system.datetime sets the base of the built-ins and $[...] (a backfill)', async () => {
    const { dir, db } = box();
    const wf = workflow('base', dir, [shell('t', 'echo "${system.biz.date} ${system.biz.curdate} $[yyyyMMdd-7] $[add_months(yyyyMM,-1)]" > base.txt')]);
    const s = await startRun({ dbPath: db, bundle: bundle(wf), params: { 'system.datetime': '20220826093000' } }).done;
    expect(s.state).toBe('SUCCESS');
    expect(readFileSync(join(dir, 'base.txt'), 'utf8').trim()).toBe('20220825 20220826 20220819 202207');
  });
});
