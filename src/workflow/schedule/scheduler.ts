/**
 * `quantflow scheduler`: a foreground process that starts runs of the workflows in a folder at their
 * Quartz fire times (DolphinScheduler's role on a cluster).
 *
 * - Never two runs of one workflow at once, also across processes: before a run it takes the store
 *   lock `schedule:<workflow name>` (RunStore.tryLock); when another process holds it, or a run it
 *   started is still going, the fire time is skipped and logged.
 * - A failing run (or one that cannot start) is logged and the scheduler goes on.
 * - The folder is re-read at each wake-up (at least every `rescanMs`), so edited files apply without
 *   a restart; a file that does not load is logged once per change and left out.
 * - A fire time missed by more than `misfireMs` (the machine slept) is skipped, not caught up.
 */
import { statSync } from 'node:fs';
import type { WorkflowBundle, WorkflowDef } from '../model.js';
import { isScheduled, upcomingFireTimes, workflowFilesIn } from './upcoming.js';
import { isoInZone } from './tz.js';

export interface SchedulerOptions {
  dbPath: string;
  /** The folder of workflow YAML files. */
  dir: string;
  compat?: boolean;
  parallel?: number;
  /** One log line (without newline). */
  log?: (line: string) => void;
  /** Longest sleep between re-reads of the folder (default 30 s). */
  rescanMs?: number;
  /** A fire time later than this is skipped (default 60 s). */
  misfireMs?: number;
}

interface Entry {
  wf: WorkflowDef;
  bundle: WorkflowBundle;
  /** Next fire time (ms) not yet handled. */
  next?: number;
}

export interface SchedulerStats {
  started: number;
  skipped: number;
  failed: number;
  succeeded: number;
}

export class Scheduler {
  private readonly owner = `scheduler:${process.pid}:${Math.random().toString(36).slice(2, 8)}`;
  private entries = new Map<string, Entry>();
  private readonly running = new Map<string, { stop(): void; done: Promise<unknown> }>();
  private readonly fileErrors = new Map<string, string>();
  private timer: NodeJS.Timeout | undefined;
  private wake: (() => void) | undefined;
  private stopped = false;
  readonly stats: SchedulerStats = { started: 0, skipped: 0, failed: 0, succeeded: 0 };

  constructor(private readonly opts: SchedulerOptions) {}

  private log(line: string): void {
    (this.opts.log ?? ((l: string) => process.stderr.write(`${l}\n`)))(`${new Date().toISOString()} ${line}`);
  }

  /** (Re)loads every workflow file of the folder; keeps pending fire times of unchanged schedules. */
  async reload(now: number): Promise<void> {
    const { loadWorkflowFile, formatDiagnostic } = await import('../dialect/load.js');
    const next = new Map<string, Entry>();
    let files: string[] = [];
    try {
      files = workflowFilesIn(this.opts.dir);
    } catch (e) {
      this.log(`cannot read ${this.opts.dir}: ${(e as Error).message}`);
    }
    for (const file of files) {
      const r = loadWorkflowFile(file, { compat: this.opts.compat });
      if (!r.bundle) {
        const msg = r.diagnostics.filter((d) => d.severity === 'error').map(formatDiagnostic).join('; ');
        const key = `${file}@${safeMtime(file)}`;
        if (this.fileErrors.get(file) !== key) this.log(`skip ${file}: ${msg}`);
        this.fileErrors.set(file, key);
        continue;
      }
      this.fileErrors.delete(file);
      const wf = r.bundle.root;
      if (!isScheduled(wf)) continue;
      if (next.has(wf.name)) {
        this.log(`skip ${file}: workflow "${wf.name}" is already scheduled from ${next.get(wf.name)!.wf.file}`);
        continue;
      }
      const old = this.entries.get(wf.name);
      const sameSchedule = old && old.wf.schedule === wf.schedule && old.wf.timezone === wf.timezone && old.wf.startTime === wf.startTime && old.wf.endTime === wf.endTime;
      const entry: Entry = { wf, bundle: r.bundle, next: sameSchedule ? old.next : upcomingFireTimes(wf, new Date(now), 1)[0]?.getTime() };
      if (!old) this.log(`scheduled ${wf.name} "${wf.schedule}" (${wf.timezone}); next ${entry.next ? isoInZone(entry.next, wf.timezone) : 'never'}`);
      next.set(wf.name, entry);
    }
    this.entries = next;
  }

  /** Starts the due runs; returns the ms until the next fire time (or undefined). */
  private async tick(now: number): Promise<number | undefined> {
    for (const e of this.entries.values()) {
      while (e.next !== undefined && e.next <= now) {
        const fire = e.next;
        e.next = upcomingFireTimes(e.wf, new Date(fire), 1)[0]?.getTime();
        if (now - fire > (this.opts.misfireMs ?? 60_000)) {
          this.log(`missed ${e.wf.name} at ${isoInZone(fire, e.wf.timezone)} (the scheduler was not running); not caught up`);
          this.stats.skipped++;
          continue;
        }
        await this.fire(e, fire);
      }
    }
    let soonest: number | undefined;
    for (const e of this.entries.values()) if (e.next !== undefined && (soonest === undefined || e.next < soonest)) soonest = e.next;
    return soonest === undefined ? undefined : Math.max(0, soonest - Date.now());
  }

  private async fire(e: Entry, fire: number): Promise<void> {
    const name = e.wf.name;
    const at = isoInZone(fire, e.wf.timezone);
    if (this.running.has(name)) {
      this.log(`skip ${name} at ${at}: its previous run is still going`);
      this.stats.skipped++;
      return;
    }
    const { openRunStore, startRun } = await import('../runner/index.js');
    const store = openRunStore(this.opts.dbPath);
    const lock = `schedule:${name}`;
    if (!store.tryLock(lock, this.owner)) {
      const h = store.lockHolder(lock);
      this.log(`skip ${name} at ${at}: already running${h ? ` (lock held by pid ${h.pid} on ${h.hostname})` : ''}`);
      this.stats.skipped++;
      return;
    }
    try {
      const handle = startRun({ dbPath: this.opts.dbPath, bundle: e.bundle, parallel: this.opts.parallel, scheduleTime: new Date(fire), commandType: 'SCHEDULER' });
      this.stats.started++;
      this.log(`start ${name} at ${at}: run ${handle.runId}`);
      const done = handle.done
        .then((s) => {
          if (s.state === 'SUCCESS') this.stats.succeeded++;
          else this.stats.failed++;
          this.log(`end ${name} run ${handle.runId}: ${s.state}`);
        })
        .catch((err: unknown) => {
          this.stats.failed++;
          this.log(`end ${name} run ${handle.runId}: error: ${(err as Error).message ?? String(err)}`);
        })
        .finally(() => {
          this.running.delete(name);
          store.unlock(lock, this.owner);
          this.wake?.();
        });
      this.running.set(name, { stop: () => handle.stop(), done });
    } catch (err) {
      store.unlock(lock, this.owner);
      this.stats.failed++;
      this.log(`cannot start ${name} at ${at}: ${(err as Error).message ?? String(err)}`);
    }
  }

  /** Runs until stop(); resolves once stopped and every started run has ended. */
  async run(): Promise<void> {
    const rescan = this.opts.rescanMs ?? 30_000;
    await this.reload(Date.now());
    this.log(`scheduler watching ${this.opts.dir}: ${this.entries.size} scheduled workflow${this.entries.size === 1 ? '' : 's'}`);
    while (!this.stopped) {
      const wait = await this.tick(Date.now());
      if (this.stopped) break;
      await new Promise<void>((res) => {
        this.wake = res;
        this.timer = setTimeout(res, Math.min(wait ?? rescan, rescan));
      });
      this.wake = undefined;
      if (this.stopped) break;
      await this.reload(Date.now());
    }
    await Promise.all([...this.running.values()].map((r) => r.done));
  }

  /** Stops scheduling; with `killRuns`, also stops the runs it started (they end KILL). */
  stop(killRuns = false): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.wake?.();
    if (killRuns) for (const r of this.running.values()) r.stop();
  }
}

function safeMtime(file: string): number {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return 0;
  }
}
