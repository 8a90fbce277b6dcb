/**
 * `quantflow run | runs | logs | recover | rerun`: thin commands over src/workflow/runner.
 * Exit codes: 0 SUCCESS, 1 FAILURE, 2 bad input, 3 already running, 130 interrupted (KILL).
 */
import type { Command } from 'commander';
import { action, collect, globals, intOption, printJson } from '../action.js';
import { ExitCode, badInput } from '../../core/errors.js';
import { resolveDbPath } from '../../core/config.js';

type Handle = import('../../workflow/runner/index.js').RunHandle;
type Summary = import('../../workflow/runner/index.js').RunSummary;

interface RunFlags {
  param?: string[];
  task?: string[];
  deps?: string;
  dryRun?: boolean;
  parallel?: number;
  failureStrategy?: string;
  compat?: boolean;
  json?: boolean;
}

function parseParams(list: string[] = []): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of list) {
    const eq = p.indexOf('=');
    if (eq <= 0) throw badInput(`--param expects NAME=VALUE, got "${p}"`);
    out[p.slice(0, eq)] = p.slice(eq + 1);
  }
  return out;
}

function failureStrategy(s: string | undefined): 'CONTINUE' | 'END' | undefined {
  if (s === undefined) return undefined;
  const u = s.toUpperCase();
  if (u !== 'CONTINUE' && u !== 'END') throw badInput(`--failure-strategy expects continue or end, got "${s}"`);
  return u;
}

function deps(s: string | undefined): 'post' | 'pre' | 'only' {
  const d = (s ?? 'post').toLowerCase();
  if (d !== 'post' && d !== 'pre' && d !== 'only') throw badInput(`--deps expects post, pre or only, got "${s}"`);
  return d;
}

const clock = (t: number) => {
  const d = new Date(t);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
};

function duration(start: string | null, end: string | null): string {
  if (!start || !end) return '-';
  const ms = Date.parse(end) - Date.parse(start);
  return ms < 1000 ? `${ms}ms` : ms < 60_000 ? `${(ms / 1000).toFixed(1)}s` : `${Math.floor(ms / 60_000)}m${Math.round((ms % 60_000) / 1000)}s`;
}

/** STOP (executionType): 3 when the run was discarded before any task (another run holds the workflow), else 130. */
function exitCodeOf(s: Summary): number {
  if (s.state === 'SUCCESS') return ExitCode.ok;
  if (s.state === 'KILL') return ExitCode.interrupted;
  if (s.state === 'STOP') return s.tasks.length === 0 ? ExitCode.alreadyRunning : ExitCode.interrupted;
  return ExitCode.failed;
}

/** Live lines, signal handling, the end summary or JSON; returns the exit code. */
async function follow(handle: Handle, flags: { json?: boolean; dryRun?: boolean }): Promise<number> {
  const out = process.stdout;
  const rootRun = handle.runId;
  if (!flags.json) {
    out.write(`run ${rootRun} started\n`);
    handle.events.on('task', (e) => {
      if (e.state === 'SUBMITTED_SUCCESS') return;
      const who = e.runId === rootRun ? e.name : `${e.workflow}/${e.name}`;
      const attempt = e.attempt > 1 ? ` (attempt ${e.attempt})` : '';
      const extra = e.childRunId && e.state === 'RUNNING_EXECUTION' ? ` -> run ${e.childRunId}` : e.message && e.state !== 'SUCCESS' ? `: ${e.message}` : '';
      out.write(`${clock(e.time)}  ${e.state.padEnd(20)} ${who}${attempt}${extra}\n`);
    });
    // Serial execution types: waiting, starting after a wait, discarded or stopped by a newer run.
    handle.events.on('run', (e) => {
      if (!e.message) return;
      const who = e.runId === rootRun ? `run ${e.runId}` : `run ${e.runId} (${e.workflow})`;
      process.stderr.write(`${clock(e.time)}  ${e.state.padEnd(20)} ${who}: ${e.message}\n`);
    });
    handle.events.on('alert', (e) => process.stderr.write(`${clock(e.time)}  ${e.message}\n`));
    handle.events.on('log', (e) => {
      if (e.warning) process.stderr.write(`${clock(e.time)}  ${e.line}\n`);
      else if (flags.dryRun && e.stream === 'system') out.write(`--- ${e.name}\n${e.line.replace(/^/gm, '    ')}\n`);
    });
  }
  let signals = 0;
  const onSignal = (sig: NodeJS.Signals) => {
    signals++;
    if (!flags.json) process.stderr.write(`\n${sig}: stopping run ${rootRun} (killing running tasks)...\n`);
    handle.stop();
    if (signals >= 3) process.exit(ExitCode.interrupted);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  let summary: Summary;
  try {
    summary = await handle.done;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  if (flags.json) printJson(summary);
  else printSummary(summary);
  return exitCodeOf(summary);
}

function printSummary(s: Summary): void {
  const w = Math.max(4, ...s.tasks.map((t) => t.name.length));
  const lines = [`\n${'TASK'.padEnd(w)}  ${'STATE'.padEnd(20)} ATTEMPTS  TIME     EXIT`];
  for (const t of s.tasks) {
    const child = t.childRunId ? `  run ${t.childRunId}` : '';
    lines.push(`${t.name.padEnd(w)}  ${t.state.padEnd(20)} ${String(t.attempts).padStart(8)}  ${duration(t.startTime, t.endTime).padEnd(7)}  ${t.exitCode ?? '-'}${child}`);
  }
  lines.push(`\nrun ${s.id} ${s.workflow}: ${s.state} in ${duration(s.startTime, s.endTime)}${s.message ? ` (${s.message})` : ''}`);
  if (s.timeoutAlert) lines.push(`timeout alert raised at ${s.timeoutAlert.slice(11, 19)} (the workflow's timeout only alerts)`);
  process.stdout.write(lines.join('\n') + '\n');
}

async function load(file: string, compat: boolean | undefined) {
  const { loadWorkflow } = await import('../../workflow/dialect/load.js');
  return loadWorkflow(file, { compat: compat ?? false });
}

export function register(program: Command): void {
  program
    .command('run')
    .description('run a workflow locally with DolphinScheduler semantics')
    .argument('<file>', 'the workflow YAML (PyDolphinScheduler dialect)')
    .option('--param <name=value>', 'a start-up parameter (repeatable; wins over every other)', collect, [])
    .option('--task <name>', 'start from this task (repeatable)', collect, [])
    .option('--deps <mode>', 'with --task: post (the task and downstream), pre (and upstream), only', 'post')
    .option('--dry-run', 'resolve everything, print each task\'s final command, run nothing')
    .option('--parallel <n>', 'at most N tasks at once (default: number of cores)', intOption('--parallel'))
    .option('--failure-strategy <s>', 'continue (independent branches go on) or end (kill everything)', 'continue')
    .option('--compat', 'PyDolphinScheduler\'s lenient macro behaviour')
    .option('--json', 'print one JSON document at the end')
    .action(
      action(async (file: string, flags: RunFlags, cmd: Command) => {
        const params = parseParams(flags.param);
        const strategy = failureStrategy(flags.failureStrategy);
        const mode = deps(flags.deps);
        const bundle = await load(file, flags.compat);
        const { startRun } = await import('../../workflow/runner/index.js');
        const handle = startRun({
          dbPath: resolveDbPath(globals(cmd).db),
          bundle,
          params,
          startTasks: flags.task,
          deps: mode,
          dryRun: flags.dryRun ?? false,
          parallel: flags.parallel,
          failureStrategy: strategy,
        });
        return follow(handle, flags);
      }),
    );

  for (const which of ['recover', 'rerun'] as const) {
    program
      .command(which)
      .description(which === 'recover' ? 're-run the failed, killed and not-run tasks of a finished run (and what depends on them), keeping the successes' : 'run a finished run\'s whole DAG again in the same run id')
      .argument('<run-id>', 'the run', intOption('RUN_ID'))
      .option('--parallel <n>', 'at most N tasks at once', intOption('--parallel'))
      .option('--failure-strategy <s>', 'continue or end (default: the run\'s)')
      .option('--compat', 'PyDolphinScheduler\'s lenient macro behaviour')
      .option('--json', 'print one JSON document at the end')
      .action(
        action(async (runId: number, flags: RunFlags, cmd: Command) => {
          const dbPath = resolveDbPath(globals(cmd).db);
          const strategy = failureStrategy(flags.failureStrategy);
          const runner = await import('../../workflow/runner/index.js');
          const store = runner.openRunStore(dbPath);
          runner.recoverCrashedRuns(store);
          const run = store.getRun(runId);
          if (!run) throw badInput(`there is no run ${runId} in ${dbPath}`);
          const bundle = await load(run.file, flags.compat);
          const opts = { dbPath, bundle, runId, parallel: flags.parallel, failureStrategy: strategy };
          const handle = which === 'recover' ? runner.recoverRun(opts) : runner.rerunRun(opts);
          return follow(handle, flags);
        }),
      );
  }

  program
    .command('runs')
    .description('recent runs')
    .option('--limit <n>', 'how many', intOption('--limit'), 20)
    .option('--json', 'print JSON')
    .action(
      action(async (flags: { limit: number; json?: boolean }, cmd: Command) => {
        const runner = await import('../../workflow/runner/index.js');
        const { isoWithOffset } = await import('../../core/time.js');
        const store = runner.openRunStore(resolveDbPath(globals(cmd).db));
        runner.recoverCrashedRuns(store);
        const runs = store.listRuns(flags.limit).map((r) => ({
          id: r.id,
          workflow: r.name,
          state: r.state,
          startTime: isoWithOffset(r.startTime),
          endTime: r.endTime === null ? null : isoWithOffset(r.endTime),
          parentRunId: r.parentRunId,
          commandType: r.commandType,
          file: r.file,
          ...(r.message ? { message: r.message } : {}),
          ...(r.timeoutAlertAt !== null ? { timeoutAlert: isoWithOffset(r.timeoutAlertAt) } : {}),
        }));
        if (flags.json) {
          printJson(runs);
          return;
        }
        if (runs.length === 0) {
          process.stdout.write('no runs yet\n');
          return;
        }
        const w = Math.max(8, ...runs.map((r) => r.workflow.length));
        const lines = [`${'ID'.padStart(5)}  ${'WORKFLOW'.padEnd(w)}  ${'STATE'.padEnd(20)}  ${'STARTED'.padEnd(19)}  TIME     PARENT`];
        for (const r of runs) {
          lines.push(`${String(r.id).padStart(5)}  ${r.workflow.padEnd(w)}  ${r.state.padEnd(20)}  ${r.startTime.slice(0, 19).replace('T', ' ')}  ${duration(r.startTime, r.endTime).padEnd(7)}  ${String(r.parentRunId ?? '-').padEnd(6)}${r.message ? `  ${r.message}` : ''}`);
        }
        process.stdout.write(lines.join('\n') + '\n');
      }),
    );

  program
    .command('logs')
    .description('the captured log of a run, or of one task')
    .argument('<run-id>', 'the run', intOption('RUN_ID'))
    .argument('[task]', 'only this task')
    .option('--attempt <n>', 'only this attempt', intOption('--attempt'))
    .action(
      action(async (runId: number, taskName: string | undefined, flags: { attempt?: number }, cmd: Command) => {
        const runner = await import('../../workflow/runner/index.js');
        const store = runner.openRunStore(resolveDbPath(globals(cmd).db));
        if (!store.getRun(runId)) throw badInput(`there is no run ${runId}`);
        if (taskName !== undefined && !store.currentTasks(runId).has(taskName) && !store.taskInstances(runId).some((t) => t.name === taskName)) {
          throw badInput(`run ${runId} has no task "${taskName}"`);
        }
        // A run's log includes its sub-workflows' logs (prefixed with the child workflow's name).
        const text: string[] = [];
        const emit = (id: number, task: string | undefined, attempt: number | undefined, prefix: string) => {
          const rows = store.taskInstances(id);
          for (const l of store.logLines(id, task, attempt)) {
            const where = task === undefined ? `[${prefix}${l.task ?? '-'}#${l.attempt ?? '-'}] ` : prefix ? `[${prefix}] ` : '';
            const stream = l.stream === 'stdout' ? '' : `${l.stream}: `;
            text.push(`${where}${stream}${l.line}`);
          }
          for (const r of rows) {
            if (r.childRunId === null || (task !== undefined && r.name !== task) || (attempt !== undefined && r.attempt !== attempt)) continue;
            const child = store.getRun(r.childRunId);
            if (child) emit(child.id, undefined, undefined, `${prefix}${child.name}/`);
          }
        };
        emit(runId, taskName, flags.attempt, '');
        if (text.length > 0) process.stdout.write(text.join('\n') + '\n');
      }),
    );
}
