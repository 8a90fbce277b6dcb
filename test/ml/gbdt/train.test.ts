/** The GBDT trainer learns known functions, uses missing values, is deterministic, and round-trips XGBoost JSON. */
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { trainGbdt } from '../../../src/ml/gbdt/train.js';
import { featureImportance, predict } from '../../../src/ml/gbdt/model.js';
import { loadXgboostJson, saveXgboostJson, xgboostJsonText } from '../../../src/ml/gbdt/xgboost-json.js';
import { binMatrix } from '../../../src/ml/gbdt/binning.js';
import { resolveParams } from '../../../src/ml/gbdt/params.js';
import { auc } from '../../../src/ml/metrics.js';
import { tempDir } from '../../support/fs.js';
import { syntheticData } from './synthetic.js';

const tmp = tempDir('qf-gbdt-');
afterAll(() => tmp.cleanup());

describe('trainGbdt', () => {
  const train = syntheticData(6000, 11, { noise: 0.03 });
  const test = syntheticData(3000, 12, { noise: 0.03 });

  it('learns a nonlinear rule (circle xor candle code): test AUC > 0.95', () => {
    const { model, rounds } = trainGbdt(train.x, train.y, { num_round: 100 });
    expect(rounds).toBe(100);
    expect(model.trees).toHaveLength(100);
    expect(auc(test.y, predict(model, test.x))).toBeGreaterThan(0.95);
    // the informative features carry the gain; noise features little
    const imp = featureImportance(model);
    expect(imp.slice(0, 3).map((i) => i.feature).sort()).toEqual(['f0', 'f1', 'f2']);
    for (const i of imp) expect(i.gain).toBeCloseTo(i.totalGain / i.weight, 6);
  });

  it('learns a default direction for missing values', () => {
    const tr = syntheticData(6000, 21, { missing: 0.2 });
    const te = syntheticData(3000, 22, { missing: 0.2 });
    const { model } = trainGbdt(tr.x, tr.y, { num_round: 100 });
    expect(auc(te.y, predict(model, te.x))).toBeGreaterThan(0.95);
    // some splits on x0 send NaN left and some right: the direction is learned, not fixed
    const dirs = new Set<number>();
    for (const t of model.trees) for (let n = 0; n < t.left.length; n++) if (t.left[n] !== -1 && t.feature[n] === 0) dirs.add(t.defaultLeft[n]!);
    expect(dirs.size).toBeGreaterThan(0);
    // a NaN x0 row (inside the circle by construction) scores like an inside row
    const rows = new Float32Array([NaN, 0.9, 0, 0, 0, 0, 0, 0, 0.1, 0.1, 0, 0, 0, 0, 0, 0, 0.95, 0.95, 0, 0, 0, 0, 0, 0]);
    const [pNan, pInside, pOutside] = predict(model, { nrow: 3, ncol: 8, data: rows });
    expect(Math.abs(pNan! - pInside!)).toBeLessThan(Math.abs(pNan! - pOutside!));
  });

  it('is deterministic for a seed and differs across seeds', () => {
    const a = trainGbdt(train.x, train.y, { num_round: 30, seed: 5 });
    const b = trainGbdt(train.x, train.y, { num_round: 30, seed: 5 });
    const c = trainGbdt(train.x, train.y, { num_round: 30, seed: 6 });
    expect(xgboostJsonText(a.model)).toBe(xgboostJsonText(b.model));
    expect(xgboostJsonText(a.model)).not.toBe(xgboostJsonText(c.model));
  });

  it('trains all rounds by default and stops early only when asked', () => {
    const valid = { x: test.x, y: test.y };
    const all = trainGbdt(train.x, train.y, { num_round: 300, eta: 0.5, gamma: 0, min_child_weight: 1, max_depth: 8 }, valid);
    expect(all.rounds).toBe(300);
    expect(all.validLogloss).toHaveLength(300);
    const es = trainGbdt(train.x, train.y, { num_round: 300, eta: 0.5, gamma: 0, min_child_weight: 1, max_depth: 8, early_stopping_rounds: 10 }, valid);
    expect(es.rounds).toBeLessThan(300);
    expect(es.rounds).toBe(es.bestIteration! + 1);
    expect(es.model.attributes.best_iteration).toBe(String(es.bestIteration));
    const best = Math.min(...es.validLogloss);
    expect(es.validLogloss[es.bestIteration!]).toBe(best);
    expect(() => trainGbdt(train.x, train.y, { early_stopping_rounds: 5 })).toThrow(/validation/);
  });

  it('accepts columnar input with the same result as row-major', () => {
    const cols = Array.from({ length: 8 }, (_, f) => {
      const c = new Float32Array(train.x.nrow);
      for (let r = 0; r < train.x.nrow; r++) c[r] = train.x.data[r * 8 + f]!;
      return c;
    });
    const a = trainGbdt(train.x, train.y, { num_round: 10 });
    const b = trainGbdt(cols, train.y, { num_round: 10 });
    expect(xgboostJsonText(b.model)).toBe(xgboostJsonText(a.model));
  });

  it('round-trips XGBoost JSON with identical predictions', () => {
    const { model } = trainGbdt(train.x, train.y, { num_round: 40, colsample_bytree: 0.5, lambda: 2, alpha: 0.5, scale_pos_weight: 2 }, undefined, {
      featureNames: ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'],
    });
    const path = join(tmp.dir, 'm.json');
    saveXgboostJson(model, path);
    const back = loadXgboostJson(path);
    expect(back.trees).toHaveLength(40);
    expect(back.featureNames).toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h']);
    expect(back.scalePosWeight).toBe(2);
    expect(Array.from(predict(back, test.x))).toEqual(Array.from(predict(model, test.x)));
    const doc = JSON.parse(xgboostJsonText(model));
    expect(doc.learner.learner_model_param.base_score).toBe('0.5');
    expect(doc.learner.gradient_booster.model.trees[0].tree_param.num_nodes).toBe(String(model.trees[0]!.left.length));
  });

  it('rejects bad parameters and labels with one-line errors', () => {
    expect(() => resolveParams({ eta: 0 })).toThrow(/eta/);
    expect(() => resolveParams({ max_depth: 2.5 })).toThrow(/whole number/);
    expect(() => resolveParams({ nope: 1 } as never)).toThrow(/unknown GBDT parameter/);
    expect(() => trainGbdt(train.x, new Float32Array(train.x.nrow).fill(2))).toThrow(/label/);
  });
});

describe('binning', () => {
  it('gives each distinct value its own bin when there are few, with float32 cut points', () => {
    const data = new Float32Array([0, 100, -100, 0, NaN, 0.1, 0.1, 200]);
    const b = binMatrix({ nrow: 8, ncol: 1, data }, 256);
    expect(b.nbins[0]).toBe(5);
    expect(Array.from(b.cuts[0]!.subarray(0, 4))).toEqual([0, Math.fround(0.1), 100, 200]);
    expect(Array.from(b.codes)).toEqual([1, 3, 0, 1, 5, 2, 2, 4]);
    expect(b.hasMissing[0]).toBe(1);
  });

  it('caps continuous features at max_bin quantile bins', () => {
    const n = 10000;
    const data = new Float32Array(n).map((_, i) => Math.fround(Math.sin(i) * 1000));
    const b = binMatrix({ nrow: n, ncol: 1, data }, 64);
    expect(b.nbins[0]).toBe(64);
    const counts = new Array(64).fill(0);
    for (const c of b.codes) counts[c]++;
    expect(Math.max(...counts)).toBeLessThan(250);
  });
});
