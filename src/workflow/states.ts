/**
 * The one list of states used by the run store, the JSON output and the TUI. Names are
 * DolphinScheduler's (TaskExecutionStatus / WorkflowExecutionStatus) plus two local ones:
 * SKIPPED (flag NO, or a Condition/Switch branch not taken) and NOT_RUN (an upstream failed, or
 * the run stopped before the task started).
 */
export const TASK_STATES = [
  'SUBMITTED_SUCCESS',
  'DELAY_EXECUTION',
  'RUNNING_EXECUTION',
  'SUCCESS',
  'FAILURE',
  'KILL',
  'NEED_FAULT_TOLERANCE',
  'FORCED_SUCCESS',
  'SKIPPED',
  'NOT_RUN',
] as const;
export type TaskState = (typeof TASK_STATES)[number];

/**
 * SERIAL_WAIT: queued behind another run of the same workflow (executionType SERIAL_WAIT, or
 * SERIAL_PRIORITY while the run it stops winds down). STOP: ended by the execution type, as
 * DolphinScheduler does (discarded by SERIAL_DISCARD, or stopped by a newer SERIAL_PRIORITY run);
 * a run stopped by the user is KILL.
 */
export const WORKFLOW_STATES = ['RUNNING_EXECUTION', 'SERIAL_WAIT', 'SUCCESS', 'FAILURE', 'KILL', 'STOP', 'NEED_FAULT_TOLERANCE'] as const;
export type WorkflowState = (typeof WORKFLOW_STATES)[number];

const FINISHED_TASK: ReadonlySet<TaskState> = new Set(['SUCCESS', 'FAILURE', 'KILL', 'NEED_FAULT_TOLERANCE', 'FORCED_SUCCESS', 'SKIPPED', 'NOT_RUN']);

export function isTaskFinished(s: TaskState): boolean {
  return FINISHED_TASK.has(s);
}

/** Success for downstream purposes: the task ran (or was forced) fine, or was skipped by flag NO. */
export function isTaskSuccess(s: TaskState): boolean {
  return s === 'SUCCESS' || s === 'FORCED_SUCCESS';
}

export function isWorkflowFinished(s: WorkflowState): boolean {
  return s !== 'RUNNING_EXECUTION' && s !== 'SERIAL_WAIT';
}
