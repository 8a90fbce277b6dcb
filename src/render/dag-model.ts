/** The plain data the DAG renderers take: nodes with upstream ids and a state name. */
export interface DagStep {
  name: string;
  status: string;
  note?: string;
}

export interface DagNode {
  id: string;
  label: string;
  /** Upstream node ids; ids not in the list are ignored. */
  deps: string[];
  /** A state of src/workflow/states.ts, or PENDING / RETRYING. */
  status: string;
  /** Shown right-aligned, e.g. "12s". */
  duration?: string;
  /** 0..1 for tasks that report progress. */
  progress?: number;
  /** Short text before the duration, e.g. "retry 1/3". */
  note?: string;
  /** Nesting depth (SubProcess children are 1). */
  indent?: number;
  /** Live sub-steps (SageMaker pipeline steps) shown under the node. */
  steps?: DagStep[];
}

/** Stable topological order (Kahn, ties in input order); nodes on a cycle are appended in input order. */
export function topoSort<T extends { id: string; deps: string[] }>(nodes: T[]): T[] {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const indeg = new Map<string, number>();
  const children = new Map<string, string[]>();
  for (const n of nodes) {
    indeg.set(n.id, 0);
    children.set(n.id, []);
  }
  for (const n of nodes) {
    for (const d of new Set(n.deps)) {
      if (!byId.has(d) || d === n.id) continue;
      indeg.set(n.id, indeg.get(n.id)! + 1);
      children.get(d)!.push(n.id);
    }
  }
  const index = new Map(nodes.map((n, i) => [n.id, i]));
  const ready = nodes.filter((n) => indeg.get(n.id) === 0).map((n) => n.id);
  const out: T[] = [];
  const seen = new Set<string>();
  while (ready.length) {
    ready.sort((a, b) => index.get(a)! - index.get(b)!);
    const id = ready.shift()!;
    seen.add(id);
    out.push(byId.get(id)!);
    for (const c of children.get(id)!) {
      const k = indeg.get(c)! - 1;
      indeg.set(c, k);
      if (k === 0) ready.push(c);
    }
  }
  for (const n of nodes) if (!seen.has(n.id)) out.push(n);
  return out;
}

export function childrenOf(nodes: { id: string; deps: string[] }[]): Map<string, string[]> {
  const ids = new Set(nodes.map((n) => n.id));
  const m = new Map<string, string[]>(nodes.map((n) => [n.id, []]));
  for (const n of nodes) for (const d of new Set(n.deps)) if (ids.has(d) && d !== n.id) m.get(d)!.push(n.id);
  return m;
}

/** Box-drawing character for a set of directions (rounded corners). */
export const U = 1;
export const D = 2;
export const L = 4;
export const R = 8;
const BOX: Record<number, string> = {
  [U]: '╵',
  [D]: '╷',
  [L]: '╴',
  [R]: '╶',
  [U | D]: '│',
  [L | R]: '─',
  [D | R]: '╭',
  [D | L]: '╮',
  [U | R]: '╰',
  [U | L]: '╯',
  [U | D | R]: '├',
  [U | D | L]: '┤',
  [D | L | R]: '┬',
  [U | L | R]: '┴',
  [U | D | L | R]: '┼',
};
export function boxChar(mask: number): string {
  return BOX[mask] ?? ' ';
}
