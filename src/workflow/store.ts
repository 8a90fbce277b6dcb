/**
 * The run store: workflow instances, task instances (one row per attempt), captured log lines and
 * named locks, in the shared SQLite file. Every state change is its own small transaction; log lines
 * are buffered and written in batches (every ~100 ms or 500 lines) so concurrent runs stay fast.
 */
import { hostname } from 'node:os';
import type { Statement } from 'better-sqlite3';
import { migrate, type Db } from '../core/db.js';
import type { TaskState, WorkflowState } from './states.js';

export type CommandType = 'START_PROCESS' | 'START_CURRENT_TASK_PROCESS' | 'START_FAILURE_TASK_PROCESS' | 'REPEAT_RUNNING' | 'SCHEDULER';

export interface RunRow {
  id: number;
  name: string;
  file: string;
  state: WorkflowState;
  startTime: number;
  endTime: number | null;
  /** Start-up params and run options (JSON in the store). */
  params: Record<string, string>;
  options: RunOptionsRecord;
  pid: number;
  hostname: string;
  parentRunId: number | null;
  parentTaskInstanceId: number | null;
  commandType: CommandType;
  runTimes: number;
  /** Why the run is in its state (DolphinScheduler's state description): SERIAL_WAIT, discarded, stopped by a newer run. */
  message: string | null;
  /** When the workflow-level timeout alert was raised (it only alerts; the run goes on). */
  timeoutAlertAt: number | null;
  /** When the run started waiting behind another run of its workflow (SERIAL_WAIT order). */
  queuedAt: number | null;
}

export interface RunOptionsRecord {
  startTasks?: string[];
  deps?: 'post' | 'pre' | 'only';
  dryRun?: boolean;
  parallel?: number;
  failureStrategy?: 'CONTINUE' | 'END';
  scheduleTime?: number;
}

export interface TaskInstanceRow {
  id: number;
  runId: number;
  name: string;
  type: string;
  state: TaskState;
  attempt: number;
  /** 1 = current, 0 = superseded by a rerun (history). */
  flag: number;
  startTime: number | null;
  endTime: number | null;
  exitCode: number | null;
  childRunId: number | null;
  pid: number | null;
  external: Record<string, unknown> | null;
  params: Record<string, string> | null;
  varPool: Record<string, string> | null;
  command: string | null;
  message: string | null;
}

export interface LogLine {
  runId: number;
  taskInstanceId: number | null;
  ts: number;
  stream: string;
  line: string;
}

const MIGRATIONS = [
  `CREATE TABLE wf_runs (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     name TEXT NOT NULL, file TEXT NOT NULL, state TEXT NOT NULL,
     start_time INTEGER NOT NULL, end_time INTEGER,
     params TEXT NOT NULL DEFAULT '{}', options TEXT NOT NULL DEFAULT '{}',
     pid INTEGER NOT NULL, hostname TEXT NOT NULL,
     parent_run_id INTEGER, parent_task_instance_id INTEGER,
     command_type TEXT NOT NULL, run_times INTEGER NOT NULL DEFAULT 1)`,
  `CREATE INDEX wf_runs_name ON wf_runs(name, id)`,
  `CREATE INDEX wf_runs_state ON wf_runs(state)`,
  `CREATE TABLE wf_task_instances (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     run_id INTEGER NOT NULL REFERENCES wf_runs(id),
     name TEXT NOT NULL, type TEXT NOT NULL, state TEXT NOT NULL,
     attempt INTEGER NOT NULL, flag INTEGER NOT NULL DEFAULT 1,
     start_time INTEGER, end_time INTEGER, exit_code INTEGER,
     child_run_id INTEGER, pid INTEGER, external TEXT, params TEXT, var_pool TEXT,
     command TEXT, message TEXT)`,
  `CREATE INDEX wf_task_instances_run ON wf_task_instances(run_id, name, id)`,
  `CREATE TABLE wf_task_logs (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     run_id INTEGER NOT NULL, task_instance_id INTEGER,
     ts INTEGER NOT NULL, stream TEXT NOT NULL, line TEXT NOT NULL)`,
  `CREATE INDEX wf_task_logs_run ON wf_task_logs(run_id, task_instance_id, id)`,
  `CREATE TABLE wf_locks (
     name TEXT PRIMARY KEY, owner TEXT NOT NULL, pid INTEGER NOT NULL,
     hostname TEXT NOT NULL, acquired_at INTEGER NOT NULL)`,
  `ALTER TABLE wf_runs ADD COLUMN message TEXT`,
  `ALTER TABLE wf_runs ADD COLUMN timeout_alert_at INTEGER`,
  `ALTER TABLE wf_runs ADD COLUMN queued_at INTEGER`,
];

const parse = <T>(s: unknown): T | null => (typeof s === 'string' && s.length > 0 ? (JSON.parse(s) as T) : null);

function toRun(r: Record<string, unknown>): RunRow {
  return {
    id: r.id as number,
    name: r.name as string,
    file: r.file as string,
    state: r.state as WorkflowState,
    startTime: r.start_time as number,
    endTime: (r.end_time as number | null) ?? null,
    params: parse<Record<string, string>>(r.params) ?? {},
    options: parse<RunOptionsRecord>(r.options) ?? {},
    pid: r.pid as number,
    hostname: r.hostname as string,
    parentRunId: (r.parent_run_id as number | null) ?? null,
    parentTaskInstanceId: (r.parent_task_instance_id as number | null) ?? null,
    commandType: r.command_type as CommandType,
    runTimes: r.run_times as number,
    message: (r.message as string | null) ?? null,
    timeoutAlertAt: (r.timeout_alert_at as number | null) ?? null,
    queuedAt: (r.queued_at as number | null) ?? null,
  };
}

function toTask(r: Record<string, unknown>): TaskInstanceRow {
  return {
    id: r.id as number,
    runId: r.run_id as number,
    name: r.name as string,
    type: r.type as string,
    state: r.state as TaskState,
    attempt: r.attempt as number,
    flag: r.flag as number,
    startTime: (r.start_time as number | null) ?? null,
    endTime: (r.end_time as number | null) ?? null,
    exitCode: (r.exit_code as number | null) ?? null,
    childRunId: (r.child_run_id as number | null) ?? null,
    pid: (r.pid as number | null) ?? null,
    external: parse<Record<string, unknown>>(r.external),
    params: parse<Record<string, string>>(r.params),
    varPool: parse<Record<string, string>>(r.var_pool),
    command: (r.command as string | null) ?? null,
    message: (r.message as string | null) ?? null,
  };
}

/** Open group-commit transactions, per connection (shared by every RunStore on that connection). */
const groups = new Map<Db, { started: number; writes: number }>();

function commitGroup(db: Db): void {
  if (!groups.delete(db)) return;
  if (db.open && db.inTransaction) db.exec('COMMIT');
}

process.on('exit', () => {
  for (const db of [...groups.keys()]) commitGroup(db);
});

/** Whether a process with this pid exists (EPERM: it exists but is not ours). */
export function pidAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export interface TaskPatch {
  state?: TaskState;
  startTime?: number | null;
  endTime?: number | null;
  exitCode?: number | null;
  childRunId?: number | null;
  pid?: number | null;
  external?: Record<string, unknown> | null;
  params?: Record<string, string> | null;
  varPool?: Record<string, string> | null;
  command?: string | null;
  message?: string | null;
}

const TASK_COLUMNS: Record<keyof TaskPatch, string> = {
  state: 'state',
  startTime: 'start_time',
  endTime: 'end_time',
  exitCode: 'exit_code',
  childRunId: 'child_run_id',
  pid: 'pid',
  external: 'external',
  params: 'params',
  varPool: 'var_pool',
  command: 'command',
  message: 'message',
};
const JSON_COLUMNS = new Set(['external', 'params', 'varPool']);

export class RunStore {
  readonly db: Db;
  private logBuffer: LogLine[] = [];
  private logTimer: NodeJS.Timeout | undefined;
  private readonly insertLog;
  private readonly stmts = new Map<string, Statement<unknown[]>>();

  constructor(db: Db) {
    this.db = db;
    migrate(db, 'workflow', MIGRATIONS);
    this.insertLog = db.prepare('INSERT INTO wf_task_logs (run_id, task_instance_id, ts, stream, line) VALUES (?, ?, ?, ?, ?)');
  }

  /**
   * Group commit: the state writes of one event-loop turn share one IMMEDIATE transaction, committed
   * on the next turn (or after 50 ms / 1000 writes), so a DAG of instant tasks does not pay a commit
   * per row. Other processes see a change at most one turn late; each commit is atomic.
   */
  private write<T>(fn: () => T): T {
    const db = this.db;
    let g = groups.get(db);
    if (!db.inTransaction) {
      db.exec('BEGIN IMMEDIATE');
      g = { started: Date.now(), writes: 0 };
      groups.set(db, g);
      setImmediate(() => commitGroup(db));
    }
    const r = fn();
    if (g && (++g.writes >= 1000 || Date.now() - g.started > 50)) commitGroup(db);
    return r;
  }

  /** Commits pending state writes now (the runner calls it when a run ends). */
  commit(): void {
    commitGroup(this.db);
  }

  private stmt(sql: string): Statement<unknown[]> {
    let s = this.stmts.get(sql);
    if (!s) {
      s = this.db.prepare<unknown[]>(sql);
      this.stmts.set(sql, s);
    }
    return s;
  }

  // ---- workflow instances ----

  createRun(r: {
    name: string;
    file: string;
    params: Record<string, string>;
    options: RunOptionsRecord;
    parentRunId?: number;
    parentTaskInstanceId?: number;
    commandType: CommandType;
    startTime?: number;
  }): number {
    const info = this.write(() => this.stmt(
      `INSERT INTO wf_runs (name, file, state, start_time, params, options, pid, hostname, parent_run_id, parent_task_instance_id, command_type)
       VALUES (?, ?, 'RUNNING_EXECUTION', ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      r.name,
      r.file,
      r.startTime ?? Date.now(),
      JSON.stringify(r.params),
      JSON.stringify(r.options),
      process.pid,
      hostname(),
      r.parentRunId ?? null,
      r.parentTaskInstanceId ?? null,
      r.commandType,
    ));
    return Number(info.lastInsertRowid);
  }

  /** Takes a finished run over again (recover / rerun): owned by this process, RUNNING_EXECUTION. */
  reopenRun(id: number, commandType: CommandType, opts: { bumpRunTimes: boolean }): void {
    this.write(() =>
      this.stmt(
        `UPDATE wf_runs SET state = 'RUNNING_EXECUTION', end_time = NULL, pid = ?, hostname = ?, command_type = ?,
         run_times = run_times + ? WHERE id = ?`,
      ).run(process.pid, hostname(), commandType, opts.bumpRunTimes ? 1 : 0, id),
    );
  }

  setRunState(id: number, state: WorkflowState, endTime: number | null = null): void {
    this.write(() => this.stmt('UPDATE wf_runs SET state = ?, end_time = ? WHERE id = ?').run(state, endTime, id));
  }

  /** The run's state description (null clears it). */
  setRunMessage(id: number, message: string | null): void {
    this.write(() => this.stmt('UPDATE wf_runs SET message = ? WHERE id = ?').run(message, id));
  }

  /** Records when the workflow timeout alert was raised. */
  setTimeoutAlert(id: number, at: number): void {
    this.write(() => this.stmt('UPDATE wf_runs SET timeout_alert_at = ? WHERE id = ?').run(at, id));
  }

  /** The run waits behind another run of its workflow (SERIAL_WAIT), queued at `at`. */
  queueRun(id: number, at: number, message: string): void {
    this.write(() => this.stmt("UPDATE wf_runs SET state = 'SERIAL_WAIT', queued_at = ?, message = ? WHERE id = ?").run(at, message, id));
    this.commit(); // other processes order their waiting by it
  }

  /**
   * Whether a live run of `name` other than `id` waits in SERIAL_WAIT ahead of a run queued at
   * `queuedAt` (null: not queued yet, so every waiter is ahead). Waiters of dead processes (this host) do not count.
   */
  hasWaiterAhead(name: string, id: number, queuedAt: number | null): boolean {
    const rows = this.stmt("SELECT id, pid, hostname, queued_at FROM wf_runs WHERE name = ? AND state = 'SERIAL_WAIT' AND id <> ?").all(name, id) as { id: number; pid: number; hostname: string; queued_at: number | null }[];
    const host = hostname();
    return rows.some((r) => {
      if (r.hostname === host && !pidAlive(r.pid)) return false;
      if (queuedAt === null) return true;
      const q = r.queued_at ?? 0;
      return q < queuedAt || (q === queuedAt && r.id < id);
    });
  }

  getRun(id: number): RunRow | undefined {
    const r = this.stmt('SELECT * FROM wf_runs WHERE id = ?').get(id) as Record<string, unknown> | undefined;
    return r ? toRun(r) : undefined;
  }

  /** Most recent first; child runs (sub-workflows) included. */
  listRuns(limit = 20): RunRow[] {
    return (this.stmt('SELECT * FROM wf_runs ORDER BY id DESC LIMIT ?').all(limit) as Record<string, unknown>[]).map(toRun);
  }

  lastRunOf(workflowName: string): RunRow | undefined {
    const r = this.stmt('SELECT * FROM wf_runs WHERE name = ? ORDER BY id DESC LIMIT 1').get(workflowName) as Record<string, unknown> | undefined;
    return r ? toRun(r) : undefined;
  }

  childRuns(parentRunId: number): RunRow[] {
    return (this.stmt('SELECT * FROM wf_runs WHERE parent_run_id = ? ORDER BY id').all(parentRunId) as Record<string, unknown>[]).map(toRun);
  }

  // ---- task instances ----

  createTaskInstance(t: { runId: number; name: string; type: string; state: TaskState; attempt: number; startTime?: number | null; endTime?: number | null; message?: string | null; varPool?: Record<string, string> | null }): number {
    const info = this.write(() =>
      this.stmt(
        `INSERT INTO wf_task_instances (run_id, name, type, state, attempt, start_time, end_time, message, var_pool) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(t.runId, t.name, t.type, t.state, t.attempt, t.startTime ?? null, t.endTime ?? null, t.message ?? null, t.varPool ? JSON.stringify(t.varPool) : null),
    );
    return Number(info.lastInsertRowid);
  }

  updateTask(id: number, patch: TaskPatch): void {
    const keys = Object.keys(patch) as (keyof TaskPatch)[];
    if (keys.length === 0) return;
    const sql = `UPDATE wf_task_instances SET ${keys.map((k) => `${TASK_COLUMNS[k]} = ?`).join(', ')} WHERE id = ?`;
    const values = keys.map((k) => {
      const v = patch[k];
      return JSON_COLUMNS.has(k) ? (v == null ? null : JSON.stringify(v)) : (v ?? null);
    });
    this.write(() => this.stmt(sql).run(...values, id));
  }

  getTaskInstance(id: number): TaskInstanceRow | undefined {
    const r = this.stmt('SELECT * FROM wf_task_instances WHERE id = ?').get(id) as Record<string, unknown> | undefined;
    return r ? toTask(r) : undefined;
  }

  /** Every attempt of every task of a run, oldest first (history of reruns included). */
  taskInstances(runId: number, opts: { includeHistory?: boolean } = {}): TaskInstanceRow[] {
    const sql = opts.includeHistory === false
      ? 'SELECT * FROM wf_task_instances WHERE run_id = ? AND flag = 1 ORDER BY id'
      : 'SELECT * FROM wf_task_instances WHERE run_id = ? ORDER BY id';
    return (this.stmt(sql).all(runId) as Record<string, unknown>[]).map(toTask);
  }

  /** The latest current attempt of each task of a run, with the number of current attempts. */
  currentTasks(runId: number): Map<string, TaskInstanceRow & { attempts: number }> {
    const out = new Map<string, TaskInstanceRow & { attempts: number }>();
    for (const t of this.taskInstances(runId, { includeHistory: false })) {
      const prev = out.get(t.name);
      out.set(t.name, { ...t, attempts: (prev?.attempts ?? 0) + 1 });
    }
    return out;
  }

  /** Rerun: every existing attempt of the run becomes history (flag 0). */
  supersedeTasks(runId: number): void {
    this.write(() => this.stmt('UPDATE wf_task_instances SET flag = 0 WHERE run_id = ?').run(runId));
  }

  // ---- logs ----

  appendLog(line: LogLine): void {
    this.logBuffer.push(line);
    if (this.logBuffer.length >= 500) this.flushLogs();
    else if (!this.logTimer) {
      this.logTimer = setTimeout(() => this.flushLogs(), 100);
      this.logTimer.unref?.();
    }
  }

  flushLogs(): void {
    if (this.logTimer) {
      clearTimeout(this.logTimer);
      this.logTimer = undefined;
    }
    if (this.logBuffer.length === 0 || !this.db.open) return;
    const batch = this.logBuffer;
    this.logBuffer = [];
    this.db.transaction(() => {
      for (const l of batch) this.insertLog.run(l.runId, l.taskInstanceId, l.ts, l.stream, l.line);
    })();
  }

  /** Log lines of a run, optionally of one task (all its attempts, or one attempt). */
  logLines(runId: number, task?: string, attempt?: number): (LogLine & { task: string | null; attempt: number | null })[] {
    this.flushLogs();
    const where = ['l.run_id = ?'];
    const args: unknown[] = [runId];
    if (task !== undefined) {
      where.push('t.name = ?');
      args.push(task);
    }
    if (attempt !== undefined) {
      where.push('t.attempt = ?');
      args.push(attempt);
    }
    const rows = this.db
      .prepare(
        `SELECT l.run_id, l.task_instance_id, l.ts, l.stream, l.line, t.name AS task, t.attempt AS attempt
         FROM wf_task_logs l LEFT JOIN wf_task_instances t ON t.id = l.task_instance_id
         WHERE ${where.join(' AND ')} ORDER BY l.id`,
      )
      .all(...args) as Record<string, unknown>[];
    return rows.map((r) => ({
      runId: r.run_id as number,
      taskInstanceId: (r.task_instance_id as number | null) ?? null,
      ts: r.ts as number,
      stream: r.stream as string,
      line: r.line as string,
      task: (r.task as string | null) ?? null,
      attempt: (r.attempt as number | null) ?? null,
    }));
  }

  // ---- crash recovery ----

  /**
   * Runs left RUNNING_EXECUTION by a process of this host that no longer exists become
   * NEED_FAULT_TOLERANCE, and so do their unfinished tasks. Returns the affected run ids; calls
   * `onTask` for each unfinished task (to clean up an orphaned process group).
   */
  markOrphans(onTask?: (t: TaskInstanceRow, run: RunRow) => void): number[] {
    this.commit();
    const host = hostname();
    const running = (this.stmt("SELECT * FROM wf_runs WHERE state IN ('RUNNING_EXECUTION', 'SERIAL_WAIT') AND hostname = ?").all(host) as Record<string, unknown>[]).map(toRun);
    const dead = running.filter((r) => r.pid !== process.pid && !pidAlive(r.pid));
    if (dead.length === 0) return [];
    const now = Date.now();
    const unfinished = "('SUBMITTED_SUCCESS','DELAY_EXECUTION','RUNNING_EXECUTION')";
    for (const r of dead) {
      const tasks = (this.stmt(`SELECT * FROM wf_task_instances WHERE run_id = ? AND state IN ${unfinished}`).all(r.id) as Record<string, unknown>[]).map(toTask);
      for (const t of tasks) onTask?.(t, r);
      this.db.transaction(() => {
        this.stmt(`UPDATE wf_task_instances SET state = 'NEED_FAULT_TOLERANCE', end_time = ? WHERE run_id = ? AND state IN ${unfinished}`).run(now, r.id);
        this.stmt("UPDATE wf_runs SET state = 'NEED_FAULT_TOLERANCE', end_time = ? WHERE id = ? AND state IN ('RUNNING_EXECUTION', 'SERIAL_WAIT')").run(now, r.id);
      }).immediate();
    }
    return dead.map((r) => r.id);
  }

  // ---- named locks (the scheduler) ----

  /**
   * Takes the lock `name` unless a live process holds it; a lock of a dead process (same host) is stale.
   * `guard` runs in the same write transaction (false: do not take it); `steal` takes it from a live
   * holder too (SERIAL_PRIORITY: the holder sees it lost the lock and stops).
   */
  tryLock(name: string, owner: string, opts: { guard?: () => boolean; steal?: boolean } = {}): boolean {
    this.commit();
    const host = hostname();
    return this.db.transaction(() => {
      const cur = this.stmt('SELECT * FROM wf_locks WHERE name = ?').get(name) as { owner: string; pid: number; hostname: string } | undefined;
      const mine = cur !== undefined && cur.pid === process.pid && cur.hostname === host && cur.owner === owner;
      if (!mine && opts.guard && !opts.guard()) return false;
      if (cur) {
        const stale = cur.hostname === host && !pidAlive(cur.pid);
        if (!stale && !mine && !opts.steal) return false;
        this.stmt('DELETE FROM wf_locks WHERE name = ?').run(name);
      }
      this.stmt('INSERT INTO wf_locks (name, owner, pid, hostname, acquired_at) VALUES (?, ?, ?, ?, ?)').run(name, owner, process.pid, host, Date.now());
      return true;
    }).immediate();
  }

  unlock(name: string, owner: string): void {
    this.commit();
    this.stmt('DELETE FROM wf_locks WHERE name = ? AND owner = ? AND pid = ?').run(name, owner, process.pid);
  }

  lockHolder(name: string): { owner: string; pid: number; hostname: string; acquiredAt: number } | undefined {
    const r = this.stmt('SELECT * FROM wf_locks WHERE name = ?').get(name) as Record<string, unknown> | undefined;
    return r ? { owner: r.owner as string, pid: r.pid as number, hostname: r.hostname as string, acquiredAt: r.acquired_at as number } : undefined;
  }
}
