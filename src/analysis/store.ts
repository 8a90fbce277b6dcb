/**
 * The analysis tables: features and signals.
 *
 * FEATURES: one row per (code, feature set) holding the whole history as packed column blobs
 * (`feature_sets`: dates as an Int32 blob, each column encoded in `data`, column names and codecs
 * in `columns`). Why not one row per (code, date) with ~130 typed columns: the consumers (the
 * dataset builder, charts, the pattern browser) read whole histories of a stock, which is then one
 * B-tree lookup and a memcpy instead of thousands of row decodes; ~130 columns of which 61 are mostly
 * 0 would cost 8 bytes (or a NULL byte plus overhead) per cell in a row table, while here the
 * continuous columns are Float32 (GBDT quantises Float32 into 256 bins; 24-bit mantissas are far below
 * any feature's meaning; exactness vs TA-Lib is tested on the Float64 computation) and the pattern
 * columns are Int16, or sparse (row index + value, 6 bytes a fired bar) when that is smaller — the
 * CDL columns fire on a few % of bars. The price is that appending days rewrites a stock's blob;
 * that is a few hundred KB a stock, written in one transaction per batch of stocks.
 * Each row keeps `n`, `last_date` and a fingerprint of the bars it was computed from, so an
 * incremental pass can tell "new days appended" (compute only the tail) from "history changed"
 * (re-adjusted prices, re-download: recompute in full).
 *
 * SIGNALS: one table `signals(name, code, date, buy)` for every signal rather than the original's
 * `signal_<name>` tables: the schema is fixed (migrations stay static) and a new signal needs no DDL.
 * Only the buy = 1 rows are stored: `signal_state` records per (signal, code) how many of the stock's
 * bars were evaluated (n, last_date, fingerprint, spec), and a day inside that range without a row
 * is buy = 0 (`readSignals(..., {all: true})` fills those in from the bar dates). Storing the 0 rows
 * too, like the original, cost ~12 us a row here (10 s for the CSI 300's 0.8M rows, 60 s for a
 * 5,000-stock market) for rows the dataset builder never reads (it joins buy = 1 rows only).
 * "All buy = 1 rows of a signal across the market, by date" is the index (name, date).
 */
import type { Db } from '../core/db.js';
import { migrate } from '../core/db.js';
import type { FeatureColumn } from './features/types.js';

const MIGRATIONS = [
  `CREATE TABLE feature_sets (
     id INTEGER PRIMARY KEY,
     code TEXT NOT NULL,
     set_name TEXT NOT NULL,
     spec TEXT NOT NULL,
     columns TEXT NOT NULL,
     n INTEGER NOT NULL,
     last_date INTEGER NOT NULL,
     fingerprint REAL NOT NULL,
     dates BLOB NOT NULL,
     data BLOB NOT NULL,
     updated_at TEXT NOT NULL,
     UNIQUE (code, set_name))`,
  `CREATE TABLE signals (
     name TEXT NOT NULL, code TEXT NOT NULL, date INTEGER NOT NULL, buy INTEGER NOT NULL,
     PRIMARY KEY (name, code, date)) WITHOUT ROWID`,
  `CREATE INDEX signals_buy ON signals (name, date)`,
  `CREATE TABLE signal_state (
     name TEXT NOT NULL, code TEXT NOT NULL, spec TEXT NOT NULL, n INTEGER NOT NULL,
     last_date INTEGER NOT NULL, fingerprint REAL NOT NULL, updated_at TEXT NOT NULL,
     PRIMARY KEY (name, code)) WITHOUT ROWID`,
];

const migrated = new WeakSet<Db>();

/** Creates or upgrades the analysis tables (once per connection). */
export function migrateAnalysis(db: Db): void {
  if (migrated.has(db)) return;
  migrate(db, 'analysis', MIGRATIONS);
  migrated.add(db);
}

// ---------------------------------------------------------------------------------------------
// Column codecs

export type Codec = 'f32' | 'i16' | 'sp';
export interface ColumnMeta {
  name: string;
  codec: Codec;
  bytes: number;
}

function pad4(n: number): number {
  return (n + 3) & ~3;
}

/** Encodes columns (each of length n) into one buffer; 'float' -> f32, 'int' -> i16 or sparse. */
export function encodeColumns(cols: Record<string, FeatureColumn>, names: readonly string[], kind: 'float' | 'int', n: number): { meta: ColumnMeta[]; data: Buffer } {
  const parts: Uint8Array[] = [];
  const meta: ColumnMeta[] = [];
  for (const name of names) {
    const col = cols[name];
    if (!col || col.length !== n) throw new Error(`feature column ${name} is missing or has length ${col?.length} (expected ${n})`);
    let bytes: Uint8Array;
    let codec: Codec;
    if (kind === 'float') {
      codec = 'f32';
      bytes = new Uint8Array(new Float32Array(col).buffer);
    } else {
      let nnz = 0;
      for (let i = 0; i < n; i++) if (col[i] !== 0) nnz++;
      if (nnz * 6 < n * 2) {
        codec = 'sp';
        const buf = new ArrayBuffer(4 + pad4(nnz * 4 + nnz * 2));
        const head = new Int32Array(buf, 0, 1 + nnz);
        const vals = new Int16Array(buf, 4 + nnz * 4, nnz);
        head[0] = nnz;
        let k = 0;
        for (let i = 0; i < n; i++) {
          if (col[i] !== 0) {
            head[1 + k] = i;
            vals[k] = col[i]!;
            k++;
          }
        }
        bytes = new Uint8Array(buf);
      } else {
        codec = 'i16';
        const a = new Int16Array(n + (n & 1));
        for (let i = 0; i < n; i++) a[i] = col[i]!;
        bytes = new Uint8Array(a.buffer);
      }
    }
    meta.push({ name, codec, bytes: bytes.byteLength });
    parts.push(bytes);
  }
  return { meta, data: Buffer.concat(parts) };
}

/** Decodes the named columns (all when `want` is undefined) of a blob. */
export function decodeColumns(meta: ColumnMeta[], data: Uint8Array, n: number, want?: Set<string>): Record<string, Float64Array> {
  const out: Record<string, Float64Array> = {};
  let off = 0;
  for (const m of meta) {
    if (!want || want.has(m.name)) {
      // Copy into an aligned buffer (SQLite's Buffer may start at any offset).
      const ab = new ArrayBuffer(m.bytes);
      new Uint8Array(ab).set(data.subarray(off, off + m.bytes));
      const col = new Float64Array(n);
      if (m.codec === 'f32') col.set(new Float32Array(ab, 0, n));
      else if (m.codec === 'i16') col.set(new Int16Array(ab, 0, n));
      else {
        const nnz = new Int32Array(ab, 0, 1)[0]!;
        const idx = new Int32Array(ab, 4, nnz);
        const vals = new Int16Array(ab, 4 + nnz * 4, nnz);
        for (let k = 0; k < nnz; k++) col[idx[k]!] = vals[k]!;
      }
      out[m.name] = col;
    }
    off += m.bytes;
  }
  return out;
}

/** A cheap, deterministic fingerprint of the first `n` bars (dates and prices). */
export function barsFingerprint(b: { dates: Int32Array; open: Float64Array; high: Float64Array; low: Float64Array; close: Float64Array }, n: number): number {
  let f = 0;
  for (let i = 0; i < n; i++) f += b.close[i]! * (1 + (i & 7)) + b.high[i]! * 0.5 + b.low[i]! * 0.25 + b.open[i]! * 0.125 + (b.dates[i]! % 9973);
  return f;
}

// ---------------------------------------------------------------------------------------------
// Feature rows

export interface StoredSetHead {
  code: string;
  setName: string;
  spec: string;
  meta: ColumnMeta[];
  n: number;
  lastDate: number;
  fingerprint: number;
}

export interface StoredSet extends StoredSetHead {
  dates: Int32Array;
  data: Uint8Array;
}

interface SetRow {
  code: string;
  set_name: string;
  spec: string;
  columns: string;
  n: number;
  last_date: number;
  fingerprint: number;
  dates?: Buffer;
  data?: Buffer;
}

function toHead(r: SetRow): StoredSetHead {
  return { code: r.code, setName: r.set_name, spec: r.spec, meta: JSON.parse(r.columns) as ColumnMeta[], n: r.n, lastDate: r.last_date, fingerprint: r.fingerprint };
}

function toDates(buf: Buffer, n: number): Int32Array {
  const a = new Int32Array(n);
  new Uint8Array(a.buffer).set(buf.subarray(0, n * 4));
  return a;
}

export function readSetHeads(db: Db, code: string): StoredSetHead[] {
  migrateAnalysis(db);
  const rows = db.prepare('SELECT code, set_name, spec, columns, n, last_date, fingerprint FROM feature_sets WHERE code = ? ORDER BY id').all(code) as SetRow[];
  return rows.map(toHead);
}

export function readSet(db: Db, code: string, setName: string): StoredSet | undefined {
  migrateAnalysis(db);
  const r = db.prepare('SELECT * FROM feature_sets WHERE code = ? AND set_name = ?').get(code, setName) as SetRow | undefined;
  if (!r) return undefined;
  return { ...toHead(r), dates: toDates(r.dates!, r.n), data: r.data! };
}

export interface SetWrite {
  code: string;
  setName: string;
  spec: string;
  meta: ColumnMeta[];
  dates: Int32Array;
  data: Uint8Array;
  fingerprint: number;
}

/** Writes feature rows in one transaction. */
export function writeSets(db: Db, rows: readonly SetWrite[]): void {
  migrateAnalysis(db);
  const st = db.prepare(`INSERT INTO feature_sets (code, set_name, spec, columns, n, last_date, fingerprint, dates, data, updated_at)
    VALUES (@code, @setName, @spec, @columns, @n, @lastDate, @fingerprint, @dates, @data, @now)
    ON CONFLICT (code, set_name) DO UPDATE SET spec = excluded.spec, columns = excluded.columns, n = excluded.n,
      last_date = excluded.last_date, fingerprint = excluded.fingerprint, dates = excluded.dates, data = excluded.data,
      updated_at = excluded.updated_at`);
  const now = new Date().toISOString();
  db.transaction(() => {
    for (const r of rows) {
      const n = r.dates.length;
      st.run({
        code: r.code, setName: r.setName, spec: r.spec, columns: JSON.stringify(r.meta), n,
        lastDate: n > 0 ? r.dates[n - 1]! : 0, fingerprint: r.fingerprint,
        dates: Buffer.from(r.dates.buffer, r.dates.byteOffset, r.dates.byteLength),
        data: Buffer.from(r.data.buffer, r.data.byteOffset, r.data.byteLength), now,
      });
    }
  }).immediate();
}

/**
 * A stock's stored features: the dates and the requested columns (all when `columns` is omitted)
 * as Float64Arrays (NaN during warm-up). Sets computed at different times are aligned on the dates
 * of the longest one; a requested column that is not stored is an error.
 */
export function readFeatures(db: Db, code: string, columns?: readonly string[]): { dates: Int32Array; columns: Record<string, Float64Array> } {
  const heads = readSetHeads(db, code);
  const want = columns ? new Set(columns) : undefined;
  const needed = heads.filter((h) => !want || h.meta.some((m) => want.has(m.name)));
  if (want) {
    const have = new Set(heads.flatMap((h) => h.meta.map((m) => m.name)));
    const missing = [...want].filter((c) => !have.has(c));
    if (missing.length > 0) throw new Error(`no stored feature ${missing.join(', ')} for ${code}`);
  }
  if (needed.length === 0) return { dates: new Int32Array(0), columns: {} };
  const sets = needed.map((h) => readSet(db, code, h.setName)!);
  const base = sets.reduce((a, b) => (b.n > a.n ? b : a));
  const out: Record<string, Float64Array> = {};
  for (const s of sets) {
    const cols = decodeColumns(s.meta, s.data, s.n, want);
    const same = s.n === base.n && s.lastDate === base.lastDate;
    let pos: Map<number, number> | undefined;
    if (!same) {
      pos = new Map();
      s.dates.forEach((d, i) => pos!.set(d, i));
    }
    for (const [name, col] of Object.entries(cols)) {
      if (same) {
        out[name] = col;
        continue;
      }
      const a = new Float64Array(base.n).fill(NaN);
      for (let i = 0; i < base.n; i++) {
        const j = pos!.get(base.dates[i]!);
        if (j !== undefined) a[i] = col[j]!;
      }
      out[name] = a;
    }
  }
  const ordered: Record<string, Float64Array> = {};
  for (const name of columns ?? Object.keys(out)) ordered[name] = out[name]!;
  return { dates: base.dates, columns: ordered };
}

/** Every stored feature set and its columns (from any stock), for `--set` and validation. */
export function storedFeatureColumns(db: Db): Record<string, string[]> {
  migrateAnalysis(db);
  const rows = db.prepare('SELECT set_name, columns FROM feature_sets GROUP BY set_name').all() as { set_name: string; columns: string }[];
  const out: Record<string, string[]> = {};
  for (const r of rows) out[r.set_name] = (JSON.parse(r.columns) as ColumnMeta[]).map((m) => m.name);
  return out;
}

export function featureSummary(db: Db): { set: string; symbols: number; rows: number; columns: number; lastDate: number }[] {
  migrateAnalysis(db);
  const rows = db.prepare('SELECT set_name AS s, COUNT(*) AS symbols, SUM(n) AS rows, MAX(last_date) AS last, MIN(columns) AS cols FROM feature_sets GROUP BY set_name ORDER BY MIN(id)').all() as { s: string; symbols: number; rows: number; last: number; cols: string }[];
  return rows.map((r) => ({ set: r.s, symbols: r.symbols, rows: r.rows, columns: (JSON.parse(r.cols) as unknown[]).length, lastDate: r.last }));
}

// ---------------------------------------------------------------------------------------------
// Signals

export interface SignalState {
  spec: string;
  n: number;
  lastDate: number;
  fingerprint: number;
}

export function readSignalState(db: Db, name: string, code: string): SignalState | undefined {
  migrateAnalysis(db);
  const r = db.prepare('SELECT spec, n, last_date AS lastDate, fingerprint FROM signal_state WHERE name = ? AND code = ?').get(name, code) as SignalState | undefined;
  return r;
}

export interface SignalWrite {
  name: string;
  code: string;
  spec: string;
  /** True: delete the stock's stored rows first (full recomputation). */
  replace: boolean;
  dates: Int32Array;
  buy: Uint8Array;
  /** Bars covered after this write, their last date and fingerprint. */
  n: number;
  lastDate: number;
  fingerprint: number;
}

export function writeSignals(db: Db, writes: readonly SignalWrite[]): void {
  migrateAnalysis(db);
  const del = db.prepare('DELETE FROM signals WHERE name = ? AND code = ?');
  const ins = db.prepare('INSERT OR REPLACE INTO signals (name, code, date, buy) VALUES (?, ?, ?, ?)');
  const state = db.prepare(`INSERT OR REPLACE INTO signal_state (name, code, spec, n, last_date, fingerprint, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)`);
  const now = new Date().toISOString();
  db.transaction(() => {
    for (const w of writes) {
      if (w.replace) del.run(w.name, w.code);
      for (let i = 0; i < w.dates.length; i++) if (w.buy[i] === 1) ins.run(w.name, w.code, w.dates[i], 1);
      state.run(w.name, w.code, w.spec, w.n, w.lastDate, w.fingerprint, now);
    }
  }).immediate();
}

export interface SignalRow {
  code: string;
  date: number;
  buy: number;
}

/**
 * Stored signal rows, by date then code. Default: the buy = 1 rows across the market;
 * `all: true` also gives the evaluated days without a signal (buy = 0; needs the market store's
 * bars); `code`, `from`, `to` (yyyymmdd, inclusive) narrow it.
 */
export function readSignals(db: Db, name: string, opts: { code?: string; from?: number; to?: number; all?: boolean } = {}): SignalRow[] {
  migrateAnalysis(db);
  const where = ['name = @name', 'date >= @from', 'date <= @to'];
  if (opts.code) where.push('code = @code');
  const params = { name, from: opts.from ?? 0, to: opts.to ?? 99991231, code: opts.code ?? null };
  const buys = db.prepare(`SELECT code, date, buy FROM signals WHERE ${where.join(' AND ')} ORDER BY date, code`).all(params) as SignalRow[];
  if (!opts.all) return buys;
  const states = db
    .prepare(`SELECT code, n FROM signal_state WHERE name = @name ${opts.code ? 'AND code = @code' : ''}`)
    .all(params) as { code: string; n: number }[];
  const hit = new Set(buys.map((r) => `${r.code} ${r.date}`));
  const dates = db.prepare('SELECT date FROM daily_bars WHERE code = ? ORDER BY date LIMIT ?').pluck(true);
  const rows: SignalRow[] = [];
  for (const st of states) {
    for (const d of dates.all(st.code, st.n) as number[]) {
      if (d >= params.from && d <= params.to) rows.push({ code: st.code, date: d, buy: hit.has(`${st.code} ${d}`) ? 1 : 0 });
    }
  }
  rows.sort((a, b) => a.date - b.date || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  return rows;
}

export function signalSummary(db: Db): { name: string; symbols: number; days: number; buys: number; lastDate: number }[] {
  migrateAnalysis(db);
  return db
    .prepare(`SELECT st.name AS name, COUNT(*) AS symbols, SUM(st.n) AS days, MAX(st.last_date) AS lastDate,
        (SELECT COUNT(*) FROM signals s WHERE s.name = st.name) AS buys
      FROM signal_state st GROUP BY st.name ORDER BY st.name`)
    .all() as { name: string; symbols: number; days: number; buys: number; lastDate: number }[];
}
