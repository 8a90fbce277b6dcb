/**
 * The attempts of one task: a task instance row per attempt, delay, parameter resolution, the task
 * type's executor, timeouts (WARN / FAILED / WARNFAILED), OUT params, and retries.
 */
import { dirname } from 'node:path';
import { parseProgressLine } from '../../core/progress.js';
import type { TaskDef } from '../model.js';
import type { TaskState } from '../states.js';
import type { TaskPatch } from '../store.js';
import type { TaskContext, TaskResult } from '../tasks/types.js';
import { executorFor } from '../tasks/registry.js';
import { builtinParams } from '../params/builtins.js';
import { buildParamMap, resolveText } from '../params/resolve.js';
import { OutputParamParser, declaredOutputs } from '../params/set-value.js';
import type { LogStream } from './events.js';
import type { RunExecution } from './execution.js';

export interface AttemptRequest {
  exec: RunExecution;
  def: TaskDef;
  firstAttempt: number;
  signal: AbortSignal;
  varPool: Record<string, string>;
  upstreamStates: ReadonlyMap<string, TaskState>;
  previousExternal?: Record<string, unknown>;
  previousChildRunId: number | null;
  isStopping(): boolean;
}

export interface AttemptOutcome {
  state: TaskState;
  varPool: Record<string, string>;
  skip?: string[];
}

/** Resolves after `ms`, or early (false) when the signal aborts. */
function sleep(ms: number, signal: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve(false);
    const t = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      resolve(false);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** Logic tasks and sub-workflows still run in a dry run (their children are dry runs too). */
const RUN_IN_DRY_RUN = new Set(['CONDITIONS', 'SWITCH', 'SUB_PROCESS', 'NOOP']);

/** The resolved params worth recording: everything but the system.* built-ins. */
function userParams(params: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k in params) if (!k.startsWith('system.')) out[k] = params[k]!;
  return out;
}

export async function runAttempt(req: AttemptRequest): Promise<AttemptOutcome> {
  const { exec, def } = req;
  const o = exec.opts;
  const store = o.store;
  const wf = o.workflow;
  const executor = executorFor(def.type);
  const cwd = dirname(wf.file);
  const env = exec.taskEnv();
  const outProps = def.localParams.filter((p) => p.direct === 'OUT').map((p) => p.prop);
  const localIn: Record<string, string> = {};
  for (const p of def.localParams) if (p.direct === 'IN') localIn[p.prop] = p.value;
  const globals = { ...wf.params, ...o.globalOverrides };

  let attempt = req.firstAttempt;
  for (;;) {
    const id = store.createTaskInstance({ runId: o.runId, name: def.name, type: def.type, state: 'SUBMITTED_SUCCESS', attempt });
    exec.emitTask(def, id, 'SUBMITTED_SUCCESS', attempt);
    const finish = (state: TaskState, r: Partial<TaskResult>, pool: Record<string, string>, extra: TaskPatch = {}): void => {
      store.updateTask(id, { ...extra, state, endTime: Date.now(), exitCode: r.exitCode ?? null, message: r.message ?? null, varPool: pool, ...(r.childRunId ? { childRunId: r.childRunId } : {}) });
      exec.emitTask(def, id, state, attempt, { exitCode: r.exitCode, message: r.message, childRunId: r.childRunId });
    };
    const log = (stream: LogStream, line: string, warning = false): void => {
      const time = Date.now();
      store.appendLog({ runId: o.runId, taskInstanceId: id, ts: time, stream, line });
      o.events.emit('log', { runId: o.runId, taskInstanceId: id, name: def.name, attempt, stream, line, time, ...(warning ? { warning } : {}) });
    };

    if (attempt === req.firstAttempt && def.delayTime > 0 && !o.dryRun) {
      store.updateTask(id, { state: 'DELAY_EXECUTION' });
      exec.emitTask(def, id, 'DELAY_EXECUTION', attempt);
      if (!(await sleep(def.delayTime * 60_000, req.signal))) {
        finish('KILL', { message: 'stopped during its delay' }, {});
        return { state: 'KILL', varPool: {} };
      }
    }
    if (req.signal.aborted) {
      finish('KILL', { message: 'stopped before it started' }, {});
      return { state: 'KILL', varPool: {} };
    }
    if (!(await exec.acquireSlot(def))) {
      finish('NOT_RUN', { message: 'the run ended before a slot was free' }, {});
      return { state: 'NOT_RUN', varPool: {} };
    }
    let released = false;
    const release = () => {
      if (!released) exec.releaseSlot(def);
      released = true;
    };

    // Built on first use (a NOOP never needs it).
    let paramsCache: Record<string, string> | undefined;
    const getParams = (): Record<string, string> =>
      (paramsCache ??= buildParamMap(
      [
        builtinParams({ base: o.base, projectName: wf.project, workflowName: wf.name, runId: o.runId, taskName: def.name, taskInstanceId: id, executePath: cwd }),
        globals,
        req.varPool,
        localIn,
        o.startup,
      ],
      o.base,
    ));
    // A task with a FAILED timeout gets its own signal (the timeout kills this attempt only).
    const timeoutKills = def.timeout > 0 && (def.timeoutNotifyStrategy === 'FAILED' || def.timeoutNotifyStrategy === 'WARNFAILED') && !o.dryRun;
    const attemptAbort = timeoutKills ? new AbortController() : undefined;
    const forward = () => attemptAbort?.abort(req.signal.reason);
    if (attemptAbort) req.signal.addEventListener('abort', forward, { once: true });
    const signal = attemptAbort?.signal ?? req.signal;
    const parser = new OutputParamParser();
    const ctx: TaskContext = {
      runId: o.runId,
      taskInstanceId: id,
      attempt,
      task: def,
      workflow: wf,
      bundle: o.bundle,
      get params() {
        return getParams();
      },
      resolve: (text) => resolveText(text, getParams(), o.base),
      cwd,
      env,
      dbPath: o.dbPath,
      store,
      signal,
      killGraceMs: o.killGraceMs,
      dryRun: o.dryRun,
      varPool: req.varPool,
      upstreamStates: req.upstreamStates,
      previousExternal: req.previousExternal,
      log(stream, line) {
        if (stream === 'stdout') parser.feed(line);
        const p = parseProgressLine(line);
        if (p) o.events.emit('progress', { runId: o.runId, taskInstanceId: id, name: def.name, ...p, time: Date.now() });
        else log(stream, line);
      },
      step(step, status, detail) {
        o.events.emit('step', { runId: o.runId, taskInstanceId: id, name: def.name, step, status, time: Date.now(), ...(detail ? { detail } : {}) });
        log('system', `step ${step}: ${status}${detail ? ` (${detail})` : ''}`);
      },
      setExternal: (value) => store.updateTask(id, { external: value }),
      setPid: (pid) => {
        // Committed at once: a crash right after must leave the pid for orphan clean-up.
        store.updateTask(id, { pid });
        store.commit();
      },
      runChild: (childReq) =>
        exec.runChild(id, signal, childReq, req.previousChildRunId, (childRunId) => {
          store.updateTask(id, { childRunId });
          // As DolphinScheduler's SubProcess log: which instance runs the child (its tasks have their own logs).
          log('system', `sub-workflow ${childReq.workflow.name} ${childRunId === req.previousChildRunId ? 'continues as' : 'runs as'} run #${childRunId}`);
          exec.emitTask(def, id, 'RUNNING_EXECUTION', attempt, { childRunId });
        }),
    };

    let command: string | null = null;
    let result: TaskResult;
    let timedOut = false;
    let timer: NodeJS.Timeout | undefined;
    let describeError: Error | undefined;
    try {
      command = executor.describe ? executor.describe(ctx) : null;
    } catch (e) {
      describeError = e as Error;
    }
    // An instant task's start is written with its end (one row write less per task).
    const startTime = Date.now();
    const startFields = (): TaskPatch => ({ startTime, params: paramsCache ? userParams(paramsCache) : null, command });
    const deferStart = executor.instant === true;
    if (!deferStart) {
      store.updateTask(id, { state: 'RUNNING_EXECUTION', ...startFields() });
      store.commit(); // visible before the task has any effect outside
    }
    exec.emitTask(def, id, 'RUNNING_EXECUTION', attempt);
    try {
      if (describeError) throw describeError;
      if (o.dryRun && !RUN_IN_DRY_RUN.has(def.type)) {
        log('system', command ?? '');
        result = { state: 'SUCCESS', message: 'dry run' };
      } else {
        if (def.timeout > 0 && def.timeoutNotifyStrategy && !o.dryRun) {
          const strategy = def.timeoutNotifyStrategy;
          timer = setTimeout(() => {
            if (strategy === 'WARN' || strategy === 'WARNFAILED') log('system', `WARN: ${def.name} exceeded its timeout of ${def.timeout} min`, true);
            if (strategy === 'FAILED' || strategy === 'WARNFAILED') {
              timedOut = true;
              attemptAbort?.abort('timeout');
            }
          }, def.timeout * 60_000);
        }
        result = await executor.run(ctx);
      }
    } catch (e) {
      result = { state: 'FAILURE', message: (e as Error).message };
    } finally {
      release();
      if (timer) clearTimeout(timer);
      req.signal.removeEventListener('abort', forward);
    }

    let state: TaskState = result.state;
    if (timedOut && state !== 'SUCCESS') {
      state = 'FAILURE';
      result = { ...result, message: `timed out after ${def.timeout} min` };
    }
    const produced = { ...declaredOutputs(parser.values, outProps), ...declaredOutputs(new Map(Object.entries(result.outputs ?? {})), outProps), ...result.varPool };
    const pool = { ...req.varPool, ...produced };
    if (state !== 'SUCCESS' && result.message) log('system', `${def.name} ${state}: ${result.message}`);
    finish(state, result, state === 'SUCCESS' ? pool : {}, deferStart ? startFields() : {});

    const retryable = executor.retryable !== false;
    if (state === 'FAILURE' && retryable && attempt - req.firstAttempt < def.failRetryTimes && !req.isStopping() && !req.signal.aborted) {
      log('system', `retrying in ${def.failRetryInterval} min (attempt ${attempt + 1})`);
      if (!(await sleep(def.failRetryInterval * 60_000, req.signal))) return { state, varPool: {} };
      attempt++;
      continue;
    }
    return { state, varPool: state === 'SUCCESS' ? pool : {}, skip: state === 'SUCCESS' ? result.skip : undefined };
  }
}
