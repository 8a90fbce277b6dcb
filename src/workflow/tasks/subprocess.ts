/**
 * SubProcess / SubWorkflow: a child workflow instance linked to this task. The child's globals take
 * the parent's values of the same name and the task's IN params (DolphinScheduler joins them); the
 * child's state becomes the task's state; the child's output varPool flows to this task's downstream
 * tasks. Never retried.
 */
import type { TaskExecutor } from './types.js';

export const subprocessExecutor: TaskExecutor = {
  retryable: false,
  inline: true,
  describe: (ctx) => `(sub-workflow ${ctx.task.childWorkflow ?? '?'})`,
  async run(ctx) {
    const name = ctx.task.childWorkflow ?? '';
    const child = ctx.bundle.byName.get(name);
    if (!child) return { state: 'FAILURE', message: `the sub-workflow "${name}" is not loaded` };
    const params: Record<string, string> = {};
    for (const k of Object.keys(child.params)) if (ctx.params[k] !== undefined) params[k] = ctx.params[k]!;
    for (const p of ctx.task.localParams) if (p.direct === 'IN' && ctx.params[p.prop] !== undefined) params[p.prop] = ctx.params[p.prop]!;
    const r = await ctx.runChild({ workflow: child, params, varPool: { ...ctx.varPool } });
    const state = r.state === 'SUCCESS' ? 'SUCCESS' : r.state === 'KILL' ? 'KILL' : 'FAILURE';
    if (state === 'SUCCESS') ctx.log('system', `sub-workflow run #${r.runId} ended SUCCESS`);
    // DolphinScheduler >= 3.2 (PR #14552, WorkflowExecuteThreadPool.crossWorkflowParameterPassing): the
    // task's varPool becomes the child instance's varPool, i.e. the merged OUT values of the child's end
    // tasks (WorkflowExecuteRunnable.submitPostNode). The parent's downstream tasks see them without an
    // OUT param on this task (3.1's dealFinish needed one; declaring it still works).
    return { state, childRunId: r.runId, varPool: state === 'SUCCESS' ? r.varPool : undefined, message: state === 'SUCCESS' ? undefined : `sub-workflow run ${r.runId} ended ${r.state}` };
  },
};
