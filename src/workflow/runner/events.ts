/**
 * The runner's typed events (for the CLI's live lines and the TUI). Every event carries the run id:
 * a sub-workflow's child run reports on its parent's emitter with its own run id and `parentRunId`.
 */
import type { TaskState, WorkflowState } from '../states.js';
import type { TaskType } from '../model.js';

export interface RunEvent {
  runId: number;
  parentRunId?: number;
  workflow: string;
  state: WorkflowState;
  time: number;
  /** Why (serial execution): "waiting for run 3 (SERIAL_WAIT)", "discarded: ...". */
  message?: string;
}

/** A workflow-level alert (its timeout, which only alerts in DolphinScheduler): raised once per run pass. */
export interface AlertEvent {
  runId: number;
  parentRunId?: number;
  workflow: string;
  kind: 'timeout';
  message: string;
  time: number;
}

export interface TaskEvent {
  runId: number;
  parentRunId?: number;
  workflow: string;
  taskInstanceId: number;
  name: string;
  type: TaskType;
  state: TaskState;
  attempt: number;
  time: number;
  exitCode?: number;
  childRunId?: number;
  /** Why: "timed out after 0.5 min", "upstream a failed", "flag NO", the error of a task type. */
  message?: string;
}

export type LogStream = 'stdout' | 'stderr' | 'system';

export interface LogEvent {
  runId: number;
  taskInstanceId: number;
  name: string;
  attempt: number;
  stream: LogStream;
  line: string;
  time: number;
  /** A warning of the engine (a WARN timeout, ...). */
  warning?: boolean;
}

export interface ProgressEvent {
  runId: number;
  taskInstanceId: number;
  name: string;
  done: number;
  total: number;
  label: string;
  time: number;
}

/** A SageMaker pipeline step's status under a task. */
export interface StepEvent {
  runId: number;
  taskInstanceId: number;
  name: string;
  step: string;
  status: string;
  time: number;
  detail?: string;
}

export type RunEvents = {
  run: RunEvent;
  task: TaskEvent;
  log: LogEvent;
  progress: ProgressEvent;
  step: StepEvent;
  alert: AlertEvent;
};
