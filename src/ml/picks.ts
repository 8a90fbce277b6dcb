/** Daily picks: the top N of a model's scores for a date, stored with the model that made them. */
import type { Db } from '../core/db.js';
import { migrateRegistry } from './registry.js';
import { yyyymmddToIso } from '../core/time.js';

export interface Pick {
  date: string; // YYYY-MM-DD
  code: string;
  name: string;
  score: number;
  rank: number;
  modelId: string;
}

export interface ScoredRow {
  date: number; // yyyymmdd
  code: string;
  score: number;
}

export class PickStore {
  constructor(private readonly db: Db) {
    migrateRegistry(db);
  }

  /**
   * Keeps the `top` best-scored rows of each date (ties broken by code, so reruns agree) and
   * replaces that model's earlier picks for those dates in one transaction.
   */
  storeTop(rows: ScoredRow[], top: number, modelId: string, now = new Date()): ScoredRow[] {
    const byDate = new Map<number, ScoredRow[]>();
    for (const r of rows) {
      if (!Number.isFinite(r.score)) continue;
      let list = byDate.get(r.date);
      if (!list) byDate.set(r.date, (list = []));
      list.push(r);
    }
    const kept: ScoredRow[] = [];
    const del = this.db.prepare('DELETE FROM picks WHERE date = ? AND model_id = ?');
    const ins = this.db.prepare('INSERT INTO picks (date, code, rank, score, model_id, created_at) VALUES (?, ?, ?, ?, ?, ?)');
    this.db.transaction(() => {
      for (const [date, list] of byDate) {
        list.sort((a, b) => b.score - a.score || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
        del.run(date, modelId);
        list.slice(0, top).forEach((r, i) => {
          ins.run(date, r.code, i + 1, r.score, modelId, now.toISOString());
          kept.push(r);
        });
      }
    })();
    return kept;
  }

  /** Newest date first, by rank. `date` limits to one day (yyyymmdd). Names come from the market store when present. */
  list(opts: { date?: number; limit?: number; modelId?: string } = {}): Pick[] {
    const hasSymbols = !!this.db.prepare("SELECT 1 FROM sqlite_master WHERE type='table' AND name='symbols'").get();
    const where: string[] = [];
    const args: unknown[] = [];
    if (opts.date !== undefined) {
      where.push('p.date = ?');
      args.push(opts.date);
    }
    if (opts.modelId) {
      where.push('p.model_id = ?');
      args.push(opts.modelId);
    }
    const sql = `SELECT p.date, p.code, p.rank, p.score, p.model_id AS modelId${hasSymbols ? ', s.name AS name' : ", '' AS name"}
      FROM picks p ${hasSymbols ? 'LEFT JOIN symbols s ON s.code = p.code' : ''}
      ${where.length ? 'WHERE ' + where.join(' AND ') : ''}
      ORDER BY p.date DESC, p.model_id, p.rank LIMIT ?`;
    args.push(opts.limit ?? 1000);
    const rows = this.db.prepare(sql).all(...args) as { date: number; code: string; rank: number; score: number; modelId: string; name: string | null }[];
    return rows.map((r) => ({ date: yyyymmddToIso(r.date), code: r.code, name: r.name ?? '', score: r.score, rank: r.rank, modelId: r.modelId }));
  }

  latestDate(): number | undefined {
    const r = this.db.prepare('SELECT MAX(date) AS d FROM picks').get() as { d: number | null };
    return r.d ?? undefined;
  }
}
