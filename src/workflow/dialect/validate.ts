/**
 * Checks across the tasks of a built workflow: unknown `deps` and branch targets,
 * cycles (printed `a -> b -> c -> a`), the Quartz schedule, the Switch parameter rule.
 */
import { findCycle } from '../dag.js';
import type { Diagnostic, TaskDef, WorkflowDef } from '../model.js';
import { parseQuartz, QuartzError } from '../schedule/quartz.js';
import { taskPaths, type BuildContext } from './build.js';
import { suggestion } from './did-you-mean.js';
import type { Path } from './source.js';

function at(ctx: BuildContext, severity: Diagnostic['severity'], message: string, path: Path): void {
  ctx.diagnostics.push({ severity, message, loc: ctx.positions.loc(path) });
}

export function validateWorkflow(ctx: BuildContext, wf: WorkflowDef): void {
  const pathOf = (t: TaskDef): Path => taskPaths.get(t) ?? ['tasks'];
  const names = new Map<string, TaskDef>();
  for (const t of wf.tasks) {
    // Duplicates are reported by build.ts; the first definition is the one referenced.
    if (!names.has(t.name)) names.set(t.name, t);
  }
  const all = [...names.keys()];
  const ref = (t: TaskDef, target: string, path: Path, what: string): void => {
    // A task that failed to build has its own error; references to it are not errors too.
    if (!names.has(target) && !ctx.taskNames?.has(target)) at(ctx, 'error', `task "${t.name}": ${what}: no task named "${target}" in this workflow${suggestion(target, all)}`, path);
  };
  for (const t of wf.tasks) {
    const p = pathOf(t);
    const explicit = Array.isArray(t.raw.deps) ? (t.raw.deps as unknown[]).map(String) : [];
    explicit.forEach((d, i) => ref(t, d, [...p, 'deps', i], 'deps'));
    if (t.switchBranches) t.switchBranches.forEach((b, i) => ref(t, b.task, [...p, 'condition', i, 'task'], 'switch branch'));
    if (t.condition) {
      if (t.condition.successTask) ref(t, t.condition.successTask, [...p, 'success_task'], 'success_task');
      if (t.condition.failedTask) ref(t, t.condition.failedTask, [...p, 'failed_task'], 'failed_task');
      t.condition.groups.forEach((g, gi) => g.items.forEach((it, ii) => ref(t, it.task, [...p, 'groups', gi, 'groups', ii, 'task'], 'condition group task')));
    }
  }
  const cycle = findCycle(wf);
  if (cycle) {
    // Point at the deps entry that closes the cycle: cycle[0] depends on cycle[n-2].
    const head = names.get(cycle[0]) as TaskDef;
    const closing = cycle[cycle.length - 2];
    const explicit = Array.isArray(head.raw.deps) ? (head.raw.deps as unknown[]).map(String) : [];
    const i = explicit.indexOf(closing);
    at(ctx, 'error', `cycle in workflow "${wf.name}": ${cycle.join(' -> ')}`, i >= 0 ? [...pathOf(head), 'deps', i] : pathOf(head));
  }
  if (wf.schedule !== undefined) {
    try {
      parseQuartz(wf.schedule, wf.timezone);
    } catch (e) {
      if (!(e instanceof QuartzError)) throw e;
      ctx.diagnostics.push({ severity: 'error', message: `workflow.schedule "${wf.schedule}": ${e.message}`, loc: scheduleFieldLoc(ctx, wf.schedule, e.field) });
    }
  }
  if (wf.tasks.some((t) => t.type === 'SWITCH') && Object.keys(wf.params).length === 0 && !wf.tasks.some((t) => t.localParams.length > 0)) {
    const sw = wf.tasks.find((t) => t.type === 'SWITCH') as TaskDef;
    at(ctx, 'warning', `task "${sw.name}": a workflow with a Switch needs workflow.param or a local param (PyDolphinScheduler refuses to submit it)`, pathOf(sw));
  }
}

/**
 * Where the faulty field of the schedule is written: the value's start, moved to the field when the
 * scalar is written verbatim (plain or quoted, no escapes) so the text can be matched.
 */
function scheduleFieldLoc(ctx: BuildContext, expr: string, field: number | undefined) {
  const p = ctx.positions;
  const info = p.info(['workflow', 'schedule']);
  if (!info || field === undefined) return p.loc(['workflow', 'schedule']);
  let o = p.originalOffset(info.at);
  const q = p.original[o];
  if (q === '"' || q === "'") o++;
  if (p.original.slice(o, o + expr.length) !== expr) return p.loc(['workflow', 'schedule']);
  const re = /\S+/g;
  let m: RegExpExecArray | null;
  for (let i = 0; (m = re.exec(expr)) !== null; i++) if (i === field) return p.locAtOriginal(o + m.index);
  return p.loc(['workflow', 'schedule']);
}
