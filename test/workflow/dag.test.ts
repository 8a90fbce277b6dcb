import { describe, expect, it } from 'vitest';
import { downstreamOf, findCycle, selectTasks, topoOrder, upstreamOf } from '../../src/workflow/dag.js';
import type { TaskDef, WorkflowDef } from '../../src/workflow/model.js';

function wf(edges: Record<string, string[]>): WorkflowDef {
  const loc = { file: 'x.yaml', line: 1, col: 1 };
  const tasks = Object.entries(edges).map(
    ([name, deps]): TaskDef => ({
      name, type: 'NOOP', typeAsWritten: 'NoOp', deps, flag: 'YES', priority: 'MEDIUM', workerGroup: 'default',
      delayTime: 0, failRetryTimes: 0, failRetryInterval: 1, timeout: 0, localParams: [], raw: {}, loc,
    }),
  );
  return {
    name: 'w', file: '/x.yaml', project: 'p', workerGroup: 'default', warningType: 'NONE', warningGroupId: 0, executionType: 'PARALLEL',
    releaseState: 'online', timeout: 0, onlineSchedule: false, timezone: 'Asia/Shanghai', params: {}, run: false, tasks, loc,
  };
}

// a -> b -> d, a -> c -> d, e alone; listed out of order on purpose.
const diamond = wf({ d: ['b', 'c'], b: ['a'], e: [], c: ['a'], a: [] });

describe('dag', () => {
  it('orders upstream before downstream, ties in file order', () => {
    expect(topoOrder(diamond)).toEqual(['e', 'a', 'b', 'c', 'd']);
  });

  it('finds no cycle in a DAG and names the cycle otherwise', () => {
    expect(findCycle(diamond)).toBeUndefined();
    const cyc = wf({ a: ['c'], b: ['a'], c: ['b'], z: [] });
    expect(findCycle(cyc)).toEqual(['a', 'b', 'c', 'a']);
    expect(() => topoOrder(cyc)).toThrow(/cycle: a -> b -> c -> a/);
    expect(findCycle(wf({ a: ['a'] }))).toEqual(['a', 'a']);
  });

  it('computes up- and downstream closures', () => {
    expect([...downstreamOf(diamond, ['a'])].sort()).toEqual(['b', 'c', 'd']);
    expect([...downstreamOf(diamond, ['c'])]).toEqual(['d']);
    expect([...upstreamOf(diamond, ['d'])].sort()).toEqual(['a', 'b', 'c']);
    expect(upstreamOf(diamond, ['e']).size).toBe(0);
  });

  it('selects tasks as TASK_POST, TASK_PRE and TASK_ONLY', () => {
    expect([...selectTasks(diamond, ['b'], 'post')].sort()).toEqual(['b', 'd']);
    expect([...selectTasks(diamond, ['b'], 'pre')].sort()).toEqual(['a', 'b']);
    expect([...selectTasks(diamond, ['b', 'e'], 'only')].sort()).toEqual(['b', 'e']);
    expect(() => selectTasks(diamond, ['nope'], 'only')).toThrow(/no task "nope"/);
  });

  it('ignores deps on unknown tasks and handles 2,000 tasks', () => {
    expect(topoOrder(wf({ a: ['ghost'] }))).toEqual(['a']);
    const big: Record<string, string[]> = {};
    for (let i = 0; i < 2000; i++) big[`t${i}`] = i === 0 ? [] : [`t${Math.floor((i - 1) / 2)}`];
    const order = topoOrder(wf(big));
    expect(order).toHaveLength(2000);
    const pos = new Map(order.map((n, i) => [n, i]));
    for (let i = 1; i < 2000; i++) expect(pos.get(`t${Math.floor((i - 1) / 2)}`)!).toBeLessThan(pos.get(`t${i}`)!);
  });
});
