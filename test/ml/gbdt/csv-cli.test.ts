/** SageMaker-style numeric CSVs and the `quantflow gbdt train|predict` CLI, run as a user would. */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { formatFloat32, readNumericCsv, writeNumericCsv } from '../../../src/ml/csv.js';
import { loadXgboostJson } from '../../../src/ml/gbdt/xgboost-json.js';
import { predict } from '../../../src/ml/gbdt/model.js';
import { runCli } from '../../support/cli.js';
import { tempDir } from '../../support/fs.js';
import { syntheticData } from './synthetic.js';

const tmp = tempDir('qf-gbdt-cli-');
afterAll(() => tmp.cleanup());

describe('numeric CSV', () => {
  it('reads labels, empty and nan as missing, CRLF, exponents; values as float32', () => {
    const p = join(tmp.dir, 'a.csv');
    writeFileSync(p, '1,0.1,,3\r\n0,nan,-2.5e-3,NaN\n\n1,1e3,+4,0.30000001\n');
    const d = readNumericCsv(p, { hasLabel: true, chunkSize: 7 });
    expect(Array.from(d.label!)).toEqual([1, 0, 1]);
    expect(d.x.ncol).toBe(3);
    const v = Array.from(d.x.data);
    expect(v[0]).toBe(Math.fround(0.1));
    expect(Number.isNaN(v[1])).toBe(true);
    expect(v[2]).toBe(3);
    expect(Number.isNaN(v[3])).toBe(true);
    expect(v[4]).toBe(Math.fround(-2.5e-3));
    expect(Number.isNaN(v[5])).toBe(true);
    expect(v.slice(6)).toEqual([1000, 4, Math.fround(0.30000001)]);
  });

  it('points at file:line:col for a bad field and a ragged row', () => {
    const p = join(tmp.dir, 'bad.csv');
    writeFileSync(p, '1,2,3\n0,4,x5\n');
    expect(() => readNumericCsv(p, { hasLabel: true })).toThrow(/not a number: "x5"/);
    try {
      readNumericCsv(p, { hasLabel: true });
    } catch (e) {
      expect((e as { oneLine(): string }).oneLine()).toBe(`${p}:2:5: not a number: "x5"`);
    }
    writeFileSync(p, '1,2,3\n0,4\n');
    expect(() => readNumericCsv(p, { hasLabel: true })).toThrow(/expected 3 fields, got 2/);
  });

  it('writes float32 values that read back exactly', () => {
    const s = syntheticData(200, 3, { missing: 0.2 });
    const p = join(tmp.dir, 'rt.csv');
    writeNumericCsv(p, s.x, s.y);
    const d = readNumericCsv(p, { hasLabel: true });
    expect(Array.from(d.label!)).toEqual(Array.from(s.y));
    expect(Array.from(d.x.data).map(String)).toEqual(Array.from(s.x.data).map(String));
    expect(formatFloat32(Math.fround(0.1))).toBe('0.1');
  });
});

describe('quantflow gbdt', () => {
  const train = syntheticData(3000, 31, { missing: 0.1, noise: 0.02 });
  const valid = syntheticData(1000, 32, { missing: 0.1, noise: 0.02 });
  const trainCsv = join(tmp.dir, 'train.csv');
  const validCsv = join(tmp.dir, 'validation.csv');
  const modelPath = join(tmp.dir, 'model.json');
  const predPath = join(tmp.dir, 'pred.csv');
  writeNumericCsv(trainCsv, train.x, train.y);
  writeNumericCsv(validCsv, valid.x, valid.y);

  it('train --json reports rounds, seconds and validation logloss/AUC and writes XGBoost JSON', () => {
    const r = runCli(['gbdt', 'train', '--train', trainCsv, '--validation', validCsv, '--num-round', '60', '--seed', '3', '--out', modelPath, '--json']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.rounds).toBe(60);
    expect(doc.seconds).toBeGreaterThan(0);
    expect(doc.validation.auc).toBeGreaterThan(0.9);
    expect(doc.validation.logloss).toBeLessThan(0.4);
    const model = loadXgboostJson(modelPath);
    expect(model.trees).toHaveLength(60);
    expect(model.params?.seed).toBe(3);
  });

  it('predict writes one probability per row, in order, equal to the library', () => {
    const r = runCli(['gbdt', 'predict', '--model', modelPath, '--data', validCsv, '--has-label', '--out', predPath]);
    expect(r.status).toBe(0);
    const lines = readFileSync(predPath, 'utf8').trim().split('\n').map(Number);
    expect(lines).toHaveLength(1000);
    const expected = predict(loadXgboostJson(modelPath), valid.x);
    lines.forEach((v, i) => expect(v).toBe(expected[i]));
  });

  it('fails with exit 2 and one line for bad input', () => {
    const bad = join(tmp.dir, 'bad.csv');
    writeFileSync(bad, '1,0.5\n1,zz\n');
    let r = runCli(['gbdt', 'train', '--train', bad, '--out', join(tmp.dir, 'x.json')]);
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toBe(`quantflow: ${bad}:2:3: not a number: "zz"`);
    r = runCli(['gbdt', 'predict', '--model', modelPath, '--data', validCsv, '--out', predPath]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/add --has-label/);
    r = runCli(['gbdt', 'train', '--train', trainCsv, '--out', join(tmp.dir, 'y.json'), '--eta', 'fast']);
    expect(r.status).toBe(2);
    r = runCli(['gbdt', 'train', '--train', trainCsv, '--out', join(tmp.dir, 'y.json'), '--early-stopping-rounds', '5']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/validation/);
    r = runCli(['gbdt', 'predict', '--model', join(tmp.dir, 'missing.json'), '--data', validCsv, '--has-label', '--out', predPath]);
    expect(r.status).toBe(2);
    expect(r.stderr.split('\n').filter(Boolean)).toHaveLength(1);
  });
});
