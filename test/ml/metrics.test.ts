/**
 * Metrics against scikit-learn 1.2.1 / scipy 1.10.1 on fixed vectors (expected values computed once
 * with roc_auc_score, log_loss, precision_recall_fscore_support(zero_division=0), pearsonr,
 * spearmanr and hard-coded here; the test needs no Python).
 */
import { describe, expect, it } from 'vitest';
import { auc, averageRanks, classificationReport, dailyIc, evaluateTopN, logloss, oddsPcr, pearson, spearman, topNPerDay } from '../../src/ml/metrics.js';

const y = [1, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0, 1, 1, 0, 1, 0, 0, 0, 1, 1];
const p = [0.9, 0.1, 0.8, 0.5, 0.5, 0.3, 0.7, 0.7, 0.6, 0.2, 0.5, 0.4, 0.95, 0.05, 0.5, 0.65, 0.35, 0.3, 0.3, 0.85];

describe('classification metrics (vs scikit-learn)', () => {
  it('AUC handles tied scores like roc_auc_score', () => {
    expect(auc(y, p)).toBeCloseTo(0.815, 12);
    expect(auc([0, 1], [0.3, 0.3])).toBe(0.5);
    expect(auc([1, 1, 0], [0.1, 0.2, 0.9])).toBe(0);
    expect(Number.isNaN(auc([1, 1], [0.1, 0.2]))).toBe(true);
  });

  it('logloss equals log_loss', () => {
    expect(logloss(y, p)).toBeCloseTo(0.5040197105578038, 12);
  });

  it('classification report for class 1 at 0.5 (0.5 itself predicts 0)', () => {
    const r = classificationReport(y, p);
    expect(r.precision).toBeCloseTo(0.75, 12);
    expect(r.recall).toBeCloseTo(0.6, 12);
    expect(r.f1).toBeCloseTo(0.6666666666666665, 12);
    expect(r.support).toBe(10);
  });

  it('zero_division=0 when nothing is predicted positive', () => {
    expect(classificationReport([1, 1, 0], [0.1, 0.2, 0.3])).toMatchObject({ precision: 0, recall: 0, f1: 0, support: 2 });
  });
});

describe('correlations (vs scipy)', () => {
  const a = [0.3, 1.2, -0.5, 2.2, 0.9, 0.9, 1.5, -1.1];
  const b = [1, 3, 2, 5, 4, 4, 6, 0];
  it('pearson and spearman with ties', () => {
    expect(pearson(a, b)).toBeCloseTo(0.8671653415752735, 12);
    expect(spearman(a, b)).toBeCloseTo(0.8795180722891566, 12);
    expect(Array.from(averageRanks([3, 1, 3, 2]))).toEqual([3.5, 1, 3.5, 2]);
  });

  it('daily IC, Rank IC, ICIR and Rank ICIR (std with ddof 1, as Qlib/pandas)', () => {
    const dates = [1, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3];
    const score = [0.1, 0.5, 0.3, 0.9, 0.7, 0.2, 0.2, 0.8, 0.4, 0.6, 0.1, 0.3, 0.3, 0.9, 0.5];
    const ret = [-0.01, 0.02, 0.0, 0.03, -0.02, 0.01, -0.01, 0.02, 0.0, -0.03, 0.01, 0.02, -0.01, 0.04, 0.0];
    const d = dailyIc(dates, score, ret);
    expect(d.dates).toEqual([1, 2, 3]);
    [0.45749571099781416, 0.7302967433402214, 0.24900574658474225].forEach((v, i) => expect(d.ic[i]).toBeCloseTo(v, 12));
    [0.39999999999999997, 0.632455532033676, 0.05797710356524484].forEach((v, i) => expect(d.rankIc[i]).toBeCloseTo(v, 12));
    expect(d.icMean).toBeCloseTo(0.4789327336409259, 12);
    expect(d.icir).toBeCloseTo(1.984304115239225, 10);
    expect(d.rankIcMean).toBeCloseTo(0.3634775451996402, 12);
    expect(d.rankIcir).toBeCloseTo(1.25781482289228, 10);
  });
});

describe('odds and profit/loss ratio of the top N per day', () => {
  it('picks the top N of each day and compares with every row', () => {
    const dates = [20240102, 20240102, 20240102, 20240103, 20240103, 20240103];
    const score = [0.9, 0.2, 0.8, 0.1, 0.7, 0.6];
    const ret = [0.02, -0.01, -0.01, 0.05, 0.03, -0.02];
    expect(topNPerDay(dates, score, 2)).toEqual([0, 2, 4, 5]);
    const e = evaluateTopN(dates, score, ret, 2);
    // picks: 0.02, -0.01, 0.03, -0.02 -> odds 0.5, pcr = 0.025 / 0.015
    expect(e.top.odds).toBe(0.5);
    expect(e.top.pcr).toBeCloseTo(0.025 / 0.015, 12);
    // all: winners 0.02, 0.05, 0.03; losers -0.01, -0.01, -0.02
    expect(e.base.odds).toBe(0.5);
    expect(e.base.pcr).toBeCloseTo(0.1 / 3 / (0.04 / 3), 12);
    expect(e.days).toBe(2);
    expect(Number.isNaN(oddsPcr([0.1, 0.2]).pcr)).toBe(true);
  });
});
