/**
 * Graph helpers over a loaded workflow: topological order, cycle search, up/downstream closures and
 * DolphinScheduler's start-from-task selection (TASK_POST / TASK_PRE / TASK_ONLY).
 *
 * Edges are `TaskDef.deps` (upstream names; the loader has already added the edges Condition and
 * Switch imply). Deps naming a task that does not exist are ignored here (the loader reports them).
 */
import { badInput } from '../core/errors.js';
import type { WorkflowDef } from './model.js';

interface Graph {
  names: string[];
  index: Map<string, number>;
  /** up[i] = indices of i's upstream tasks; down[i] = indices of its downstream tasks. */
  up: number[][];
  down: number[][];
}

/** Built per call (O(tasks + edges)), so callers may change `deps` freely between calls. */
function graphOf(wf: WorkflowDef): Graph {
  const names = wf.tasks.map((t) => t.name);
  const index = new Map<string, number>();
  for (let i = 0; i < names.length; i++) if (!index.has(names[i])) index.set(names[i], i);
  const up: number[][] = names.map(() => []);
  const down: number[][] = names.map(() => []);
  for (let i = 0; i < wf.tasks.length; i++) {
    const seen = new Set<number>();
    for (const d of wf.tasks[i].deps) {
      const j = index.get(d);
      if (j === undefined || seen.has(j)) continue;
      seen.add(j);
      up[i].push(j);
      down[j].push(i);
    }
  }
  return { names, index, up, down };
}

/**
 * A cycle as a closed path of task names (`['a', 'b', 'c', 'a']`: a is upstream of b, b of c, c of a),
 * or undefined when the workflow is acyclic. The first cycle found in file order.
 */
export function findCycle(wf: WorkflowDef): string[] | undefined {
  const g = graphOf(wf);
  const n = g.names.length;
  const state = new Uint8Array(n); // 0 new, 1 on stack, 2 done
  const parent = new Int32Array(n).fill(-1);
  for (let s = 0; s < n; s++) {
    if (state[s] !== 0) continue;
    // Iterative DFS along downstream edges.
    const stack: { node: number; next: number }[] = [{ node: s, next: 0 }];
    state[s] = 1;
    while (stack.length > 0) {
      const top = stack[stack.length - 1];
      const outs = g.down[top.node];
      if (top.next < outs.length) {
        const v = outs[top.next++];
        if (state[v] === 0) {
          state[v] = 1;
          parent[v] = top.node;
          stack.push({ node: v, next: 0 });
        } else if (state[v] === 1) {
          const path: number[] = [top.node];
          let u = top.node;
          while (u !== v) {
            u = parent[u];
            path.push(u);
          }
          path.reverse();
          path.push(v);
          return path.map((i) => g.names[i]);
        }
      } else {
        state[top.node] = 2;
        stack.pop();
      }
    }
  }
  return undefined;
}

/**
 * Every task, upstream before downstream; ties keep the file order. Throws a QuantflowError (exit 2)
 * naming the cycle when there is one.
 */
export function topoOrder(wf: WorkflowDef): string[] {
  const g = graphOf(wf);
  const n = g.names.length;
  const indeg = new Int32Array(n);
  for (let i = 0; i < n; i++) indeg[i] = g.up[i].length;
  // A binary heap on the file index keeps the order stable and O(n log n).
  const heap: number[] = [];
  const push = (x: number): void => {
    heap.push(x);
    let i = heap.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (heap[p] <= heap[i]) break;
      [heap[p], heap[i]] = [heap[i], heap[p]];
      i = p;
    }
  };
  const pop = (): number => {
    const top = heap[0];
    const last = heap.pop() as number;
    if (heap.length > 0) {
      heap[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < heap.length && heap[l] < heap[m]) m = l;
        if (r < heap.length && heap[r] < heap[m]) m = r;
        if (m === i) break;
        [heap[m], heap[i]] = [heap[i], heap[m]];
        i = m;
      }
    }
    return top;
  };
  for (let i = 0; i < n; i++) if (indeg[i] === 0) push(i);
  const out: string[] = [];
  while (heap.length > 0) {
    const i = pop();
    out.push(g.names[i]);
    for (const j of g.down[i]) if (--indeg[j] === 0) push(j);
  }
  if (out.length < n) {
    const cycle = findCycle(wf);
    throw badInput(`workflow "${wf.name}" has a cycle: ${(cycle ?? []).join(' -> ')}`, wf.loc);
  }
  return out;
}

function closure(wf: WorkflowDef, names: string[], edges: 'up' | 'down'): Set<string> {
  const g = graphOf(wf);
  const seen = new Uint8Array(g.names.length);
  const stack: number[] = [];
  for (const name of names) {
    const i = g.index.get(name);
    if (i !== undefined) stack.push(i);
  }
  const out = new Set<string>();
  while (stack.length > 0) {
    const i = stack.pop() as number;
    for (const j of g[edges][i]) {
      if (seen[j]) continue;
      seen[j] = 1;
      out.add(g.names[j]);
      stack.push(j);
    }
  }
  return out;
}

/** Every task that depends, directly or not, on one of `names` (the names themselves excluded unless on a cycle). */
export function downstreamOf(wf: WorkflowDef, names: string[]): Set<string> {
  return closure(wf, names, 'down');
}

/** Every task that one of `names` depends on, directly or not (the names themselves excluded unless on a cycle). */
export function upstreamOf(wf: WorkflowDef, names: string[]): Set<string> {
  return closure(wf, names, 'up');
}

/**
 * DolphinScheduler's start-from-task selection: `post` (TASK_POST) the start tasks and everything
 * downstream, `pre` (TASK_PRE) the start tasks and everything upstream, `only` (TASK_ONLY) the start
 * tasks alone. An unknown start name is a QuantflowError (exit 2).
 */
export function selectTasks(wf: WorkflowDef, start: string[], mode: 'post' | 'pre' | 'only'): Set<string> {
  const g = graphOf(wf);
  for (const name of start) {
    if (!g.index.has(name)) throw badInput(`workflow "${wf.name}" has no task "${name}"`);
  }
  const out = new Set<string>(start);
  if (mode === 'post') for (const n of downstreamOf(wf, start)) out.add(n);
  else if (mode === 'pre') for (const n of upstreamOf(wf, start)) out.add(n);
  return out;
}
