/**
 * XGBoost's legacy binary model format, read natively. Python xgboost 1.7 (Debian's, a reference
 * only) trains small binary:logistic models on data with missing values and saves each twice:
 * `save_model('xgboost-model')` (no extension: the legacy binary, as SageMaker's 1.7-1 container
 * writes it) and `save_model('m.json')`. The binary must load to the same model as the JSON (every
 * tree array, base_score, objective, attributes) and predict what xgboost's own `predict` gives, to
 * 1e-6, on held-out rows with NaNs. Truncated/corrupt files and unsupported variants (dart,
 * multi-class, gblinear, other objectives) must fail on one line naming the offset or the variant.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QuantflowError } from '../../../src/core/errors.js';
import { predict, predictMargin, type GbdtModel } from '../../../src/ml/gbdt/model.js';
import { loadXgboostBinary, modelFromXgboostBinary } from '../../../src/ml/gbdt/xgboost-binary.js';
import { loadXgboostJson, modelFromXgboostJson, xgboostJsonText } from '../../../src/ml/gbdt/xgboost-json.js';
import { tempDir } from '../../support/fs.js';
import { XGBOOST_SKIP_MESSAGE, findXgboostPython, runPython } from '../../support/xgboost.js';

const py = findXgboostPython();
if (!py) console.warn(`[xgboost binary] ${XGBOOST_SKIP_MESSAGE}`);

const tmp = tempDir('qf-xgb-binary-');
afterAll(() => tmp.cleanup());

// Each case: its own folder with xgboost-model, m.bin, m.json, test.f32 (row-major float32 held-out
// rows), pred.f64 and margin.f64 (xgboost's predict and output_margin on them).
const FIXTURES_PY = `
import os, sys, json, numpy as np, xgboost as xgb
out = sys.argv[1]
rng = np.random.default_rng(11)
def data(n, nf, seed):
    r = np.random.default_rng(seed)
    X = r.normal(size=(n, nf)).astype(np.float32)
    logit = 1.2 * X[:, 0] - 0.8 * X[:, 1] + 0.6 * X[:, 2] * X[:, 3] + 0.3 * r.normal(size=n)
    # missingness that carries signal both ways, so default directions go left and right
    m0 = r.random(n) < 0.25; m1 = r.random(n) < 0.2; m2 = r.random(n) < 0.15
    logit[m0] += 1.5; logit[m1] -= 1.5
    X[m0, 0] = np.nan; X[m1, 1] = np.nan; X[m2, 2] = np.nan
    X[r.random((n, nf)) < 0.05] = np.nan
    return X, (logit > 0).astype(np.float32)
cases = {
  'hist':  (dict(objective='binary:logistic', tree_method='hist', max_depth=4, eta=0.3, nthread=1), 30, 6),
  'exact': (dict(objective='binary:logistic', tree_method='exact', max_depth=3, eta=0.3, gamma=2.0,
                 base_score=0.3, scale_pos_weight=2.0, nthread=1), 20, 5),
  'approx': (dict(objective='binary:logistic', tree_method='approx', max_depth=5, eta=0.1, min_child_weight=3,
                  subsample=0.8, colsample_bytree=0.8, seed=4, base_score=0.62, nthread=1), 50, 7),
  'reg':   (dict(objective='reg:squarederror', tree_method='hist', max_depth=3, eta=0.3, nthread=1), 20, 4),
}
for name, (params, rounds, nf) in cases.items():
    X, y = data(400, nf, 100 + len(name))
    T, _ = data(200, nf, 200 + len(name))
    if name == 'reg': y = np.nan_to_num(X[:, 0]) * 2 + y
    b = xgb.train(params, xgb.DMatrix(X, label=y, missing=np.nan), rounds)
    if name == 'approx': b.set_attr(sagemaker_job='job-7', note='a b c')
    d = os.path.join(out, name); os.makedirs(d)
    b.save_model(os.path.join(d, 'xgboost-model')); b.save_model(os.path.join(d, 'm.bin')); b.save_model(os.path.join(d, 'm.json'))
    T.astype('<f4').tofile(os.path.join(d, 'test.f32'))
    dt = xgb.DMatrix(T, missing=np.nan)
    b.predict(dt).astype('<f8').tofile(os.path.join(d, 'pred.f64'))
    b.predict(dt, output_margin=True).astype('<f8').tofile(os.path.join(d, 'margin.f64'))
    json.dump(dict(nf=nf, rounds=rounds), open(os.path.join(d, 'meta.json'), 'w'))
# A model as XGBoost < 1.0 wrote it: major_version 0 and base_score stored as a margin (xgboost 1.7
# loads it so, see LearnerIO::LoadModel); its own predictions are the reference.
d = os.path.join(out, 'hist')
raw = bytearray(open(os.path.join(d, 'xgboost-model'), 'rb').read())
raw[4:8] = np.array([-0.4], dtype='<f4').tobytes(); raw[24:28] = (0).to_bytes(4, 'little')
open(os.path.join(out, 'old.model'), 'wb').write(raw)
T = np.fromfile(os.path.join(d, 'test.f32'), dtype='<f4').reshape(-1, 6)
xgb.Booster(model_file=os.path.join(out, 'old.model')).predict(xgb.DMatrix(T, missing=np.nan)).astype('<f8').tofile(os.path.join(out, 'old.pred'))
X, y = data(200, 4, 9)
def save(name, params, rounds, label=y):
    xgb.train(dict(params, nthread=1), xgb.DMatrix(X, label=label, missing=np.nan), rounds).save_model(os.path.join(out, name))
save('dart.model', dict(objective='binary:logistic', booster='dart', rate_drop=0.1, max_depth=3), 5)
save('multi.model', dict(objective='multi:softprob', num_class=3, max_depth=3), 3, label=(np.nan_to_num(X[:, 0]) > 0) + (np.nan_to_num(X[:, 1]) > 0))
save('linear.model', dict(objective='binary:logistic', booster='gblinear'), 3)
save('poisson.model', dict(objective='count:poisson', max_depth=3), 3, label=np.abs(np.nan_to_num(X[:, 0])).round())
print('ok')
`;

function f64(path: string): Float64Array {
  const b = readFileSync(path);
  return new Float64Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
}
function f32(path: string): Float32Array {
  const b = readFileSync(path);
  return new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
}
function treeArrays(m: GbdtModel): Record<string, number[]>[] {
  return m.trees.map((t) => Object.fromEntries(Object.entries(t).map(([k, v]) => [k, Array.from(v as ArrayLike<number>)])));
}
function errorOf(f: () => unknown): QuantflowError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(QuantflowError);
    return e as QuantflowError;
  }
  throw new Error('expected an error');
}

describe.skipIf(!py)('XGBoost legacy binary models (xgboost 1.7 fixtures made at test time)', () => {
  beforeAll(() => {
    runPython(py!, FIXTURES_PY, [tmp.dir]);
  }, 120_000);
  const dir = (c: string) => join(tmp.dir, c);

  it.each(['hist', 'exact', 'approx', 'reg'])('%s: the binary loads to the same model as its JSON and predicts as xgboost (1e-6)', (c) => {
    const bytes = readFileSync(join(dir(c), 'xgboost-model'));
    expect(bytes.subarray(0, 4).toString('latin1')).toBe('binf'); // what 1.7's save_model writes
    const bin = loadXgboostBinary(join(dir(c), 'xgboost-model'));
    const json = loadXgboostJson(join(dir(c), 'm.json'));
    const meta = JSON.parse(readFileSync(join(dir(c), 'meta.json'), 'utf8')) as { nf: number; rounds: number };
    expect(bin.trees).toHaveLength(meta.rounds);
    expect(bin.numFeature).toBe(meta.nf);
    expect(treeArrays(bin)).toEqual(treeArrays(json));
    expect({ ...bin, trees: [], version: null }).toEqual({ ...json, trees: [], version: null });
    expect(bin.version.slice(0, 2)).toEqual([1, 7]);
    // m.bin is the same format
    expect(treeArrays(loadXgboostBinary(join(dir(c), 'm.bin')))).toEqual(treeArrays(json));

    const data = f32(join(dir(c), 'test.f32'));
    const x = { nrow: data.length / meta.nf, ncol: meta.nf, data };
    let nan = 0;
    for (const v of data) if (v !== v) nan++;
    expect(nan).toBeGreaterThan(100);
    const want = f64(join(dir(c), 'pred.f64'));
    const got = predict(bin, x);
    expect(got.length).toBe(200);
    let worst = 0;
    for (let i = 0; i < got.length; i++) worst = Math.max(worst, Math.abs(got[i]! - want[i]!));
    expect(worst).toBeLessThan(1e-6);
    const wantMargin = f64(join(dir(c), 'margin.f64'));
    const margin = predictMargin(bin, x);
    for (let i = 0; i < margin.length; i++) expect(Math.abs(margin[i]! - wantMargin[i]!)).toBeLessThan(1e-5);
  });

  it('reads base_score as the probability, pruned (deleted) nodes, default-left both ways, scale_pos_weight and attributes', () => {
    const exact = loadXgboostBinary(join(dir('exact'), 'xgboost-model'));
    expect(exact.baseScore).toBe(0.3);
    expect(exact.scalePosWeight).toBe(2);
    // gamma with the exact method prunes: deleted nodes (sindex 0xFFFFFFFF) stay in the arrays
    expect(exact.trees.some((t) => t.feature.some((f) => f === 0x7fffffff))).toBe(true);
    const approx = loadXgboostBinary(join(dir('approx'), 'xgboost-model'));
    expect(approx.baseScore).toBe(0.62);
    expect(approx.attributes).toMatchObject({ sagemaker_job: 'job-7', note: 'a b c' });
    expect(approx.attributes.objective).toBeUndefined();
    for (const m of [exact, approx, loadXgboostBinary(join(dir('hist'), 'xgboost-model'))]) {
      const splits = m.trees.flatMap((t) => Array.from(t.defaultLeft).filter((_, i) => t.left[i] !== -1));
      expect(splits).toContain(0);
      expect(splits).toContain(1);
    }
    expect(loadXgboostBinary(join(dir('hist'), 'xgboost-model')).baseScore).toBe(0.5);
  });

  it('reads the variant without the "binf" header, and gbdt JSON written from it loads back the same', () => {
    const bytes = new Uint8Array(readFileSync(join(dir('hist'), 'xgboost-model')));
    const bare = modelFromXgboostBinary(bytes.subarray(4), 'bare');
    const full = modelFromXgboostBinary(bytes, 'full');
    expect(treeArrays(bare)).toEqual(treeArrays(full));
    const again = modelFromXgboostJson(JSON.parse(xgboostJsonText(full)));
    expect(treeArrays(again)).toEqual(treeArrays(full));
    // loadXgboostJson (gbdt predict --model) accepts the binary too
    expect(treeArrays(loadXgboostJson(join(dir('hist'), 'xgboost-model')))).toEqual(treeArrays(full));
  });

  it('a model written by XGBoost < 1.0 (base_score stored as a margin) predicts as xgboost 1.7 loads it', () => {
    const old = loadXgboostBinary(join(tmp.dir, 'old.model'));
    expect(old.version[0]).toBe(0);
    expect(Math.abs(old.baseScore - 1 / (1 + Math.exp(0.4)))).toBeLessThan(1e-7);
    const data = f32(join(dir('hist'), 'test.f32'));
    const got = predict(old, { nrow: data.length / 6, ncol: 6, data });
    const want = f64(join(tmp.dir, 'old.pred'));
    expect(got.length).toBe(want.length);
    for (let i = 0; i < got.length; i++) expect(Math.abs(got[i]! - want[i]!)).toBeLessThan(1e-6);
  });

  it('a truncated file fails on one line with the offset and what was being read (exit 2)', () => {
    const path = join(dir('exact'), 'xgboost-model');
    const bytes = new Uint8Array(readFileSync(path));
    const cuts = [2, 60, 150, 170, 300, 800, bytes.length - 700, bytes.length - 100, bytes.length - 1];
    const seen = new Set<string>();
    for (const cut of cuts) {
      const p = join(tmp.dir, `cut-${cut}`);
      writeFileSync(p, bytes.subarray(0, cut));
      const e = errorOf(() => loadXgboostBinary(p));
      expect(e.exitCode).toBe(2);
      expect(e.oneLine()).toMatch(new RegExp(`^${p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+: truncated in .+ \\((num_trees \\d+: )?(at least )?\\d+ bytes needed, \\d+ left, file size ${cut}\\)$`));
      expect(e.oneLine().split('\n')).toHaveLength(1);
      seen.add(e.message.replace(/^.*?truncated in /, '').replace(/ \(.*/, '').replace(/\d+/g, 'N'));
    }
    // the cuts land in different parts of the format
    expect(seen.size).toBeGreaterThanOrEqual(5);
  });

  it('a corrupt file fails with the offset of what is wrong', () => {
    const bytes = new Uint8Array(readFileSync(join(dir('hist'), 'xgboost-model')));
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    // first tree: after "binf" + 136 + (8 + 15) + (8 + 6) + 160, then TreeParam 148, node 0 at +0
    const tree0 = 4 + 136 + 23 + 14 + 160;
    const node0 = tree0 + 148;
    const badChild = bytes.slice();
    new DataView(badChild.buffer).setInt32(node0 + 4, 0, true);
    expect(errorOf(() => modelFromXgboostBinary(badChild, 'm')).message).toBe(`m:${node0 + 4}: tree 0: node 0 has bad children 0, ${view.getInt32(node0 + 8, true)} (the tree has ${view.getInt32(tree0 + 4, true)} nodes)`);
    const badLen = bytes.slice();
    new DataView(badLen.buffer).setUint32(140, 0x7fffffff, true);
    expect(errorOf(() => modelFromXgboostBinary(badLen, 'm')).message).toMatch(/^m:140: bad length of the objective name: 2147483647/);
    const badDeleted = bytes.slice();
    new DataView(badDeleted.buffer).setInt32(tree0 + 8, 3, true);
    expect(errorOf(() => modelFromXgboostBinary(badDeleted, 'm')).message).toBe(`m:${tree0 + 8}: tree 0: 0 deleted nodes where num_deleted says 3`);
    expect(errorOf(() => modelFromXgboostBinary(Buffer.from('binf'), 'm')).message).toBe('m:4: truncated in the learner parameters (136 bytes needed, 0 left, file size 4)');
  });

  it.each([
    ['dart.model', /:\d+: booster "dart" is not supported \(only gbtree\)/],
    ['multi.model', /:12: multi-class models are not supported \(num_class 3\)/],
    ['linear.model', /:\d+: booster "gblinear" \(a linear model\) is not supported/],
    ['poisson.model', /:\d+: objective "count:poisson" is not supported \(supported: binary:logistic, /],
  ])('%s: an unsupported variant says exactly what is unsupported', (file, message) => {
    const e = errorOf(() => loadXgboostBinary(join(tmp.dir, file)));
    expect(e.exitCode).toBe(2);
    expect(e.oneLine()).toMatch(message);
  });
});
