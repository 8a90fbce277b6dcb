/**
 * One pass over one workflow instance: topological parallel scheduling with DolphinScheduler's
 * semantics (retries, delay, timeouts, flag NO, Condition/Switch branches, CONTINUE/END, stop).
 * A sub-workflow runs as a nested RunExecution on the same store and emitter.
 */
import { delimiter } from 'node:path';
import type { Emitter } from '../../core/events.js';
import { binDir } from '../../core/paths.js';
import type { TaskDef, WorkflowBundle, WorkflowDef } from '../model.js';
import type { TaskState, WorkflowState } from '../states.js';
import type { RunStore } from '../store.js';
import type { RunEvents } from './events.js';
import type { ChildRunRequest, ChildRunResult, TaskResult } from '../tasks/types.js';
import { executorFor } from '../tasks/registry.js';
import { mergeVarPools } from '../params/set-value.js';
import { runAttempt } from './attempt.js';

export interface PriorTask {
  state: TaskState;
  varPool: Record<string, string>;
  endTime: number;
  lastAttempt: number;
  childRunId: number | null;
  external: Record<string, unknown> | null;
}

export type PassMode = 'start' | 'recover' | 'rerun';

export interface ExecutionOptions {
  store: RunStore;
  dbPath: string;
  bundle: WorkflowBundle;
  workflow: WorkflowDef;
  events: Emitter<RunEvents>;
  runId: number;
  parentRunId?: number;
  startup: Record<string, string>;
  globalOverrides: Record<string, string>;
  initialVarPool: Record<string, string>;
  /** Tasks this pass executes. */
  toRun: Set<string>;
  /** Tasks kept from an earlier pass (recover): done already, with their state and OUT values. */
  prior: Map<string, PriorTask>;
  parallel: number;
  failureStrategy: 'CONTINUE' | 'END';
  dryRun: boolean;
  base: Date;
  killGraceMs: number;
  mode: PassMode;
  /** Starts a child run for a SubProcess task (provided by the runner's index). */
  startChild(parent: RunExecution, taskInstanceId: number, req: ChildRunRequest, previousChildRunId: number | null): { execution: RunExecution; run: () => Promise<ChildRunResult> };
}

const PRIORITY_RANK: Record<string, number> = { HIGHEST: 0, HIGH: 1, MEDIUM: 2, LOW: 3, LOWEST: 4 };
const FAILED: ReadonlySet<TaskState> = new Set(['FAILURE', 'KILL', 'NEED_FAULT_TOLERANCE']);
const BLOCKING: ReadonlySet<TaskState> = new Set(['FAILURE', 'KILL', 'NEED_FAULT_TOLERANCE', 'NOT_RUN']);

interface Node {
  def: TaskDef;
  deps: string[];
  downstream: string[];
  waiting: number;
  status: 'waiting' | 'active' | 'done';
  state?: TaskState;
  branchSkipped?: boolean;
  varPool: Record<string, string>;
  endTime: number;
  controller?: AbortController;
}

export class RunExecution {
  readonly opts: ExecutionOptions;
  private nodes = new Map<string, Node>();
  /** Attempts waiting for a parallel slot, highest task_priority first. */
  private waiters: { def: TaskDef; grant: (ok: boolean) => void }[] = [];
  private running = 0;
  private remaining = 0;
  private skipBranch = new Set<string>();
  private stopping: 'stop' | 'end' | undefined;
  private children = new Set<RunExecution>();
  private finish!: (s: WorkflowState) => void;
  readonly done: Promise<WorkflowState>;

  constructor(opts: ExecutionOptions) {
    this.opts = opts;
    this.done = new Promise((r) => (this.finish = r));
    const wf = opts.workflow;
    const scope = new Set<string>([...opts.toRun, ...opts.prior.keys()]);
    for (const t of wf.tasks) {
      if (!scope.has(t.name)) continue;
      const prior = opts.toRun.has(t.name) ? undefined : opts.prior.get(t.name);
      this.nodes.set(t.name, {
        def: t,
        deps: t.deps.filter((d) => scope.has(d)),
        downstream: [],
        waiting: 0,
        status: prior ? 'done' : 'waiting',
        state: prior?.state,
        varPool: prior?.varPool ?? {},
        endTime: prior?.endTime ?? 0,
      });
    }
    for (const n of this.nodes.values()) for (const d of n.deps) this.nodes.get(d)!.downstream.push(n.def.name);
  }

  private env: NodeJS.ProcessEnv | undefined;

  /** The environment of this run's task processes (copying process.env is costly: once per run). */
  taskEnv(): NodeJS.ProcessEnv {
    this.env ??= {
      ...process.env,
      PATH: `${binDir}${delimiter}${process.env.PATH ?? ''}`,
      QUANTFLOW_DB: this.opts.dbPath,
      QUANTFLOW_PROGRESS: '1',
    };
    return this.env;
  }

  get runId(): number {
    return this.opts.runId;
  }

  /** Runs the pass; resolves with the workflow state (already stored and emitted). */
  start(): Promise<WorkflowState> {
    const ready: Node[] = [];
    for (const n of this.nodes.values()) {
      if (n.status === 'done') continue;
      this.remaining++;
      n.waiting = n.deps.filter((d) => this.nodes.get(d)!.status !== 'done').length;
      if (n.waiting === 0) ready.push(n);
    }
    if (this.remaining === 0) queueMicrotask(() => this.complete());
    else for (const n of ready) this.becomeReady(n);
    return this.done;
  }

  private stopState: 'KILL' | 'STOP' = 'KILL';
  private stopMessage: string | undefined;

  /** Stop: kill running tasks (KILL), the rest NOT_RUN, the run KILL (the user) or STOP (a newer SERIAL_PRIORITY run, `why`). */
  stop(final: 'KILL' | 'STOP' = 'KILL', why?: string): void {
    if (this.stopping === 'stop') return;
    this.stopping = 'stop';
    this.stopState = final;
    this.stopMessage = why;
    this.abortAll('stop');
  }

  /** Whether stop() was called (a run waiting for its turn ends without starting). */
  get stopRequested(): boolean {
    return this.stopping === 'stop';
  }

  private abortAll(reason: 'stop' | 'end'): void {
    for (const n of this.nodes.values()) if (n.controller && !n.controller.signal.aborted) n.controller.abort(reason);
    for (const c of this.children) c.stop();
    // Attempts waiting for a slot never start (NOT_RUN).
    for (const w of this.waiters.splice(0)) w.grant(false);
  }

  private becomeReady(n: Node): void {
    const def = n.def;
    if (this.stopping) return this.finishWithoutRunning(n, 'NOT_RUN', this.stopping === 'stop' ? 'the run was stopped' : 'the run ended (failure strategy END)');
    if (this.skipBranch.has(def.name)) return this.finishWithoutRunning(n, 'SKIPPED', 'branch not taken', true);
    const deps = n.deps.map((d) => this.nodes.get(d)!);
    if (def.type !== 'CONDITIONS') {
      const bad = deps.find((d) => BLOCKING.has(d.state!));
      if (bad) return this.finishWithoutRunning(n, 'NOT_RUN', `upstream ${bad.def.name} ${bad.state}`);
    }
    if (deps.length > 0 && deps.every((d) => d.branchSkipped)) return this.finishWithoutRunning(n, 'SKIPPED', 'only fed by branches not taken', true);
    if (def.flag === 'NO') return this.finishWithoutRunning(n, 'SKIPPED', 'flag NO');
    this.launch(n);
  }

  /**
   * A parallel slot for one attempt of a process task (a delay or a retry interval holds none).
   * Resolves false when the run stops first. Slots are granted after the current turn, so the
   * tasks that became ready together are served by task_priority.
   */
  acquireSlot(def: TaskDef): Promise<boolean> {
    if (executorFor(def.type).inline || this.opts.dryRun) return Promise.resolve(true);
    if (this.stopping) return Promise.resolve(false);
    return new Promise((grant) => {
      const rank = PRIORITY_RANK[def.priority] ?? 2;
      let at = this.waiters.length;
      while (at > 0 && (PRIORITY_RANK[this.waiters[at - 1]!.def.priority] ?? 2) > rank) at--;
      this.waiters.splice(at, 0, { def, grant });
      this.scheduleDrain();
    });
  }

  releaseSlot(def: TaskDef): void {
    if (executorFor(def.type).inline || this.opts.dryRun) return;
    this.running--;
    this.scheduleDrain();
  }

  private drainScheduled = false;

  private scheduleDrain(): void {
    if (this.drainScheduled) return;
    this.drainScheduled = true;
    queueMicrotask(() => {
      this.drainScheduled = false;
      while (this.running < this.opts.parallel && this.waiters.length > 0) {
        this.running++;
        this.waiters.shift()!.grant(true);
      }
    });
  }

  private firstAttempt(name: string): number {
    const p = this.opts.prior.get(name);
    return p ? p.lastAttempt + 1 : 1;
  }

  private inheritedPool(n: Node): Record<string, string> {
    if (n.deps.length === 0) return { ...this.opts.initialVarPool };
    return mergeVarPools(n.deps.map((d) => this.nodes.get(d)!).map((d) => ({ endTime: d.endTime, pool: d.varPool })));
  }

  private finishWithoutRunning(n: Node, state: TaskState, message: string, branch = false): void {
    const now = Date.now();
    const attempt = this.firstAttempt(n.def.name);
    const pool = state === 'SKIPPED' && !branch ? this.inheritedPool(n) : {};
    const id = this.opts.store.createTaskInstance({ runId: this.runId, name: n.def.name, type: n.def.type, state, attempt, endTime: now, message, varPool: pool });
    this.emitTask(n.def, id, state, attempt, { message });
    n.branchSkipped = branch;
    this.settle(n, state, pool, now);
  }

  private launch(n: Node): void {
    n.status = 'active';
    n.controller = new AbortController();
    const prior = this.opts.prior.get(n.def.name);
    const upstreamStates = new Map<string, TaskState>();
    for (const d of n.deps) upstreamStates.set(d, this.nodes.get(d)!.state!);
    const run = runAttempt({
      exec: this,
      def: n.def,
      firstAttempt: this.firstAttempt(n.def.name),
      signal: n.controller.signal,
      varPool: this.inheritedPool(n),
      upstreamStates,
      previousExternal: prior?.external ?? undefined,
      previousChildRunId: prior?.childRunId ?? null,
      isStopping: () => this.stopping !== undefined,
    });
    run
      .then((r) => {
        if (r.skip) for (const s of r.skip) this.skipBranch.add(s);
        this.settle(n, r.state, r.varPool, Date.now());
        if (FAILED.has(r.state) && this.opts.failureStrategy === 'END' && !this.stopping && !this.handledByCondition(n)) {
          this.stopping = 'end';
          this.abortAll('end');
        }
      })
      .catch((e: unknown) => {
        // A bug in an executor must not hang the run.
        process.stderr.write(`quantflow: internal error in task ${n.def.name}: ${(e as Error).stack ?? String(e)}\n`);
        this.settle(n, 'FAILURE', {}, Date.now());
      });
  }

  /** A failed task followed by a Condition task routes its failure: it does not fail the run. */
  private handledByCondition(n: Node): boolean {
    return n.downstream.some((d) => this.nodes.get(d)!.def.type === 'CONDITIONS');
  }

  private settle(n: Node, state: TaskState, varPool: Record<string, string>, endTime: number): void {
    n.status = 'done';
    n.state = state;
    n.varPool = varPool;
    n.endTime = endTime;
    n.controller = undefined;
    for (const d of n.downstream) {
      const m = this.nodes.get(d)!;
      if (m.status !== 'waiting') continue;
      if (--m.waiting === 0) this.becomeReady(m);
    }
    if (--this.remaining === 0) this.complete();
  }

  private complete(): void {
    let state: WorkflowState = 'SUCCESS';
    if (this.stopping === 'stop') state = this.stopState;
    else {
      for (const n of this.nodes.values()) {
        if (n.state && FAILED.has(n.state) && !this.handledByCondition(n)) state = 'FAILURE';
      }
    }
    const now = Date.now();
    this.opts.store.setRunState(this.runId, state, now);
    this.opts.store.flushLogs();
    this.opts.store.commit();
    const why = this.stopping === 'stop' && this.stopMessage ? { message: this.stopMessage } : {};
    this.opts.events.emit('run', { runId: this.runId, parentRunId: this.opts.parentRunId, workflow: this.opts.workflow.name, state, time: now, ...why });
    this.finish(state);
  }

  /** The merged OUT values of the tasks nothing else in the run depends on (a sub-workflow's result). */
  finalVarPool(): Record<string, string> {
    const leaves = [...this.nodes.values()].filter((n) => n.downstream.length === 0);
    return mergeVarPools(leaves.map((n) => ({ endTime: n.endTime, pool: n.varPool })));
  }

  emitTask(def: TaskDef, taskInstanceId: number, state: TaskState, attempt: number, extra: { exitCode?: number; childRunId?: number; message?: string } = {}): void {
    this.opts.events.emit('task', {
      runId: this.runId,
      parentRunId: this.opts.parentRunId,
      workflow: this.opts.workflow.name,
      taskInstanceId,
      name: def.name,
      type: def.type,
      state,
      attempt,
      time: Date.now(),
      ...extra,
    });
  }

  /** Runs a child workflow for a SubProcess task; stopping this run (or the task) stops the child. */
  async runChild(taskInstanceId: number, signal: AbortSignal, req: ChildRunRequest, previousChildRunId: number | null, onStart: (runId: number) => void): Promise<ChildRunResult> {
    const { execution, run } = this.opts.startChild(this, taskInstanceId, req, previousChildRunId);
    this.children.add(execution);
    onStart(execution.runId);
    const onAbort = () => execution.stop();
    signal.addEventListener('abort', onAbort, { once: true });
    if (signal.aborted) execution.stop();
    try {
      return await run();
    } finally {
      signal.removeEventListener('abort', onAbort);
      this.children.delete(execution);
    }
  }
}

export type { TaskResult };
