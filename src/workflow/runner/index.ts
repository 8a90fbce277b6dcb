/**
 * The local engine's entry points: start a run, recover a finished run's failed tasks, rerun a
 * run. Each returns a handle at once (the run id is known) whose `done` resolves with the summary
 * (`quantflow run --json`).
 */
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { Emitter } from '../../core/events.js';
import { sharedDb } from '../../core/db.js';
import { ExitCode, QuantflowError, badInput } from '../../core/errors.js';
import type { WorkflowBundle, WorkflowDef } from '../model.js';
import { selectTasks, downstreamOf } from '../dag.js';
import { RunStore, type CommandType, type RunOptionsRecord } from '../store.js';
import { registerBuiltinTaskTypes } from '../tasks/builtin.js';
import { groupAlive } from '../tasks/process.js';
import type { ChildRunRequest, ChildRunResult } from '../tasks/types.js';
import type { RunEvents } from './events.js';
import { RunExecution, type PassMode, type PriorTask } from './execution.js';
import { summarize, type RunSummary } from './summary.js';
import { SerialGate } from './serial.js';
import { watchWorkflowTimeout } from './workflow-timeout.js';
import type { WorkflowState } from '../states.js';

export type { RunSummary } from './summary.js';
export type { RunEvents } from './events.js';

export interface RunOptions {
  dbPath: string;
  bundle: WorkflowBundle;
  params?: Record<string, string>;
  startTasks?: string[];
  deps?: 'post' | 'pre' | 'only';
  dryRun?: boolean;
  parallel?: number;
  failureStrategy?: 'CONTINUE' | 'END';
  /** The schedule time (base of system.datetime and $[...]); default: the run's start. */
  scheduleTime?: Date;
  /** Between SIGTERM and SIGKILL when killing a task's process group (default 3000 ms). */
  killGraceMs?: number;
  commandType?: CommandType;
}

export interface RunHandle {
  runId: number;
  events: Emitter<RunEvents>;
  done: Promise<RunSummary>;
  stop(): void;
}

const RERUNNABLE = new Set(['FAILURE', 'KILL', 'NEED_FAULT_TOLERANCE', 'NOT_RUN']);

/** Kills the process group of a task left behind by a crashed run, if it is still that task's script. */
function killOrphan(t: { id: number; pid: number | null }, run: { pid: number }): void {
  if (!t.pid || !groupAlive(t.pid)) return;
  try {
    const cmd = readFileSync(`/proc/${t.pid}/cmdline`, 'utf8');
    if (!cmd.includes(`quantflow-task-${t.id}-${run.pid}-`)) return;
    process.kill(-t.pid, 'SIGKILL');
  } catch {
    // not Linux, or it just ended
  }
}

/** Marks runs whose process died as NEED_FAULT_TOLERANCE (and kills their orphaned tasks). */
export function recoverCrashedRuns(store: RunStore): number[] {
  return store.markOrphans(killOrphan);
}

export function openRunStore(dbPath: string): RunStore {
  return new RunStore(sharedDb(dbPath));
}

interface Pass {
  store: RunStore;
  opts: RunOptions;
  events: Emitter<RunEvents>;
  workflow: WorkflowDef;
  runId: number;
  parentRunId?: number;
  startup: Record<string, string>;
  globalOverrides: Record<string, string>;
  initialVarPool: Record<string, string>;
  toRun: Set<string>;
  prior: Map<string, PriorTask>;
  base: Date;
  mode: PassMode;
  failureStrategy: 'CONTINUE' | 'END';
  parallel: number;
  dryRun: boolean;
}

function makeExecution(p: Pass): RunExecution {
  return new RunExecution({
    store: p.store,
    dbPath: p.opts.dbPath,
    bundle: p.opts.bundle,
    workflow: p.workflow,
    events: p.events,
    runId: p.runId,
    parentRunId: p.parentRunId,
    startup: p.startup,
    globalOverrides: p.globalOverrides,
    initialVarPool: p.initialVarPool,
    toRun: p.toRun,
    prior: p.prior,
    parallel: p.parallel,
    failureStrategy: p.failureStrategy,
    dryRun: p.dryRun,
    base: p.base,
    killGraceMs: p.opts.killGraceMs ?? 3000,
    mode: p.mode,
    startChild: (parent, taskInstanceId, req, previousChildRunId) => startChild(p, parent, taskInstanceId, req, previousChildRunId),
  });
}

/** The prior state of a run's tasks (their current attempts), for recover. */
function priorOf(store: RunStore, runId: number): Map<string, PriorTask> {
  const out = new Map<string, PriorTask>();
  for (const [name, t] of store.currentTasks(runId)) {
    out.set(name, { state: t.state, varPool: t.varPool ?? {}, endTime: t.endTime ?? 0, lastAttempt: t.attempt, childRunId: t.childRunId, external: t.external });
  }
  return out;
}

/** The run's original task selection (all tasks, or --task/--deps). */
function selectionOf(wf: WorkflowDef, o: RunOptionsRecord): Set<string> {
  return o.startTasks && o.startTasks.length > 0 ? selectTasks(wf, o.startTasks, o.deps ?? 'post') : new Set(wf.tasks.map((t) => t.name));
}

/** Failed / killed / not-run tasks, the selected tasks that never started (a crash), and what depends on them. */
function recoverSet(wf: WorkflowDef, prior: Map<string, PriorTask>, selection: Set<string>): Set<string> {
  const failed = [...prior].filter(([, t]) => RERUNNABLE.has(t.state)).map(([n]) => n);
  for (const n of selection) if (!prior.has(n)) failed.push(n);
  const out = new Set(failed);
  for (const n of downstreamOf(wf, failed)) if (selection.has(n)) out.add(n);
  return out;
}

function startChild(parent: Pass, exec: RunExecution, taskInstanceId: number, req: ChildRunRequest, previousChildRunId: number | null): { execution: RunExecution; run: () => Promise<ChildRunResult> } {
  const store = parent.store;
  const prevChild = previousChildRunId !== null ? store.getRun(previousChildRunId) : undefined;
  let runId: number;
  let mode: PassMode = 'start';
  let toRun = new Set(req.workflow.tasks.map((t) => t.name));
  let prior = new Map<string, PriorTask>();
  if (prevChild && prevChild.name === req.workflow.name && parent.mode !== 'start') {
    runId = prevChild.id;
    if (parent.mode === 'recover') {
      mode = 'recover';
      prior = priorOf(store, runId);
      toRun = recoverSet(req.workflow, prior, new Set(req.workflow.tasks.map((t) => t.name)));
      store.reopenRun(runId, 'START_FAILURE_TASK_PROCESS', { bumpRunTimes: false });
    } else {
      mode = 'rerun';
      store.supersedeTasks(runId);
      store.reopenRun(runId, 'REPEAT_RUNNING', { bumpRunTimes: true });
    }
  } else {
    runId = store.createRun({
      name: req.workflow.name,
      file: req.workflow.file,
      params: { ...parent.startup, ...req.params },
      options: { dryRun: parent.dryRun, parallel: parent.parallel, failureStrategy: parent.failureStrategy },
      parentRunId: parent.runId,
      parentTaskInstanceId: taskInstanceId,
      commandType: 'START_PROCESS',
    });
  }
  const pass: Pass = {
    ...parent,
    workflow: req.workflow,
    runId,
    parentRunId: exec.runId,
    globalOverrides: req.params,
    initialVarPool: req.varPool,
    toRun,
    prior,
    mode,
  };
  const execution = makeExecution(pass);
  const run = () => {
    parent.events.emit('run', { runId, parentRunId: exec.runId, workflow: req.workflow.name, state: 'RUNNING_EXECUTION', time: Date.now() });
    return runPass(pass, execution).then((state) => ({ runId, state, varPool: execution.finalVarPool() }));
  };
  return { execution, run };
}

/**
 * Runs a pass through its workflow's executionType (serial.ts: it may wait, or end STOP without
 * running) and arms the workflow timeout alert. PARALLEL workflows go straight to the execution.
 */
async function runPass(p: Pass, execution: RunExecution): Promise<WorkflowState> {
  const gate = SerialGate.for(p.store, p.workflow, p.runId, p.dryRun);
  const emitRun = (state: WorkflowState, message?: string) =>
    p.events.emit('run', { runId: p.runId, parentRunId: p.parentRunId, workflow: p.workflow.name, state, time: Date.now(), ...(message ? { message } : {}) });
  const note = (line: string) => p.store.appendLog({ runId: p.runId, taskInstanceId: null, ts: Date.now(), stream: 'system', line });
  if (gate) {
    const a = await gate.admit(() => execution.stopRequested, (message) => {
      note(message);
      emitRun('SERIAL_WAIT', message);
    });
    if (!a.go) {
      p.store.setRunState(p.runId, a.state, Date.now());
      p.store.setRunMessage(p.runId, a.message);
      note(a.message);
      p.store.flushLogs();
      p.store.commit();
      emitRun(a.state, a.message);
      return a.state;
    }
    if (a.waited) {
      p.store.setRunState(p.runId, 'RUNNING_EXECUTION');
      p.store.setRunMessage(p.runId, null);
      note(`starts: ${a.waited}`);
      emitRun('RUNNING_EXECUTION', `starts: ${a.waited}`);
    }
    gate.watch((by) => {
      const message = `stopped by ${by} (SERIAL_PRIORITY)`;
      p.store.setRunMessage(p.runId, message);
      note(message);
      execution.stop('STOP', message);
    });
  }
  const clearTimeoutAlert = watchWorkflowTimeout({ store: p.store, events: p.events, workflow: p.workflow, runId: p.runId, parentRunId: p.parentRunId, dryRun: p.dryRun });
  try {
    return await execution.start();
  } finally {
    clearTimeoutAlert();
    gate?.release();
  }
}

/** Recover / rerun of a SERIAL_DISCARD workflow while another run of it goes: refused, the run left as it was. */
function refuseIfDiscarded(store: RunStore, wf: WorkflowDef, runId: number): void {
  if (wf.executionType !== 'SERIAL_DISCARD') return;
  const gate = new SerialGate(store, wf, runId);
  if (gate.tryTake()) return; // kept until the pass ends
  throw new QuantflowError('ALREADY_RUNNING', `run ${runId} not reopened: ${gate.holder().text} of ${wf.name} is running (executionType SERIAL_DISCARD)`, { exitCode: ExitCode.alreadyRunning });
}

function handleFor(p: Pass): RunHandle {
  const execution = makeExecution(p);
  p.events.emit('run', { runId: p.runId, workflow: p.workflow.name, state: 'RUNNING_EXECUTION', time: Date.now() });
  const done = new Promise<RunSummary>((resolve, reject) => {
    // Start on the next tick so callers can subscribe to events first.
    setImmediate(() => {
      runPass(p, execution)
        .then(() => resolve(summarize(p.store, p.runId, p.workflow)))
        .catch(reject);
    });
  });
  return { runId: p.runId, events: p.events, done, stop: () => execution.stop() };
}

function common(opts: RunOptions) {
  registerBuiltinTaskTypes();
  const store = openRunStore(opts.dbPath);
  recoverCrashedRuns(store);
  const parallel = opts.parallel && opts.parallel > 0 ? opts.parallel : availableParallelism();
  return { store, parallel };
}

/** A start-up `system.datetime=yyyyMMddHHmmss` sets the base time, as a schedule time does in DolphinScheduler. */
function baseFromParams(params: Record<string, string> | undefined): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(params?.['system.datetime'] ?? '');
  if (!m) return undefined;
  const [y, mo, d, h, mi, se] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  return new Date(y, mo - 1, d, h, mi, se);
}

export function startRun(opts: RunOptions): RunHandle {
  const { store, parallel } = common(opts);
  const scheduleTime = opts.scheduleTime ?? baseFromParams(opts.params);
  const wf = opts.bundle.root;
  const startTasks = opts.startTasks ?? [];
  const deps = opts.deps ?? 'post';
  const toRun = startTasks.length > 0 ? selectTasks(wf, startTasks, deps) : new Set(wf.tasks.map((t) => t.name));
  const failureStrategy = opts.failureStrategy ?? 'CONTINUE';
  const startup = { ...(opts.params ?? {}) };
  const options: RunOptionsRecord = {
    ...(startTasks.length > 0 ? { startTasks, deps } : {}),
    dryRun: opts.dryRun ?? false,
    parallel,
    failureStrategy,
    ...(scheduleTime ? { scheduleTime: scheduleTime.getTime() } : {}),
  };
  const startTime = Date.now();
  const runId = store.createRun({
    name: wf.name,
    file: wf.file,
    params: startup,
    options,
    commandType: opts.commandType ?? (startTasks.length > 0 ? 'START_CURRENT_TASK_PROCESS' : 'START_PROCESS'),
    startTime,
  });
  return handleFor({
    store,
    opts,
    events: new Emitter<RunEvents>(),
    workflow: wf,
    runId,
    startup,
    globalOverrides: {},
    initialVarPool: {},
    toRun,
    prior: new Map(),
    base: scheduleTime ?? new Date(startTime),
    mode: 'start',
    failureStrategy,
    parallel,
    dryRun: opts.dryRun ?? false,
  });
}

function existingRun(store: RunStore, runId: number, wf: WorkflowDef) {
  const run = store.getRun(runId);
  if (!run) throw badInput(`there is no run ${runId}`);
  if (run.parentRunId !== null) throw badInput(`run ${runId} is a sub-workflow of run ${run.parentRunId}; recover or rerun the parent`);
  if (run.state === 'RUNNING_EXECUTION' || run.state === 'SERIAL_WAIT') throw new QuantflowError('ALREADY_RUNNING', `run ${runId} is still running (process ${run.pid} on ${run.hostname})`, { exitCode: ExitCode.alreadyRunning });
  if (run.name !== wf.name) throw badInput(`run ${runId} is of workflow "${run.name}", not "${wf.name}"`);
  return run;
}

/** Recover failed: re-runs the FAILURE / KILL / NEED_FAULT_TOLERANCE / NOT_RUN tasks and what depends on them; successes are kept. */
export function recoverRun(opts: RunOptions & { runId: number }): RunHandle {
  const { store, parallel } = common(opts);
  const wf = opts.bundle.root;
  const run = existingRun(store, opts.runId, wf);
  const prior = priorOf(store, run.id);
  const toRun = recoverSet(wf, prior, selectionOf(wf, run.options));
  refuseIfDiscarded(store, wf, run.id);
  store.reopenRun(run.id, 'START_FAILURE_TASK_PROCESS', { bumpRunTimes: false });
  const base = run.options.scheduleTime ? new Date(run.options.scheduleTime) : new Date(run.startTime);
  return reopen(store, opts, run, parallel, { toRun, prior, base, mode: 'recover' });
}

/** Rerun: the whole DAG (of the original selection) again in the same run id; old attempts stay as history. */
export function rerunRun(opts: RunOptions & { runId: number }): RunHandle {
  const { store, parallel } = common(opts);
  const wf = opts.bundle.root;
  const run = existingRun(store, opts.runId, wf);
  const toRun = selectionOf(wf, run.options);
  refuseIfDiscarded(store, wf, run.id);
  store.supersedeTasks(run.id);
  store.reopenRun(run.id, 'REPEAT_RUNNING', { bumpRunTimes: true });
  const base = run.options.scheduleTime ? new Date(run.options.scheduleTime) : new Date();
  return reopen(store, opts, run, parallel, { toRun, prior: new Map(), base, mode: 'rerun' });
}

/** Runs an existing run again (recover, rerun) with its recorded params, strategy and parallelism unless overridden. */
function reopen(
  store: RunStore,
  opts: RunOptions & { runId: number },
  run: ReturnType<typeof existingRun>,
  parallel: number,
  pass: { toRun: Set<string>; prior: Map<string, PriorTask>; base: Date; mode: 'recover' | 'rerun' },
): RunHandle {
  const o = run.options;
  return handleFor({
    store,
    opts,
    events: new Emitter<RunEvents>(),
    workflow: opts.bundle.root,
    runId: run.id,
    startup: { ...run.params, ...(opts.params ?? {}) },
    globalOverrides: {},
    initialVarPool: {},
    ...pass,
    failureStrategy: opts.failureStrategy ?? o.failureStrategy ?? 'CONTINUE',
    parallel: opts.parallel && opts.parallel > 0 ? opts.parallel : (o.parallel ?? parallel),
    dryRun: false,
  });
}
