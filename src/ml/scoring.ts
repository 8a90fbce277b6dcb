/**
 * The model's view of a dataset: columns [buy, ...features] (the order of the SageMaker layout,
 * label aside), and the figures every evaluation reports, computed the same way for the local
 * trainer, SageMaker-trained models and the backtest.
 */
import type { DatasetTable } from './dataset/table.js';
import type { GbdtModel } from './gbdt/model.js';
import { predict } from './gbdt/model.js';
import { auc, classificationReport, dailyIc, evaluateTopN, logloss } from './metrics.js';

export function modelColumns(t: DatasetTable): string[] {
  return ['buy', ...t.featureNames];
}

export function matrixOf(t: DatasetTable): Float32Array[] {
  return [Float32Array.from(t.buy), ...t.features.map((c) => Float32Array.from(c))];
}

/** Scores a dataset, checking that the model was trained on the same columns. */
export function scoreTable(model: GbdtModel, t: DatasetTable): Float64Array {
  const cols = modelColumns(t);
  if (model.featureNames.length > 0) {
    const a = model.featureNames.join(',');
    if (a !== cols.join(',')) {
      const missing = model.featureNames.filter((f) => !cols.includes(f));
      const detail = missing.length ? `missing ${missing.slice(0, 5).join(', ')}` : 'the columns are in another order';
      throw new Error(`the dataset's columns do not match the model's (${detail}); rebuild the dataset with the model's feature configuration`);
    }
  } else if (model.numFeature !== cols.length) {
    throw new Error(`the model expects ${model.numFeature} features, the dataset has ${cols.length}`);
  }
  return predict(model, matrixOf(t));
}

export interface EvaluationMetrics {
  rows: number;
  days: number;
  auc: number;
  logloss: number;
  precision: number;
  recall: number;
  f1: number;
  support: number;
  /** Win rate and profit/loss ratio of the top N per day, and of every row (the base line). */
  odds: number;
  pcr: number;
  odds_base: number;
  pcr_base: number;
  top_n: number;
  ic: number;
  rank_ic: number;
  icir: number;
  rank_icir: number;
}

export function evaluateScores(t: DatasetTable, score: Float64Array, topN = 2): EvaluationMetrics {
  const label = t.label!;
  const y = t.y!;
  const rep = classificationReport(label, score, 0.5);
  const top = evaluateTopN(t.dates, score, y, topN);
  const icr = dailyIc(t.dates, score, y);
  return {
    rows: t.dates.length,
    days: top.days,
    auc: auc(label, score),
    logloss: logloss(label, score),
    precision: rep.precision,
    recall: rep.recall,
    f1: rep.f1,
    support: rep.support,
    odds: top.top.odds,
    pcr: top.top.pcr,
    odds_base: top.base.odds,
    pcr_base: top.base.pcr,
    top_n: topN,
    ic: icr.icMean,
    rank_ic: icr.rankIcMean,
    icir: icr.icir,
    rank_icir: icr.rankIcir,
  };
}

/** JSON has no NaN: undefined figures become null. */
export function jsonMetrics(m: object): Record<string, number | null> {
  const out: Record<string, number | null> = {};
  for (const [k, v] of Object.entries(m)) out[k] = typeof v === 'number' && Number.isFinite(v) ? v : null;
  return out;
}
