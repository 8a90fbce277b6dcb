/**
 * The SQLite store. One file holds every module's tables; each module owns its tables and declares
 * them as a list of versioned migrations (`migrate(db, 'market', [...])`), applied once each, in a
 * transaction, and recorded in `schema_migrations`.
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { QuantflowError, ExitCode } from './errors.js';

export type Db = Database.Database;

const openDbs = new Map<string, Db>();

export interface OpenOptions {
  readonly?: boolean;
  /** Milliseconds to wait on a lock held by another connection (another run, the TUI). */
  busyTimeoutMs?: number;
}

/** Opens (creating folders as needed) a store in WAL mode. `:memory:` works for tests. */
export function openDb(path: string, opts: OpenOptions = {}): Db {
  const file = path === ':memory:' ? path : resolve(path);
  if (file !== ':memory:' && !opts.readonly) mkdirSync(dirname(file), { recursive: true });
  let db: Db;
  try {
    db = new Database(file, { readonly: opts.readonly ?? false, fileMustExist: opts.readonly ?? false });
  } catch (e) {
    throw new QuantflowError('DB_OPEN', `cannot open the store ${file}: ${(e as Error).message}`, { exitCode: ExitCode.badInput, cause: e });
  }
  db.pragma(`busy_timeout = ${opts.busyTimeoutMs ?? 10_000}`);
  if (!opts.readonly && file !== ':memory:') db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  return db;
}

/**
 * One shared connection per path for the process (the CLI and the TUI open the store once;
 * tests pass their own paths). Closed at exit by better-sqlite3's finaliser.
 */
export function sharedDb(path: string): Db {
  const key = path === ':memory:' ? path : resolve(path);
  let db = openDbs.get(key);
  if (!db || !db.open) {
    db = openDb(key);
    openDbs.set(key, db);
  }
  return db;
}

export function closeSharedDbs(): void {
  for (const db of openDbs.values()) if (db.open) db.close();
  openDbs.clear();
}

/**
 * Applies the migrations of `module` that this store has not seen yet. `steps[i]` is version i+1;
 * append new steps, never edit old ones.
 */
export function migrate(db: Db, module: string, steps: ReadonlyArray<string | ((db: Db) => void)>): void {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    module TEXT NOT NULL, version INTEGER NOT NULL, applied_at TEXT NOT NULL,
    PRIMARY KEY (module, version))`);
  const row = db.prepare('SELECT MAX(version) AS v FROM schema_migrations WHERE module = ?').get(module) as { v: number | null };
  const current = row.v ?? 0;
  if (current >= steps.length) return;
  const apply = db.transaction(() => {
    // Re-read inside the write transaction: another process may have migrated meanwhile.
    const again = (db.prepare('SELECT MAX(version) AS v FROM schema_migrations WHERE module = ?').get(module) as { v: number | null }).v ?? 0;
    for (let v = again + 1; v <= steps.length; v++) {
      const step = steps[v - 1]!;
      if (typeof step === 'string') db.exec(step);
      else step(db);
      db.prepare('INSERT INTO schema_migrations (module, version, applied_at) VALUES (?, ?, ?)').run(module, v, new Date().toISOString());
    }
  });
  apply.immediate();
}
