/** What a task type implements and what the runner hands it. */
import type { RunStore } from '../store.js';
import type { TaskDef, WorkflowBundle, WorkflowDef } from '../model.js';
import type { TaskState, WorkflowState } from '../states.js';
import type { LogStream } from '../runner/events.js';

export interface ChildRunRequest {
  workflow: WorkflowDef;
  /** Global overrides and start-up params for the child (parent globals, the task's IN params). */
  params: Record<string, string>;
  /** Upstream OUT values handed to the child's first tasks. */
  varPool: Record<string, string>;
}

export interface ChildRunResult {
  runId: number;
  state: WorkflowState;
  /** The merged OUT values of the child's tasks. */
  varPool: Record<string, string>;
}

export interface TaskContext {
  runId: number;
  taskInstanceId: number;
  attempt: number;
  task: TaskDef;
  workflow: WorkflowDef;
  bundle: WorkflowBundle;
  /** The resolved parameter map of this attempt (built-ins, globals, varPool, local IN, start-up). */
  params: Readonly<Record<string, string>>;
  /** `${...}` then `$[...]` against `params` (throws on a bad time expression). */
  resolve(text: string): string;
  /** The workflow file's folder. */
  cwd: string;
  /** PATH with this quantflow first, QUANTFLOW_DB, QUANTFLOW_PROGRESS=1. */
  env: NodeJS.ProcessEnv;
  dbPath: string;
  store: RunStore;
  /** Aborted when the task must stop: the run is stopped, END strategy, or a FAILED timeout. */
  signal: AbortSignal;
  /** Grace between SIGTERM and SIGKILL. */
  killGraceMs: number;
  dryRun: boolean;
  /** The OUT values inherited from upstream tasks. */
  varPool: Readonly<Record<string, string>>;
  /** Final states of the upstream tasks (Condition). */
  upstreamStates: ReadonlyMap<string, TaskState>;
  /** Captures an output line (stdout lines are also scanned for setValue and ::progress). */
  log(stream: LogStream, line: string): void;
  /** A remote step's status (SageMaker pipeline steps). */
  step(step: string, status: string, detail?: string): void;
  /** Stores external ids (a SageMaker execution ARN, ...) on the task instance. */
  setExternal(value: Record<string, unknown>): void;
  /** The previous attempt's external ids (for resuming remote work after a crash), if any. */
  previousExternal?: Record<string, unknown>;
  setPid(pid: number | null): void;
  /** Runs a sub-workflow instance linked to this task (SubProcess). */
  runChild(req: ChildRunRequest): Promise<ChildRunResult>;
}

export interface TaskResult {
  state: 'SUCCESS' | 'FAILURE' | 'KILL';
  exitCode?: number;
  message?: string;
  /** Tasks of branches not taken (Condition, Switch): skipped with what only they feed. */
  skip?: string[];
  /** OUT values produced by means other than stdout; only the task's declared OUT params are kept. */
  outputs?: Record<string, string>;
  /**
   * OUT values passed on whole, declared or not (SubProcess: the child run's output varPool, as
   * DolphinScheduler >= 3.2 hands a sub-workflow's varPool to the parent's downstream tasks).
   */
  varPool?: Record<string, string>;
  childRunId?: number;
}

export interface TaskExecutor {
  run(ctx: TaskContext): Promise<TaskResult>;
  /** The final command a dry run prints (defaults to the resolved script). */
  describe?(ctx: TaskContext): string;
  /** false: never retried (SubProcess). */
  retryable?: boolean;
  /** true: runs without a parallel slot (logic tasks). */
  inline?: boolean;
  /** true: finishes at once (NOOP, Condition, Switch): the RUNNING_EXECUTION state is an event, not a row write. */
  instant?: boolean;
}
