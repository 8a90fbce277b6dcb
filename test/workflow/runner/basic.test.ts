import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startRun, openRunStore } from '../../../src/workflow/runner/index.js';
import type { TaskEvent } from '../../../src/workflow/runner/events.js';
import { sandboxes, bundle, shell, task, workflow, inParam, outParam } from './helpers.js';

const box = sandboxes();

describe('runner: DAG execution', () => {
  it('runs a diamond in dependency order, in the workflow folder, with the run store exported', async () => {
    const { dir, db } = box();
    const wf = workflow('diamond', dir, [
      shell('a', 'echo a >> order.txt; echo "$QUANTFLOW_DB" > db.txt; pwd > pwd.txt'),
      shell('b', 'sleep 0.1; echo b >> order.txt', { deps: ['a'] }),
      shell('c', 'echo c >> order.txt', { deps: ['a'] }),
      task('d', { type: 'NOOP', typeAsWritten: 'NOOP', deps: ['b', 'c'] }),
      shell('e', 'echo e >> order.txt', { deps: ['d'] }),
    ]);
    const h = startRun({ dbPath: db, bundle: bundle(wf) });
    const events: TaskEvent[] = [];
    h.events.on('task', (e) => events.push(e));
    const s = await h.done;
    expect(s.state).toBe('SUCCESS');
    expect(s.tasks.map((t) => [t.name, t.state, t.attempts])).toEqual([
      ['a', 'SUCCESS', 1],
      ['b', 'SUCCESS', 1],
      ['c', 'SUCCESS', 1],
      ['d', 'SUCCESS', 1],
      ['e', 'SUCCESS', 1],
    ]);
    const order = readFileSync(join(dir, 'order.txt'), 'utf8').trim().split('\n');
    expect(order[0]).toBe('a');
    expect(order[3]).toBe('e');
    expect(new Set(order.slice(1, 3))).toEqual(new Set(['b', 'c']));
    expect(readFileSync(join(dir, 'db.txt'), 'utf8').trim()).toBe(db);
    expect(readFileSync(join(dir, 'pwd.txt'), 'utf8').trim()).toBe(dir);
    expect(events.filter((e) => e.name === 'a').map((e) => e.state)).toEqual(['SUBMITTED_SUCCESS', 'RUNNING_EXECUTION', 'SUCCESS']);
    const store = openRunStore(db);
    expect(store.getRun(h.runId)!.state).toBe('SUCCESS');
  });

  it('captures stdout and stderr lines, and ::progress lines become progress events', async () => {
    const { dir, db } = box();
    const wf = workflow('logs', dir, [shell('t', 'echo out1; echo err1 >&2; echo "::progress 3/10 bars" >&2; echo out2')]);
    const h = startRun({ dbPath: db, bundle: bundle(wf) });
    const progress: { done: number; total: number; label: string }[] = [];
    h.events.on('progress', (p) => progress.push(p));
    await h.done;
    const lines = openRunStore(db).logLines(h.runId, 't');
    expect(lines.filter((l) => l.stream === 'stdout').map((l) => l.line)).toEqual(['out1', 'out2']);
    expect(lines.filter((l) => l.stream === 'stderr').map((l) => l.line)).toEqual(['err1']);
    expect(progress).toEqual([expect.objectContaining({ done: 3, total: 10, label: 'bars' })]);
  });

  it('passes setValue OUT params downstream only, with DolphinScheduler precedence', async () => {
    const { dir, db } = box();
    const wf = workflow(
      'params',
      dir,
      [
        shell('produce', `echo '\${setValue(count=42)}'; echo "#{setValue(undeclared=1)}"; echo 'seen=\${count}' > produce.txt`, {
          localParams: [outParam('count')],
        }),
        shell('consume', `echo "count=\${count} project=\${project} who=\${who} local=\${local} chained=\${chain}" > consume.txt; echo 'undeclared=\${undeclared}' >> consume.txt`, {
          deps: ['produce'],
          localParams: [inParam('project', '${project}'), inParam('local', 'L-${who}'), inParam('chain', '${local}!')],
        }),
      ],
      { params: { project: 'stock', who: 'global' } },
    );
    const s = await startRun({ dbPath: db, bundle: bundle(wf), params: { who: 'startup' } }).done;
    expect(s.state).toBe('SUCCESS');
    expect(readFileSync(join(dir, 'produce.txt'), 'utf8').trim()).toBe('seen=${count}');
    expect(readFileSync(join(dir, 'consume.txt'), 'utf8').trim()).toBe('count=42 project=stock who=startup local=L-startup chained=L-startup!\nundeclared=${undeclared}');
  });
});
