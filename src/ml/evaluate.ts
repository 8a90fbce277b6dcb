/**
 * Evaluates a registered model on a dataset's test split. With `universe: 'all'` the test dates
 * are scored over every stock (features without the signal filter), giving IC figures comparable
 * with Qlib's; every result says which universe it used.
 */
import type { Db } from '../core/db.js';
import { QuantflowError } from '../core/errors.js';
import { loadAnalysisConfig } from '../analysis/config.js';
import { buildDataset } from './dataset/build.js';
import { splitByDate, DEFAULT_SPLIT, type SplitSizes } from './dataset/split.js';
import { selectRows, type DatasetTable } from './dataset/table.js';
import { modelFromXgboostJson } from './gbdt/xgboost-json.js';
import { ModelRegistry, type ModelRecord, type Universe } from './registry.js';
import { evaluateScores, jsonMetrics, scoreTable } from './scoring.js';

export interface EvaluateRequest {
  db: Db;
  table: DatasetTable;
  modelId?: string;
  universe?: Universe;
  configPath?: string;
  split?: SplitSizes;
  topN?: number;
}

export interface EvaluateReport {
  modelId: string;
  universe: Universe;
  labelKind: string;
  testFrom: number;
  testTo: number;
  metrics: Record<string, number | null>;
}

export function pickModel(registry: ModelRegistry, id?: string): ModelRecord {
  if (id) return registry.require(id);
  const m = registry.latest();
  if (!m) throw new QuantflowError('NO_MODEL', 'no trained model in the registry (run: quantflow train)');
  return m;
}

export async function evaluateModel(req: EvaluateRequest): Promise<EvaluateReport> {
  const registry = new ModelRegistry(req.db);
  const rec = pickModel(registry, req.modelId);
  if (!rec.modelJson) throw new QuantflowError('NO_MODEL_JSON', `model ${rec.id} has no model quantflow can score with`);
  const model = modelFromXgboostJson(JSON.parse(rec.modelJson), rec.id);
  const universe = req.universe ?? 'signal';
  const s = splitByDate(req.table, req.split ?? DEFAULT_SPLIT);
  let test = s.test;
  if (universe === 'all') {
    const all = await buildDataset(req.db, { kind: 'train', config: loadAnalysisConfig(req.configPath), labelKind: rec.labelKind, universe: 'all', windowDates: Number.MAX_SAFE_INTEGER });
    const [from, to] = s.ranges.test;
    const rows: number[] = [];
    for (let i = 0; i < all.dates.length; i++) if (all.dates[i]! >= from && all.dates[i]! <= to) rows.push(i);
    test = selectRows(all, rows);
  }
  const metrics = jsonMetrics(evaluateScores(test, scoreTable(model, test), req.topN ?? 2));
  const key = universe === 'all' ? 'all_' : '';
  registry.updateMetrics(rec.id, { ...rec.metrics, ...Object.fromEntries(Object.entries(metrics).map(([k, v]) => [key + k, v])) });
  return { modelId: rec.id, universe, labelKind: rec.labelKind, testFrom: s.ranges.test[0], testTo: s.ranges.test[1], metrics };
}
