/**
 * `quantflow schedule [FILE...]`: each workflow's next fire times (Quartz `workflow.schedule` in its
 * time zone and start/end window). `quantflow scheduler [--workflows DIR]`: the foreground process
 * that starts the runs at those times (one at a time per workflow, across processes).
 */
import type { Command } from 'commander';
import { action, globals, intOption, printJson } from '../action.js';
import { ExitCode, badInput } from '../../core/errors.js';

interface ScheduleFlags {
  count?: number;
  json?: boolean;
  compat?: boolean;
  from?: string;
}

async function schedule(files: string[], opts: ScheduleFlags): Promise<number> {
  const { loadWorkflowFile, formatDiagnostic } = await import('../../workflow/dialect/load.js');
  const { upcomingFireTimes, workflowFilesIn, isScheduled } = await import('../../workflow/schedule/upcoming.js');
  const { isoInZone } = await import('../../workflow/schedule/tz.js');
  if (files.length === 0) {
    try {
      files = workflowFilesIn('workflows');
    } catch {
      throw badInput('no FILE given and no ./workflows folder to read');
    }
    if (files.length === 0) throw badInput('no workflow YAML files in ./workflows');
  }
  const from = opts.from !== undefined ? new Date(opts.from) : new Date();
  if (Number.isNaN(from.getTime())) throw badInput(`--from expects an ISO-8601 time, got "${opts.from}"`);
  const count = opts.count ?? 5;
  const seen = new Set<string>();
  const out: { workflow: string; file: string; schedule: string | null; timezone: string; online: boolean; next: string[] }[] = [];
  let failed = false;
  for (const file of files) {
    const r = loadWorkflowFile(file, { compat: opts.compat });
    for (const d of r.diagnostics) if (d.severity === 'error') process.stderr.write(`${formatDiagnostic(d)}\n`);
    if (!r.bundle) {
      failed = true;
      continue;
    }
    for (const wf of r.bundle.order) {
      if (seen.has(wf.file)) continue;
      seen.add(wf.file);
      const next = upcomingFireTimes(wf, from, count).map((d) => isoInZone(d.getTime(), wf.timezone));
      out.push({ workflow: wf.name, file: wf.file, schedule: wf.schedule ?? null, timezone: wf.timezone, online: isScheduled(wf), next });
    }
  }
  if (opts.json) printJson({ from: from.toISOString(), workflows: out });
  else {
    const lines: string[] = [];
    for (const w of out) {
      if (w.schedule === null) {
        lines.push(`${w.workflow}: no schedule`);
        continue;
      }
      lines.push(`${w.workflow}: "${w.schedule}" (${w.timezone}${w.online ? '' : ', offline: the scheduler will not run it'})`);
      if (w.next.length === 0) lines.push('  no fire times left');
      for (const t of w.next) lines.push(`  ${t}`);
    }
    if (lines.length > 0) process.stdout.write(`${lines.join('\n')}\n`);
  }
  return failed ? ExitCode.badInput : ExitCode.ok;
}

interface SchedulerFlags {
  workflows?: string;
  compat?: boolean;
  parallel?: number;
  exitAfter?: number;
}

async function scheduler(opts: SchedulerFlags, cmd: Command): Promise<number> {
  const { existsSync, statSync } = await import('node:fs');
  const dir = opts.workflows ?? 'workflows';
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw badInput(`--workflows: no folder ${dir}`);
  const { Scheduler } = await import('../../workflow/schedule/scheduler.js');
  const { resolveDbPath } = await import('../../core/config.js');
  const s = new Scheduler({ dbPath: resolveDbPath(globals(cmd).db), dir, compat: opts.compat, parallel: opts.parallel });
  let interrupted = false;
  const onSignal = (): void => {
    interrupted = true;
    s.stop(true);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const timer = opts.exitAfter !== undefined ? setTimeout(() => s.stop(false), opts.exitAfter * 1000) : undefined;
  try {
    await s.run();
  } finally {
    if (timer) clearTimeout(timer);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  const st = s.stats;
  process.stderr.write(`scheduler stopped: ${st.started} started, ${st.succeeded} succeeded, ${st.failed} failed, ${st.skipped} skipped\n`);
  return interrupted ? ExitCode.interrupted : ExitCode.ok;
}

export function register(program: Command): void {
  program
    .command('schedule')
    .description("list each workflow's next fire times (Quartz schedule, time zone, start/end window)")
    .argument('[file...]', 'workflow YAML files (default: every YAML file in ./workflows)')
    .option('--count <n>', 'fire times per workflow', intOption('--count'), 5)
    .option('--from <time>', 'list fire times after this ISO-8601 time (default: now)')
    .option('--compat', 'PyDolphinScheduler macro behaviour')
    .option('--json', 'one JSON document: {from, workflows: [{workflow, file, schedule, timezone, online, next}]}')
    .action(action((files: string[], opts: ScheduleFlags) => schedule(files, opts)));
  program
    .command('scheduler')
    .description('foreground process: start runs of the workflows in a folder at their fire times (one run per workflow at a time; skipped and logged when a run is still going)')
    .option('--workflows <dir>', 'folder of workflow YAML files', 'workflows')
    .option('--parallel <n>', 'task parallelism of each run', intOption('--parallel'))
    .option('--compat', 'PyDolphinScheduler macro behaviour')
    .option('--exit-after <seconds>', 'stop scheduling after this long and wait for started runs (for tests and batch use)', intOption('--exit-after'))
    .action(action((opts: SchedulerFlags, cmd: Command) => scheduler(opts, cmd)));
}
