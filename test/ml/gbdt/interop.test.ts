/**
 * Interoperability with Python xgboost (Debian's python3-xgboost, used only as a reference): a model
 * quantflow trains predicts the same probabilities in xgboost, and a model xgboost trains (with
 * missing values, so default directions matter) predicts the same in quantflow, to 1e-6.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readNumericCsv, writeNumericCsv } from '../../../src/ml/csv.js';
import { trainGbdt } from '../../../src/ml/gbdt/train.js';
import { predict } from '../../../src/ml/gbdt/model.js';
import { loadXgboostJson, saveXgboostJson } from '../../../src/ml/gbdt/xgboost-json.js';
import { auc } from '../../../src/ml/metrics.js';
import { tempDir } from '../../support/fs.js';
import { XGBOOST_SKIP_MESSAGE, findXgboostPython, runPython } from '../../support/xgboost.js';
import { syntheticData } from './synthetic.js';

const py = findXgboostPython();
if (!py) console.warn(`[gbdt interop] ${XGBOOST_SKIP_MESSAGE}`);
else console.info(`[gbdt interop] using ${py.python} with xgboost ${py.version}`);

const tmp = tempDir('qf-gbdt-interop-');
afterAll(() => tmp.cleanup());

const PREDICT_PY = `
import sys, numpy as np, xgboost as xgb
b = xgb.Booster(model_file=sys.argv[1])
X = np.genfromtxt(sys.argv[2], delimiter=',', dtype=np.float64, missing_values='', filling_values=np.nan)
if X.ndim == 1: X = X.reshape(1, -1)
p = b.predict(xgb.DMatrix(X[:, 1:].astype(np.float32), missing=np.nan))
np.savetxt(sys.argv[3], p.astype(np.float64), fmt='%.9g')
`;

const TRAIN_PY = `
import sys, numpy as np, xgboost as xgb
X = np.genfromtxt(sys.argv[1], delimiter=',', dtype=np.float64, missing_values='', filling_values=np.nan)
d = xgb.DMatrix(X[:, 1:].astype(np.float32), label=X[:, 0], missing=np.nan)
b = xgb.train(dict(objective='binary:logistic', max_depth=5, eta=0.2, gamma=4, min_child_weight=6, subsample=0.7,
                   tree_method='hist', nthread=1, seed=3, base_score=0.5), d, 60)
b.save_model(sys.argv[2])
T = np.genfromtxt(sys.argv[3], delimiter=',', dtype=np.float64, missing_values='', filling_values=np.nan)
p = b.predict(xgb.DMatrix(T[:, 1:].astype(np.float32), missing=np.nan))
np.savetxt(sys.argv[4], p.astype(np.float64), fmt='%.9g')
`;

function readPreds(path: string): number[] {
  return readFileSync(path, 'utf8').trim().split('\n').map(Number);
}

const SAME_PY = `
import sys, numpy as np, xgboost as xgb
X = np.genfromtxt(sys.argv[1], delimiter=',', dtype=np.float64, missing_values='', filling_values=np.nan)
d = xgb.DMatrix(X[:, 1:].astype(np.float32), label=X[:, 0], missing=np.nan)
b = xgb.train(dict(objective='binary:logistic', max_depth=5, eta=0.2, gamma=4, min_child_weight=6, subsample=1,
                   tree_method='hist', nthread=1, base_score=0.5), d, 25)
b.save_model(sys.argv[2])
`;

describe.skipIf(!py)('GBDT interoperability with Python xgboost', () => {
  const train = syntheticData(4000, 1, { missing: 0.15 });
  const test = syntheticData(2000, 2, { missing: 0.15 });
  const trainCsv = join(tmp.dir, 'train.csv');
  const testCsv = join(tmp.dir, 'test.csv');
  writeNumericCsv(trainCsv, train.x, train.y);
  writeNumericCsv(testCsv, test.x, test.y);

  it('a model quantflow trains predicts identically in xgboost (to 1e-6)', () => {
    const tr = readNumericCsv(trainCsv, { hasLabel: true });
    const te = readNumericCsv(testCsv, { hasLabel: true });
    const { model } = trainGbdt(tr.x, tr.label!, { num_round: 80, seed: 7 });
    const modelPath = join(tmp.dir, 'qf-model.json');
    saveXgboostJson(model, modelPath);
    const ours = predict(model, te.x);
    expect(auc(te.label!, ours)).toBeGreaterThan(0.85);
    const out = join(tmp.dir, 'py-preds.txt');
    runPython(py!, PREDICT_PY, [modelPath, testCsv, out]);
    const theirs = readPreds(out);
    expect(theirs.length).toBe(ours.length);
    let worst = 0;
    for (let i = 0; i < ours.length; i++) worst = Math.max(worst, Math.abs(ours[i]! - theirs[i]!));
    expect(worst).toBeLessThan(1e-6);
  });

  it('without sampling, grows the same trees as xgboost hist (features, thresholds, default directions, leaves)', () => {
    // two-decimal values: fewer than 256 distinct per feature, so both quantisations are exact
    const s = syntheticData(3000, 5, { missing: 0.1 });
    for (let i = 0; i < s.x.data.length; i++) s.x.data[i] = Math.fround(Math.round(s.x.data[i]! * 100) / 100);
    const csv = join(tmp.dir, 'same.csv');
    writeNumericCsv(csv, s.x, s.y);
    const d = readNumericCsv(csv, { hasLabel: true });
    const ours = trainGbdt(d.x, d.label!, { num_round: 25, subsample: 1 }).model;
    const path = join(tmp.dir, 'same-xgb.json');
    runPython(py!, SAME_PY, [csv, path]);
    const theirs = loadXgboostJson(path);
    expect(theirs.trees).toHaveLength(25);
    let splits = 0;
    ours.trees.forEach((t, k) => {
      const x = theirs.trees[k]!;
      expect(Array.from(t.left), `tree ${k}`).toEqual(Array.from(x.left));
      expect(Array.from(t.feature), `tree ${k}`).toEqual(Array.from(x.feature));
      expect(Array.from(t.defaultLeft), `tree ${k}`).toEqual(Array.from(x.defaultLeft));
      for (let n = 0; n < t.left.length; n++) {
        if (t.left[n] !== -1) {
          splits++;
          expect(t.condition[n]).toBe(x.condition[n]);
        } else expect(Math.abs(t.condition[n]! - x.condition[n]!)).toBeLessThan(1e-6);
      }
    });
    expect(splits).toBeGreaterThan(50);
  });

  it('a model xgboost trains predicts identically in quantflow (to 1e-6), default directions included', () => {
    const modelPath = join(tmp.dir, 'py-model.json');
    const out = join(tmp.dir, 'py-own-preds.txt');
    runPython(py!, TRAIN_PY, [trainCsv, modelPath, testCsv, out]);
    const model = loadXgboostJson(modelPath);
    expect(model.trees.length).toBe(60);
    expect(model.trees.some((t) => t.defaultLeft.some((d, i) => d === 1 && t.left[i] !== -1))).toBe(true);
    const te = readNumericCsv(testCsv, { hasLabel: true });
    const ours = predict(model, te.x);
    const theirs = readPreds(out);
    let worst = 0;
    for (let i = 0; i < ours.length; i++) worst = Math.max(worst, Math.abs(ours[i]! - theirs[i]!));
    expect(worst).toBeLessThan(1e-6);
    // and it survives our JSON writer unchanged
    const again = join(tmp.dir, 'py-model-resaved.json');
    saveXgboostJson(model, again);
    const p2 = predict(loadXgboostJson(again), te.x);
    expect(Array.from(p2)).toEqual(Array.from(ours));
    writeFileSync(join(tmp.dir, 'done'), 'ok');
  });
});
