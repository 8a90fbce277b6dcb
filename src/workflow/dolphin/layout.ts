/**
 * `locations` for the DolphinScheduler UI: a layered DAG (columns = longest path from a root, rows =
 * order within the column), so nodes never stack at (0,0) as they do with PyDolphinScheduler (DS#13370).
 */
import type { WorkflowDef } from '../model.js';
import { topoOrder } from '../dag.js';

export interface Location {
  taskCode: number;
  x: number;
  y: number;
}

export const LAYOUT = { left: 80, top: 60, dx: 260, dy: 120 } as const;

export function layoutWorkflow(wf: WorkflowDef, codeOf: (task: string) => number): Location[] {
  const order = topoOrder(wf);
  const byName = new Map(wf.tasks.map((t) => [t.name, t]));
  const layer = new Map<string, number>();
  for (const name of order) {
    let l = 0;
    for (const d of byName.get(name)?.deps ?? []) if (layer.has(d)) l = Math.max(l, layer.get(d)! + 1);
    layer.set(name, l);
  }
  const rows = new Map<number, number>();
  const out: Location[] = [];
  // File order within a column keeps the picture close to how the YAML reads.
  for (const t of wf.tasks) {
    const l = layer.get(t.name) ?? 0;
    const r = rows.get(l) ?? 0;
    rows.set(l, r + 1);
    out.push({ taskCode: codeOf(t.name), x: LAYOUT.left + l * LAYOUT.dx, y: LAYOUT.top + r * LAYOUT.dy });
  }
  return out;
}
