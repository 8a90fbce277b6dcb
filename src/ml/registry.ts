/**
 * The model registry: every trained model (local, or SageMaker's) with what it was trained on and
 * how it scored, so a pick can always be traced to a model and a model to its data and label.
 */
import type { Db } from '../core/db.js';
import { migrate } from '../core/db.js';
import { QuantflowError } from '../core/errors.js';

export type ModelSource = 'local' | 'sagemaker';
/** `next_close`: the original's next-day close-to-close return; `qlib`: close t+1 -> close t+2. */
export type LabelKind = 'next_close' | 'qlib';
/** Which rows were scored: `signal` (buy = 1 rows only, the original) or `all` (every stock, Qlib's). */
export type Universe = 'signal' | 'all';

export interface ModelRecord {
  id: string;
  createdAt: string;
  source: ModelSource;
  labelKind: LabelKind;
  universe: Universe;
  features: string[];
  params: Record<string, unknown>;
  /** Dates (YYYY-MM-DD) of the splits the model was trained and evaluated on. */
  dataRange: { trainFrom?: string; trainTo?: string; validFrom?: string; validTo?: string; testFrom?: string; testTo?: string };
  metrics: Record<string, number | null>;
  importance?: Record<string, { gain: number; cover: number; weight: number }>;
  /** XGBoost JSON, when quantflow can hold the model itself. */
  modelJson?: string;
  /** Free-form provenance (e.g. a SageMaker execution ARN, a dataset path). */
  origin?: Record<string, unknown>;
}

export function migrateRegistry(db: Db): void {
  migrate(db, 'ml', [
    `CREATE TABLE models (
       id TEXT PRIMARY KEY,
       created_at TEXT NOT NULL,
       source TEXT NOT NULL,
       label_kind TEXT NOT NULL,
       universe TEXT NOT NULL,
       features TEXT NOT NULL,
       params TEXT NOT NULL,
       data_range TEXT NOT NULL,
       metrics TEXT NOT NULL,
       importance TEXT,
       model_json TEXT,
       origin TEXT)`,
    `CREATE TABLE picks (
       date INTEGER NOT NULL,
       code TEXT NOT NULL,
       rank INTEGER NOT NULL,
       score REAL NOT NULL,
       model_id TEXT NOT NULL,
       created_at TEXT NOT NULL,
       PRIMARY KEY (date, model_id, code))`,
    `CREATE INDEX picks_by_date ON picks (date DESC, rank)`,
    `CREATE TABLE backtests (
       id INTEGER PRIMARY KEY,
       created_at TEXT NOT NULL,
       label_kind TEXT NOT NULL,
       report TEXT NOT NULL)`,
  ]);
}

interface ModelRow {
  id: string;
  created_at: string;
  source: string;
  label_kind: string;
  universe: string;
  features: string;
  params: string;
  data_range: string;
  metrics: string;
  importance: string | null;
  model_json: string | null;
  origin: string | null;
}

function fromRow(r: ModelRow, withJson: boolean): ModelRecord {
  return {
    id: r.id,
    createdAt: r.created_at,
    source: r.source as ModelSource,
    labelKind: r.label_kind as LabelKind,
    universe: r.universe as Universe,
    features: JSON.parse(r.features),
    params: JSON.parse(r.params),
    dataRange: JSON.parse(r.data_range),
    metrics: JSON.parse(r.metrics),
    importance: r.importance ? JSON.parse(r.importance) : undefined,
    modelJson: withJson ? (r.model_json ?? undefined) : undefined,
    origin: r.origin ? JSON.parse(r.origin) : undefined,
  };
}

export class ModelRegistry {
  constructor(private readonly db: Db) {
    migrateRegistry(db);
  }

  /** A new local model id: `local-YYYYMMDD-HHMMSS-<n>`; readable, sortable, unique. */
  newLocalId(now = new Date()): string {
    const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
    const base = `local-${stamp}`;
    let id = base;
    for (let n = 2; this.get(id, false); n++) id = `${base}-${n}`;
    return id;
  }

  save(m: ModelRecord): void {
    this.db
      .prepare(
        `INSERT INTO models (id, created_at, source, label_kind, universe, features, params, data_range, metrics, importance, model_json, origin)
         VALUES (@id, @createdAt, @source, @labelKind, @universe, @features, @params, @dataRange, @metrics, @importance, @modelJson, @origin)
         ON CONFLICT(id) DO UPDATE SET metrics = excluded.metrics, importance = excluded.importance,
           model_json = COALESCE(excluded.model_json, models.model_json), origin = excluded.origin`,
      )
      .run({
        ...m,
        features: JSON.stringify(m.features),
        params: JSON.stringify(m.params),
        dataRange: JSON.stringify(m.dataRange),
        metrics: JSON.stringify(m.metrics),
        importance: m.importance ? JSON.stringify(m.importance) : null,
        modelJson: m.modelJson ?? null,
        origin: m.origin ? JSON.stringify(m.origin) : null,
      });
  }

  updateMetrics(id: string, metrics: Record<string, number | null>): void {
    const r = this.db.prepare('UPDATE models SET metrics = ? WHERE id = ?').run(JSON.stringify(metrics), id);
    if (r.changes === 0) throw new QuantflowError('NO_MODEL', `no model ${id} in the registry (see: quantflow model list)`);
  }

  get(id: string, withJson = true): ModelRecord | undefined {
    const r = this.db.prepare('SELECT * FROM models WHERE id = ?').get(id) as ModelRow | undefined;
    return r ? fromRow(r, withJson) : undefined;
  }

  require(id: string): ModelRecord {
    const m = this.get(id);
    if (!m) throw new QuantflowError('NO_MODEL', `no model ${id} in the registry (see: quantflow model list)`);
    return m;
  }

  /** Newest first. */
  list(limit = 100): ModelRecord[] {
    return (this.db.prepare('SELECT * FROM models ORDER BY created_at DESC, id DESC LIMIT ?').all(limit) as ModelRow[]).map((r) => fromRow(r, false));
  }

  /** The newest model that quantflow can score with (has JSON), optionally of one source. */
  latest(source?: ModelSource): ModelRecord | undefined {
    const r = this.db
      .prepare(`SELECT * FROM models WHERE model_json IS NOT NULL ${source ? 'AND source = ?' : ''} ORDER BY created_at DESC, id DESC LIMIT 1`)
      .get(...(source ? [source] : [])) as ModelRow | undefined;
    return r ? fromRow(r, true) : undefined;
  }
}

/** Backtest reports (equity curves against the base line), newest first, for the TUI's model screen. */
export function saveBacktest(db: Db, labelKind: LabelKind, report: object): number {
  migrateRegistry(db);
  return Number(db.prepare('INSERT INTO backtests (created_at, label_kind, report) VALUES (?, ?, ?)').run(new Date().toISOString(), labelKind, JSON.stringify(report)).lastInsertRowid);
}

export function latestBacktest<T = unknown>(db: Db): { id: number; createdAt: string; labelKind: LabelKind; report: T } | undefined {
  migrateRegistry(db);
  const r = db.prepare('SELECT id, created_at, label_kind, report FROM backtests ORDER BY id DESC LIMIT 1').get() as { id: number; created_at: string; label_kind: string; report: string } | undefined;
  return r ? { id: r.id, createdAt: r.created_at, labelKind: r.label_kind as LabelKind, report: JSON.parse(r.report) as T } : undefined;
}
