/** Scores the inference rows with a model and stores the top N as the day's picks. */
import type { Db } from '../core/db.js';
import { QuantflowError } from '../core/errors.js';
import { yyyymmddToIso } from '../core/time.js';
import type { DatasetTable } from './dataset/table.js';
import { modelFromXgboostJson } from './gbdt/xgboost-json.js';
import { pickModel } from './evaluate.js';
import { ModelRegistry } from './registry.js';
import { PickStore, type Pick } from './picks.js';
import { scoreTable } from './scoring.js';

export interface RecommendRequest {
  db: Db;
  table: DatasetTable;
  modelId?: string;
  top?: number;
}

export function recommend(req: RecommendRequest): { modelId: string; date: string; picks: Pick[] } {
  const registry = new ModelRegistry(req.db);
  const rec = pickModel(registry, req.modelId);
  if (!rec.modelJson) throw new QuantflowError('NO_MODEL_JSON', `model ${rec.id} has no model quantflow can score with`);
  const model = modelFromXgboostJson(JSON.parse(rec.modelJson), rec.id);
  const scores = scoreTable(model, req.table);
  const rows = Array.from(scores, (score, i) => ({ date: req.table.dates[i]!, code: req.table.codes[i]!, score }));
  const picks = new PickStore(req.db);
  picks.storeTop(rows, req.top ?? 10, rec.id);
  const last = req.table.dates.reduce((a, b) => Math.max(a, b), 0);
  return { modelId: rec.id, date: yyyymmddToIso(last), picks: picks.list({ date: last, modelId: rec.id }) };
}
