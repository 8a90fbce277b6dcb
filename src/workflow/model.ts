/**
 * The loaded form of a workflow: what the dialect loader (dialect/) produces from PyDolphinScheduler
 * YAML and what the runner, the exporter (dolphin/) and the TUI consume. Macros ($FILE, $ENV,
 * $WORKFLOW) are already expanded; runtime parameters (${...}, $[...]) are untouched.
 */
import type { SourceLocation } from '../core/errors.js';

export type { SourceLocation };

export const DATA_TYPES = ['VARCHAR', 'INTEGER', 'LONG', 'FLOAT', 'DOUBLE', 'DATE', 'TIME', 'TIMESTAMP', 'BOOLEAN', 'LIST', 'FILE'] as const;
export type DataType = (typeof DATA_TYPES)[number];

/** DolphinScheduler's Property: a local or global parameter. Values are always strings. */
export interface Property {
  prop: string;
  direct: 'IN' | 'OUT';
  type: DataType;
  value: string;
}

/** DolphinScheduler's taskType strings, plus NOOP (a built-in no-op, for benchmarks and tests). */
export type TaskType =
  | 'SHELL'
  | 'PYTHON'
  | 'SUB_PROCESS'
  | 'SAGEMAKER'
  | 'CONDITIONS'
  | 'SWITCH'
  | 'NOOP'
  // Parsed and validated, exported to DolphinScheduler, but "not runnable locally".
  | 'HTTP'
  | 'SQL'
  | 'PROCEDURE'
  | 'SPARK'
  | 'FLINK'
  | 'MR'
  | 'DATAX'
  | 'K8S'
  | 'MLFLOW'
  | 'DVC'
  | 'OPENMLDB'
  | 'PYTORCH'
  | 'DEPENDENT';

export type TimeoutStrategy = 'WARN' | 'FAILED' | 'WARNFAILED';
export type Priority = 'HIGHEST' | 'HIGH' | 'MEDIUM' | 'LOW' | 'LOWEST';

export interface SwitchBranch {
  /** A JavaScript expression after ${param} substitution; undefined for the default branch. */
  condition?: string;
  task: string;
}

export interface ConditionGroupItem {
  task: string;
  /** true: the task must have succeeded; false: it must have failed. */
  flag: boolean;
}

export interface ConditionSpec {
  successTask?: string;
  failedTask?: string;
  op: 'AND' | 'OR';
  groups: { op: 'AND' | 'OR'; items: ConditionGroupItem[] }[];
}

export interface TaskDef {
  name: string;
  type: TaskType;
  /** The task_type as written in the YAML (for messages). */
  typeAsWritten: string;
  description?: string;
  /** Upstream task names: `deps`, plus the edges Condition and Switch imply. */
  deps: string[];
  flag: 'YES' | 'NO';
  priority: Priority;
  workerGroup: string;
  environmentName?: string;
  /** Minutes (fractions allowed locally). */
  delayTime: number;
  failRetryTimes: number;
  /** Minutes (fractions allowed locally). */
  failRetryInterval: number;
  /** Minutes; 0 = no timeout. */
  timeout: number;
  timeoutNotifyStrategy?: TimeoutStrategy;
  /** local_params, then input_params (IN), then output_params (OUT). */
  localParams: Property[];
  /** Shell: command. Python: definition. */
  script?: string;
  /** SubProcess/SubWorkflow: the child workflow's name. */
  childWorkflow?: string;
  /** SageMaker: the request JSON text (after $FILE). */
  sagemakerRequestJson?: string;
  switchBranches?: SwitchBranch[];
  condition?: ConditionSpec;
  /** Every key of the task as loaded (macros expanded), for exporters of the other task types. */
  raw: Record<string, unknown>;
  loc: SourceLocation;
}

export interface WorkflowDef {
  name: string;
  description?: string;
  /** Absolute path of the YAML file; tasks run in its folder. */
  file: string;
  project: string;
  user?: string;
  workerGroup: string;
  warningType: 'NONE' | 'SUCCESS' | 'FAILURE' | 'ALL';
  warningGroupId: number;
  executionType: 'PARALLEL' | 'SERIAL_WAIT' | 'SERIAL_DISCARD' | 'SERIAL_PRIORITY';
  releaseState: 'online' | 'offline';
  /** Minutes; the workflow timeout only alerts in DolphinScheduler. */
  timeout: number;
  schedule?: string;
  onlineSchedule: boolean;
  timezone: string;
  /** `yyyy-MM-dd HH:mm:ss`. */
  startTime?: string;
  endTime?: string;
  tenant?: string;
  /** Global params (`workflow.param`), always IN/VARCHAR. */
  params: Record<string, string>;
  /** YAML-only `run: true`. */
  run: boolean;
  tasks: TaskDef[];
  loc: SourceLocation;
}

/** A root workflow and every workflow it references through $WORKFLOW{}, children first. */
export interface WorkflowBundle {
  root: WorkflowDef;
  /** All workflows by name, root included. */
  byName: Map<string, WorkflowDef>;
  /** Topological order: every child before its parents; the root last. */
  order: WorkflowDef[];
}

export type Severity = 'error' | 'warning';

export interface Diagnostic {
  severity: Severity;
  message: string;
  loc: SourceLocation;
}
