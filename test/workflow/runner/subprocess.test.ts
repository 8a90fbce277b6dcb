import { describe, it, expect } from 'vitest';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startRun, recoverRun, openRunStore } from '../../../src/workflow/runner/index.js';
import type { TaskEvent } from '../../../src/workflow/runner/events.js';
import { sandboxes, bundle, shell, task, workflow, inParam, outParam } from './helpers.js';

const box = sandboxes();

function family(dir: string) {
  const child = workflow(
    'child',
    dir,
    [
      shell('step', `echo "project=\${project} level=\${level}" > child.txt; [ -f ok ] || exit 1; echo '\${setValue(result=done)}'`, { localParams: [inParam('project', '${project}'), outParam('result')] }),
    ],
    { params: { project: 'child-default', level: 'child' } },
  );
  const parent = workflow(
    'parent',
    dir,
    [
      task('sub', { type: 'SUB_PROCESS', typeAsWritten: 'SubProcess', childWorkflow: 'child', failRetryTimes: 2, failRetryInterval: 0, localParams: [inParam('level', 'from-parent-task'), outParam('result')] }),
      shell('after', 'echo "result=${result}" > after.txt', { deps: ['sub'] }),
    ],
    { params: { project: 'parent-project' } },
  );
  return bundle(parent, [child]);
}

describe('SubProcess', () => {
  it('runs a linked child instance; parent globals and the task\'s IN params reach the child; never retried; recover continues the same child run', async () => {
    const { dir, db } = box();
    const h = startRun({ dbPath: db, bundle: family(dir) });
    const s1 = await h.done;
    expect(s1.state).toBe('FAILURE');
    const sub = s1.tasks.find((t) => t.name === 'sub')!;
    expect(sub).toMatchObject({ state: 'FAILURE', attempts: 1 });
    expect(sub.childRunId).toBeGreaterThan(s1.id);
    expect(readFileSync(join(dir, 'child.txt'), 'utf8').trim()).toBe('project=parent-project level=from-parent-task');
    const store = openRunStore(db);
    const child = store.getRun(sub.childRunId!)!;
    expect(child).toMatchObject({ name: 'child', state: 'FAILURE', parentRunId: s1.id });
    expect(store.getTaskInstance(child.parentTaskInstanceId!)!.name).toBe('sub');

    writeFileSync(join(dir, 'ok'), '');
    const s2 = await recoverRun({ dbPath: db, bundle: family(dir), runId: s1.id }).done;
    expect(s2.state).toBe('SUCCESS');
    expect(s2.tasks.find((t) => t.name === 'sub')!.childRunId).toBe(sub.childRunId);
    expect(store.getRun(sub.childRunId!)!.state).toBe('SUCCESS');
    // The SubProcess task's own log names the child run: started, continued on recover, ended.
    const subLog = store.logLines(s1.id, 'sub').map((l) => l.line);
    expect(subLog).toEqual(expect.arrayContaining([`sub-workflow child runs as run #${sub.childRunId}`, `sub-workflow child continues as run #${sub.childRunId}`, `sub-workflow run #${sub.childRunId} ended SUCCESS`]));
    // The child's OUT value, declared OUT on the SubProcess task, flows to the parent's downstream.
    expect(readFileSync(join(dir, 'after.txt'), 'utf8').trim()).toBe('result=done');
  });

  it('the child\'s output varPool reaches the parent\'s downstream tasks without an OUT param on the SubProcess task (DS >= 3.2)', async () => {
    const { dir, db } = box();
    const child = workflow('producer', dir, [
      shell('first', `echo '\${setValue(dataset=ds-42)}'; echo '\${setValue(undeclared=x)}'`, { localParams: [outParam('dataset')] }),
      shell('last', `echo "#{setValue(model=m-\${dataset})}"`, { deps: ['first'], localParams: [outParam('model')] }),
    ]);
    const parent = workflow('consumer', dir, [
      task('sub', { type: 'SUB_PROCESS', typeAsWritten: 'SubWorkflow', childWorkflow: 'producer' }),
      shell('use', 'echo "dataset=${dataset} model=${model} undeclared=${undeclared}" > use.txt', { deps: ['sub'] }),
      shell('sideways', 'echo "model=${model}" > sideways.txt'),
    ]);
    const s = await startRun({ dbPath: db, bundle: bundle(parent, [child]) }).done;
    expect(s.state).toBe('SUCCESS');
    // Only values the child's tasks exported (declared OUT) flow (an unresolved ${x} stays literal and bash makes it empty); downstream only, not to a sibling.
    expect(readFileSync(join(dir, 'use.txt'), 'utf8').trim()).toBe('dataset=ds-42 model=m-ds-42 undeclared=');
    expect(readFileSync(join(dir, 'sideways.txt'), 'utf8').trim()).toBe('model=');
    const store = openRunStore(db);
    expect(store.currentTasks(s.id).get('sub')!.varPool).toMatchObject({ dataset: 'ds-42', model: 'm-ds-42' });
  });

  it('a child workflow\'s executionType applies to its runs too: two parents share a SERIAL_WAIT child one at a time', async () => {
    const { dir, db } = box();
    const child = workflow('shared', dir, [shell('step', 'echo "start ${who}" >> order; sleep 0.4; echo "end ${who}" >> order')], { executionType: 'SERIAL_WAIT', params: { who: 'nobody' } });
    const parent = (name: string) => workflow(name, dir, [task('sub', { type: 'SUB_PROCESS', typeAsWritten: 'SubProcess', childWorkflow: 'shared' })], { params: { who: name } });
    const waits: string[] = [];
    const h1 = startRun({ dbPath: db, bundle: bundle(parent('p1'), [child]) });
    const h2 = startRun({ dbPath: db, bundle: bundle(parent('p2'), [child]) });
    for (const h of [h1, h2]) h.events.on('run', (e) => e.state === 'SERIAL_WAIT' && e.workflow === 'shared' && waits.push(e.message ?? ''));
    const [s1, s2] = await Promise.all([h1.done, h2.done]);
    expect([s1.state, s2.state]).toEqual(['SUCCESS', 'SUCCESS']);
    const lines = readFileSync(join(dir, 'order'), 'utf8').trim().split('\n');
    expect(lines.map((l) => l.split(' ')[0])).toEqual(['start', 'end', 'start', 'end']);
    expect([lines[0], lines[1]]).toEqual([`start ${lines[0]!.slice(6)}`, `end ${lines[0]!.slice(6)}`]);
    expect(new Set(lines.map((l) => l.split(' ')[1]))).toEqual(new Set(['p1', 'p2']));
    expect(waits).toHaveLength(1);
    expect(waits[0]).toMatch(/^waiting \(SERIAL_WAIT\): run \d+ .* of shared is running$/);
  });

  it('stop() kills a running child\'s tasks: child and parent KILL, store consistent', async () => {
    const { dir, db } = box();
    const child = workflow('slowchild', dir, [shell('nap', 'sleep 20'), shell('later', 'true', { deps: ['nap'] })]);
    const parent = workflow('slowparent', dir, [task('sub', { type: 'SUB_PROCESS', typeAsWritten: 'SubProcess', childWorkflow: 'slowchild' }), shell('after', 'touch after.txt', { deps: ['sub'] })]);
    const h = startRun({ dbPath: db, bundle: bundle(parent, [child]), killGraceMs: 200 });
    h.events.on('task', (e: TaskEvent) => {
      if (e.name === 'nap' && e.state === 'RUNNING_EXECUTION') setTimeout(() => h.stop(), 100);
    });
    const t0 = Date.now();
    const s = await h.done;
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(s.state).toBe('KILL');
    expect(Object.fromEntries(s.tasks.map((t) => [t.name, t.state]))).toEqual({ sub: 'KILL', after: 'NOT_RUN' });
    const store = openRunStore(db);
    const c = store.getRun(s.tasks[0]!.childRunId!)!;
    expect(c.state).toBe('KILL');
    expect(store.taskInstances(c.id).map((t) => [t.name, t.state])).toEqual([
      ['nap', 'KILL'],
      ['later', 'NOT_RUN'],
    ]);
    expect(existsSync(join(dir, 'after.txt'))).toBe(false);
  });
});

describe('parallel limit', () => {
  it('never runs more than N process tasks at once', async () => {
    const { dir, db } = box();
    const tasks = Array.from({ length: 6 }, (_, i) => shell(`t${i}`, `echo start $(date +%s%N) >> times; sleep 0.15; echo end $(date +%s%N) >> times`));
    const s = await startRun({ dbPath: db, bundle: bundle(workflow('par', dir, tasks)), parallel: 2 }).done;
    expect(s.state).toBe('SUCCESS');
    const events = readFileSync(join(dir, 'times'), 'utf8').trim().split('\n').map((l) => l.split(' ')).sort((a, b) => Number(BigInt(a[1]!) - BigInt(b[1]!)));
    let running = 0;
    let max = 0;
    for (const [kind] of events) {
      running += kind === 'start' ? 1 : -1;
      max = Math.max(max, running);
    }
    expect(max).toBe(2);
  });
});

describe('task_priority', () => {
  it('with one slot, ready tasks start by priority', async () => {
    const { dir, db } = box();
    const tasks = [
      shell('gate', 'true'),
      shell('low', 'echo low >> order', { deps: ['gate'], priority: 'LOW' }),
      shell('highest', 'echo highest >> order', { deps: ['gate'], priority: 'HIGHEST' }),
      shell('medium', 'echo medium >> order', { deps: ['gate'] }),
    ];
    const s = await startRun({ dbPath: db, bundle: bundle(workflow('prio', dir, tasks)), parallel: 1 }).done;
    expect(s.state).toBe('SUCCESS');
    expect(readFileSync(join(dir, 'order'), 'utf8').trim().split('\n')).toEqual(['highest', 'medium', 'low']);
  });
});

describe('slots', () => {
  it('a task in its delay holds no parallel slot', async () => {
    const { dir, db } = box();
    const tasks = [shell('delayed', 'echo delayed >> order', { delayTime: 0.008 }), shell('quick', 'sleep 0.1; echo quick >> order')];
    const t0 = Date.now();
    const s = await startRun({ dbPath: db, bundle: bundle(workflow('slots', dir, tasks)), parallel: 1 }).done;
    expect(s.state).toBe('SUCCESS');
    expect(readFileSync(join(dir, 'order'), 'utf8').trim().split('\n')).toEqual(['quick', 'delayed']);
    expect(Date.now() - t0).toBeLessThan(0.008 * 60_000 + 1500);
  });
});
