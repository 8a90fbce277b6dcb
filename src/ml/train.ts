/**
 * Trains the stock classifier on a dataset's date splits (train, validation, test), evaluates it
 * on the test split the way the original's StockEval and evaluation utility did (and with Qlib's
 * IC figures), and registers it with its provenance.
 */
import type { Db } from '../core/db.js';
import { yyyymmddToIso } from '../core/time.js';
import { splitByDate, DEFAULT_SPLIT, type SplitSizes } from './dataset/split.js';
import type { DatasetTable } from './dataset/table.js';
import { trainGbdt } from './gbdt/train.js';
import { featureImportance } from './gbdt/model.js';
import { resolveParams, type GbdtParams } from './gbdt/params.js';
import { xgboostJsonText } from './gbdt/xgboost-json.js';
import { ModelRegistry, type ModelRecord } from './registry.js';
import { evaluateScores, jsonMetrics, matrixOf, modelColumns, scoreTable, type EvaluationMetrics } from './scoring.js';

export interface TrainRequest {
  db: Db;
  table: DatasetTable;
  datasetPath?: string;
  params?: Partial<GbdtParams>;
  split?: SplitSizes;
  /** Picks per day in the odds/pcr evaluation (the original: 2). */
  topN?: number;
}

export interface TrainReport {
  modelId: string;
  rows: number;
  seconds: number;
  labelKind: string;
  rounds: number;
  split: { train: number; validation: number; test: number };
  metrics: Record<string, number | null>;
}

export function trainModel(req: TrainRequest): TrainReport {
  const { table } = req;
  const split = req.split ?? DEFAULT_SPLIT;
  const s = splitByDate(table, split);
  const params = resolveParams(req.params);
  const t0 = performance.now();
  const result = trainGbdt(matrixOf(s.train), s.train.label!, params, { x: matrixOf(s.valid), y: s.valid.label! }, { featureNames: modelColumns(table) });
  const seconds = (performance.now() - t0) / 1000;
  const model = result.model;
  const metrics: EvaluationMetrics = evaluateScores(s.test, scoreTable(model, s.test), req.topN ?? 2);

  const registry = new ModelRegistry(req.db);
  const id = registry.newLocalId();
  const importance: ModelRecord['importance'] = {};
  for (const f of featureImportance(model)) importance[f.feature] = { gain: f.gain, cover: f.cover, weight: f.weight };
  const iso = (d: number) => yyyymmddToIso(d);
  registry.save({
    id,
    createdAt: new Date().toISOString(),
    source: 'local',
    labelKind: table.labelKind,
    universe: 'signal',
    features: modelColumns(table),
    params: { ...params, valid_dates: split.valid, test_dates: split.test },
    dataRange: {
      trainFrom: iso(s.ranges.train[0]),
      trainTo: iso(s.ranges.train[1]),
      validFrom: iso(s.ranges.valid[0]),
      validTo: iso(s.ranges.valid[1]),
      testFrom: iso(s.ranges.test[0]),
      testTo: iso(s.ranges.test[1]),
    },
    metrics: jsonMetrics(metrics),
    importance,
    modelJson: xgboostJsonText(model),
    origin: { dataset: req.datasetPath, signal: table.signal || undefined, rounds: result.rounds },
  });
  return {
    modelId: id,
    rows: table.dates.length,
    seconds,
    labelKind: table.labelKind,
    rounds: result.rounds,
    split: { train: s.train.dates.length, validation: s.valid.dates.length, test: s.test.dates.length },
    metrics: jsonMetrics(metrics),
  };
}
