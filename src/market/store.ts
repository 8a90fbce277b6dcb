/**
 * The market store: symbols and their daily bars in SQLite.
 *
 * Dates are yyyymmdd INTEGERs (20210930), the same encoding as `Bars.dates` (src/market/bars.ts):
 * sortable, exact, readable. Prices are as the provider gave them (unadjusted or front-adjusted,
 * see `symbols.adjust`); `daily_bars.adj` holds a provider's adjustment factor (adjusted close /
 * close; 1 when the provider gives none). Only traded days are stored: suspended days are dropped
 * on the way in (src/market/validate.ts).
 *
 * Writes go through `importBatch`, one transaction per batch of symbols: a killed import leaves
 * each symbol with either its old or its new bars, and `symbols.bars/first/last` always match the
 * rows in `daily_bars`.
 *
 * Reading: `daily_bars` is the queryable table (SQL joins across symbols); `bar_columns` holds each
 * symbol's history packed as 6 float64 columns, kept in step with it inside every import
 * transaction, so `readBars` is one prepared statement and one copy into typed arrays.
 */
import type { Db } from '../core/db.js';
import { migrate } from '../core/db.js';
import type { Bars } from './bars.js';
import { emptyBars } from './bars.js';
import { kindOf, marketOf, type Kind } from './codes.js';

export interface SymbolInfo {
  code: string;
  name: string;
  market: string;
  kind: Kind;
  /** First and last stored date (yyyymmdd), 0 when the symbol has no bars. */
  first: number;
  last: number;
  bars: number;
  /** The provider that wrote the bars (demo, csv, eastmoney, yahoo). */
  provider: string;
  /** True for the demo provider's synthetic market: never real prices. */
  synthetic: boolean;
  /** 'none' (unadjusted), 'qfq' (front-adjusted) or '' when unknown. */
  adjust: string;
}

export interface SymbolMeta {
  code: string;
  name?: string;
  market?: string;
  kind?: Kind;
}

export interface ImportItem {
  meta: SymbolMeta;
  bars: Bars;
  /** Adjustment factor per bar (adjusted close / close), optional. */
  adj?: Float64Array;
  provider: string;
  synthetic?: boolean;
  adjust?: string;
  /** Delete the symbol's stored bars first (a full re-download, e.g. after the adjustment changed). */
  replace?: boolean;
}

const MIGRATIONS = [
  `CREATE TABLE symbols (
     code TEXT PRIMARY KEY,
     name TEXT NOT NULL DEFAULT '',
     market TEXT NOT NULL,
     kind TEXT NOT NULL CHECK (kind IN ('stock', 'index')),
     provider TEXT NOT NULL DEFAULT '',
     synthetic INTEGER NOT NULL DEFAULT 0,
     adjust TEXT NOT NULL DEFAULT '',
     first INTEGER NOT NULL DEFAULT 0,
     last INTEGER NOT NULL DEFAULT 0,
     bars INTEGER NOT NULL DEFAULT 0,
     updated_at TEXT NOT NULL DEFAULT ''
   )`,
  `CREATE TABLE daily_bars (
     code TEXT NOT NULL,
     date INTEGER NOT NULL,
     open REAL NOT NULL,
     high REAL NOT NULL,
     low REAL NOT NULL,
     close REAL NOT NULL,
     volume REAL NOT NULL,
     adj REAL NOT NULL DEFAULT 1,
     PRIMARY KEY (code, date)
   ) WITHOUT ROWID`,
  // The same bars packed per symbol (6 x n float64: dates, open, high, low, close, volume) so a
  // whole history reads with one statement and one memcpy. Written in the same transaction as
  // daily_bars, from the same merged columns.
  `CREATE TABLE bar_columns (
     code TEXT PRIMARY KEY,
     n INTEGER NOT NULL,
     data BLOB NOT NULL
   )`,
];

const CHUNK = 64;
const COLS = 8;

interface SymbolRow {
  code: string;
  name: string;
  market: string;
  kind: Kind;
  provider: string;
  synthetic: number;
  adjust: string;
  first: number;
  last: number;
  bars: number;
}

function toInfo(r: SymbolRow): SymbolInfo {
  return { ...r, synthetic: r.synthetic === 1 };
}

const MAX_DATE = 99991231;

export class MarketStore {
  readonly db: Db;
  private readonly readStmt;
  private readonly readAdjStmt;
  private readonly insertStmt;
  private readonly insertChunkStmt;
  private readonly insert7Stmt;
  private readonly insertChunk7Stmt;
  private readonly upsertSymbol;
  private readonly statsStmt;
  private readonly getSymbolStmt;
  private readonly deleteBarsStmt;
  private readonly writeColumnsStmt;
  private readonly deleteColumnsStmt;
  private readonly params = new Array<unknown>(CHUNK * COLS);
  private readonly params7 = new Array<unknown>(CHUNK * (COLS - 1));

  constructor(db: Db) {
    this.db = db;
    migrate(db, 'market', MIGRATIONS);
    this.readStmt = db.prepare('SELECT n, data FROM bar_columns WHERE code = ?').raw(true);
    this.readAdjStmt = db.prepare('SELECT adj FROM daily_bars WHERE code = ? AND date >= ? AND date <= ? ORDER BY date').pluck(true);
    const one = '(?, ?, ?, ?, ?, ?, ?, ?)';
    const head = 'INSERT OR REPLACE INTO daily_bars (code, date, open, high, low, close, volume, adj) VALUES ';
    this.insertStmt = db.prepare(head + one);
    this.insertChunkStmt = db.prepare(head + Array.from({ length: CHUNK }, () => one).join(', '));
    // Without an adjustment factor (most providers): 7 columns, adj takes its default 1.
    const one7 = '(?, ?, ?, ?, ?, ?, ?)';
    const head7 = 'INSERT OR REPLACE INTO daily_bars (code, date, open, high, low, close, volume) VALUES ';
    this.insert7Stmt = db.prepare(head7 + one7);
    this.insertChunk7Stmt = db.prepare(head7 + Array.from({ length: CHUNK }, () => one7).join(', '));
    this.upsertSymbol = db.prepare(`INSERT INTO symbols (code, name, market, kind, provider, synthetic, adjust, updated_at)
      VALUES (@code, @name, @market, @kind, @provider, @synthetic, @adjust, @now)
      ON CONFLICT(code) DO UPDATE SET
        name = CASE WHEN excluded.name <> '' THEN excluded.name ELSE symbols.name END,
        market = excluded.market, kind = excluded.kind, provider = excluded.provider,
        synthetic = excluded.synthetic, adjust = excluded.adjust, updated_at = excluded.updated_at`);
    this.statsStmt = db.prepare('UPDATE symbols SET first = ?, last = ?, bars = ? WHERE code = ?');
    this.getSymbolStmt = db.prepare('SELECT code, name, market, kind, provider, synthetic, adjust, first, last, bars FROM symbols WHERE code = ?');
    this.deleteBarsStmt = db.prepare('DELETE FROM daily_bars WHERE code = ?');
    this.writeColumnsStmt = db.prepare('INSERT OR REPLACE INTO bar_columns (code, n, data) VALUES (?, ?, ?)');
    this.deleteColumnsStmt = db.prepare('DELETE FROM bar_columns WHERE code = ?');
  }

  /** Every symbol, sorted by code. */
  listSymbols(): SymbolInfo[] {
    const rows = this.db
      .prepare('SELECT code, name, market, kind, provider, synthetic, adjust, first, last, bars FROM symbols ORDER BY code')
      .all() as SymbolRow[];
    return rows.map(toInfo);
  }

  getSymbol(code: string): SymbolInfo | undefined {
    const r = this.getSymbolStmt.get(code) as SymbolRow | undefined;
    return r ? toInfo(r) : undefined;
  }

  /** The last stored date of a symbol (yyyymmdd), or undefined when it has no bars. */
  lastDate(code: string): number | undefined {
    const s = this.getSymbol(code);
    return s && s.bars > 0 ? s.last : undefined;
  }

  /**
   * One symbol's bars between `from` and `to` (yyyymmdd, inclusive), dates ascending, as typed
   * arrays (each its own memory). One prepared statement; an unknown code gives empty bars.
   */
  readBars(code: string, from = 0, to = MAX_DATE): Bars {
    const row = this.readStmt.get(code) as [number, Buffer] | undefined;
    if (!row) return emptyBars(code);
    const n = row[0];
    const all = new Float64Array(n * 6);
    new Uint8Array(all.buffer).set(row[1].subarray(0, n * 48));
    let lo = 0;
    let hi = n;
    if (from > 0) {
      while (lo < hi && all[lo]! < from) lo++;
    }
    if (to < MAX_DATE) {
      while (hi > lo && all[hi - 1]! > to) hi--;
    }
    const m = hi - lo;
    const dates = new Int32Array(m);
    for (let i = 0; i < m; i++) dates[i] = all[lo + i]!;
    return {
      code,
      dates,
      open: all.slice(n + lo, n + hi),
      high: all.slice(2 * n + lo, 2 * n + hi),
      low: all.slice(3 * n + lo, 3 * n + hi),
      close: all.slice(4 * n + lo, 4 * n + hi),
      volume: all.slice(5 * n + lo, 5 * n + hi),
    };
  }

  /** The adjustment factors aligned with `readBars(code, from, to)`. */
  readAdj(code: string, from = 0, to = MAX_DATE): Float64Array {
    return Float64Array.from(this.readAdjStmt.all(code, from, to) as number[]);
  }

  /** Distinct trading dates across the store (or of one symbol), ascending. */
  tradingDates(code?: string): Int32Array {
    const rows = (code
      ? this.db.prepare('SELECT date FROM daily_bars WHERE code = ? ORDER BY date').pluck(true).all(code)
      : this.db.prepare('SELECT DISTINCT date FROM daily_bars ORDER BY date').pluck(true).all()) as number[];
    return Int32Array.from(rows);
  }

  /** Counts of symbols and stored bars. */
  counts(): { symbols: number; bars: number } {
    const r = this.db.prepare('SELECT COUNT(*) AS symbols, COALESCE(SUM(bars), 0) AS bars FROM symbols').get() as { symbols: number; bars: number };
    return r;
  }

  /**
   * Writes several symbols' bars in ONE transaction (insert or replace by (code, date), the new
   * bar winning) and refreshes their first/last/bar counts. Returns the number of bars written.
   */
  importBatch(items: readonly ImportItem[]): number {
    let written = 0;
    const now = new Date().toISOString();
    const run = this.db.transaction(() => {
      for (const it of items) {
        const code = it.meta.code;
        const prev = this.getSymbolStmt.get(code) as SymbolRow | undefined;
        // Bars of another provider (e.g. the synthetic demo market) or another adjustment are never mixed.
        const wipe = !!it.replace || (!!prev && prev.bars > 0 && (prev.provider !== it.provider || prev.adjust !== (it.adjust ?? '')));
        if (wipe) {
          this.deleteBarsStmt.run(code);
          this.deleteColumnsStmt.run(code);
        }
        this.upsertSymbol.run({
          code,
          name: it.meta.name ?? '',
          market: it.meta.market ?? marketOf(code),
          kind: it.meta.kind ?? kindOf(code),
          provider: it.provider,
          synthetic: it.synthetic ? 1 : 0,
          adjust: it.adjust ?? '',
          now,
        });
        this.insertRows(code, it.bars, it.adj);
        written += it.bars.dates.length;
        const merged = wipe ? it.bars : mergeBars(this.readBars(code), it.bars);
        this.writeColumnsStmt.run(code, merged.dates.length, packBars(merged));
        const n = merged.dates.length;
        this.statsStmt.run(n ? merged.dates[0] : 0, n ? merged.dates[n - 1] : 0, n, code);
      }
    });
    run.immediate();
    return written;
  }

  private insertRows(code: string, b: Bars, adj?: Float64Array): void {
    const n = b.dates.length;
    const w = adj ? 8 : 7;
    const p = adj ? this.params : this.params7;
    const chunkStmt = adj ? this.insertChunkStmt : this.insertChunk7Stmt;
    const { dates, open, high, low, close, volume } = b;
    let i = 0;
    for (; i + CHUNK <= n; i += CHUNK) {
      for (let k = 0; k < CHUNK; k++) {
        const r = i + k;
        const j = k * w;
        p[j] = code;
        p[j + 1] = dates[r];
        p[j + 2] = open[r];
        p[j + 3] = high[r];
        p[j + 4] = low[r];
        p[j + 5] = close[r];
        p[j + 6] = volume[r];
        if (adj) p[j + 7] = adj[r];
      }
      chunkStmt.run(p);
    }
    for (; i < n; i++) {
      if (adj) this.insertStmt.run(code, dates[i], open[i], high[i], low[i], close[i], volume[i], adj[i]);
      else this.insert7Stmt.run(code, dates[i], open[i], high[i], low[i], close[i], volume[i]);
    }
  }

  /** One symbol's bars in one transaction. */
  importBars(item: ImportItem): number {
    return this.importBatch([item]);
  }

  deleteSymbol(code: string): void {
    this.db.transaction(() => {
      this.deleteBarsStmt.run(code);
      this.deleteColumnsStmt.run(code);
      this.db.prepare('DELETE FROM symbols WHERE code = ?').run(code);
    })();
  }
}

/** The bars of `a` and `b` by date, `b` winning on a shared date. */
export function mergeBars(a: Bars, b: Bars): Bars {
  const na = a.dates.length;
  const nb = b.dates.length;
  if (na === 0) return b;
  if (nb === 0) return a;
  const out = emptyBars(b.code, na + nb);
  let i = 0, j = 0, k = 0;
  while (i < na || j < nb) {
    let src: Bars, idx: number;
    if (j >= nb || (i < na && a.dates[i]! < b.dates[j]!)) {
      src = a; idx = i++;
    } else {
      if (i < na && a.dates[i] === b.dates[j]) i++;
      src = b; idx = j++;
    }
    out.dates[k] = src.dates[idx]!;
    out.open[k] = src.open[idx]!;
    out.high[k] = src.high[idx]!;
    out.low[k] = src.low[idx]!;
    out.close[k] = src.close[idx]!;
    out.volume[k] = src.volume[idx]!;
    k++;
  }
  return k === na + nb ? out : { code: out.code, dates: out.dates.slice(0, k), open: out.open.slice(0, k), high: out.high.slice(0, k), low: out.low.slice(0, k), close: out.close.slice(0, k), volume: out.volume.slice(0, k) };
}

/** 6 x n float64 (dates, open, high, low, close, volume) as the bytes stored in bar_columns. */
export function packBars(b: Bars): Buffer {
  const n = b.dates.length;
  const all = new Float64Array(n * 6);
  for (let i = 0; i < n; i++) all[i] = b.dates[i]!;
  all.set(b.open, n);
  all.set(b.high, 2 * n);
  all.set(b.low, 3 * n);
  all.set(b.close, 4 * n);
  all.set(b.volume, 5 * n);
  return Buffer.from(all.buffer, all.byteOffset, all.byteLength);
}
