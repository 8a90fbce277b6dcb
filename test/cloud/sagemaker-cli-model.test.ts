/**
 * `quantflow sagemaker model import`: SageMaker's model.tar.gz brought back into the registry. A JSON
 * model (made here by quantflow's own trainer, packed as SageMaker packs it) is registered and scores;
 * so does XGBoost's legacy binary `xgboost-model`, what the 1.7-1 container writes (made at test time
 * by Python xgboost 1.7, a reference only), imported from S3 and scored by `recommend` as xgboost
 * scores it. The formats quantflow cannot read (pickle, a corrupt binary, junk) get one clear line.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { makeS3Client } from '../../src/cloud/s3.js';
import { sniffModelFormat } from '../../src/cloud/sagemaker/model-artifact.js';
import { startS3Server, type S3TestServer } from '../support/s3-server.js';
import { binPath, tempDir } from '../support/fs.js';
import { runCliAsync } from '../support/cli.js';
import { findXgboostPython } from '../support/xgboost.js';

const BUCKET = 'qf-sm-model';

const REAL_PY = `
import os, sys, numpy as np, xgboost as xgb
out = sys.argv[1]
r = np.random.default_rng(5)
def rows(n):
    X = r.normal(size=(n, 4)).astype(np.float32); X[:, 0] = 1.0
    logit = X[:, 1] - 0.7 * X[:, 2] + 0.5 * X[:, 3] * X[:, 1] + 0.3 * r.normal(size=n)
    m = r.random(n) < 0.25; logit[m] += 1.0; X[m, 1] = np.nan
    X[r.random((n, 4)) < 0.08] = np.nan; X[:, 0] = 1.0
    return X, (logit > 0).astype(np.float32)
X, y = rows(400)
b = xgb.train(dict(objective='binary:logistic', max_depth=4, eta=0.2, gamma=1, min_child_weight=6, subsample=0.8,
                   base_score=0.4, seed=1, nthread=1), xgb.DMatrix(X, label=y, missing=np.nan), 30)
b.save_model(os.path.join(out, 'real.model'))
T, _ = rows(120)
p = b.predict(xgb.DMatrix(T, missing=np.nan))
f = lambda v: '' if np.isnan(v) else repr(float(v))
with open(os.path.join(out, 'infer.csv'), 'w') as fh:
    fh.write(',buy,f1,f2,f3\\n')
    for i, row in enumerate(T):
        fh.write('2024-03-01$SZ%06d,' % i + ','.join(f(v) for v in row) + '\\n')
with open(os.path.join(out, 'infer.pred'), 'w') as fh:
    fh.write('\\n'.join('SZ%06d %.9g' % (i, v) for i, v in enumerate(p)) + '\\n')
`;
const xgb = findXgboostPython();

describe('quantflow sagemaker model import', () => {
  const tmp = tempDir('qf-smmodel-');
  let s3: S3TestServer;
  let env: Record<string, string>;
  const pack = (dir: string, file: string, name: string) => {
    mkdirSync(dir, { recursive: true });
    copyFileSync(file, join(dir, name));
    const out = `${dir}.tar.gz`;
    expect(spawnSync('tar', ['czf', out, '-C', dir, name]).status).toBe(0);
    return out;
  };

  beforeAll(async () => {
    // Train a small model with quantflow's trainer on a label-first CSV, as the container would.
    const rows: string[] = [];
    for (let i = 0; i < 300; i++) {
      const a = (i * 37) % 101;
      const b = (i * 53) % 89;
      rows.push(`${a + b > 95 ? 1 : 0},${a},${b}`);
    }
    writeFileSync(join(tmp.dir, 'train.csv'), rows.join('\n') + '\n');
    const r = spawnSync(process.execPath, [binPath, 'gbdt', 'train', '--train', join(tmp.dir, 'train.csv'), '--out', join(tmp.dir, 'model.json'), '--num-round', '7'], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    writeFileSync(join(tmp.dir, 'binary.model'), Buffer.concat([Buffer.from('binf'), Buffer.alloc(64, 1)]));
    writeFileSync(join(tmp.dir, 'pickle.model'), Buffer.from([0x80, 0x04, 0x95, 0x10, 0, 0, 0]));
    const tarJson = pack(join(tmp.dir, 'json'), join(tmp.dir, 'model.json'), 'xgboost-model');
    pack(join(tmp.dir, 'bin'), join(tmp.dir, 'binary.model'), 'xgboost-model');
    pack(join(tmp.dir, 'pkl'), join(tmp.dir, 'pickle.model'), 'xgboost-model');
    pack(join(tmp.dir, 'other'), join(tmp.dir, 'model.json'), 'model.bin');
    writeFileSync(join(tmp.dir, 'junk.model'), 'this is not a model at all, just some text that is long enough to be read as one.\n'.repeat(4));
    pack(join(tmp.dir, 'junk'), join(tmp.dir, 'junk.model'), 'xgboost-model');
    if (xgb) {
      // What the 1.7-1 container really writes: Booster.save_model("xgboost-model") with XGBoost 1.7,
      // here on [buy, f1, f2, f3] with missing values; xgboost's own predictions on the inference rows.
      const py = spawnSync(xgb.python, ['-c', REAL_PY, tmp.dir], { encoding: 'utf8' });
      expect(py.status, py.stderr).toBe(0);
      pack(join(tmp.dir, 'real'), join(tmp.dir, 'real.model'), 'xgboost-model');
    }
    s3 = await startS3Server([BUCKET]);
    Object.assign(process.env, s3.env);
    const c = makeS3Client(s3.env);
    await c.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'stock_pipeline/model/job-1/output/model.tar.gz', Body: readFileSync(tarJson) }));
    if (xgb) await c.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'stock_pipeline/model/job-2/output/model.tar.gz', Body: readFileSync(join(tmp.dir, 'real.tar.gz')) }));
    c.destroy();
    env = { ...s3.env, QUANTFLOW_DB: join(tmp.dir, 'q.db') };
  });
  afterAll(async () => {
    await s3.close();
    tmp.cleanup();
  });

  it('registers a JSON model from model.tar.gz on S3, which then scores like the original', async () => {
    const id = 'sagemaker:StockPipeline:abc123';
    const r = await runCliAsync(['sagemaker', 'model', 'import', `s3://${BUCKET}/stock_pipeline/model/job-1/output/model.tar.gz`, '--id', id, '--json'], { env });
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ modelId: id, format: 'json', trees: 7 });
    const show = JSON.parse((await runCliAsync(['model', 'show', id, '--json'], { env })).stdout);
    expect(show).toMatchObject({ id, source: 'sagemaker', origin: { artifact: `s3://${BUCKET}/stock_pipeline/model/job-1/output/model.tar.gz` } });
    const exported = join(tmp.dir, 'exported.json');
    expect((await runCliAsync(['model', 'export', id, '--out', exported], { env })).status).toBe(0);
    const predict = async (model: string, out: string) => {
      const r = await runCliAsync(['gbdt', 'predict', '--model', model, '--data', join(tmp.dir, 'train.csv'), '--has-label', '--out', out], { env });
      expect(r.status, r.stderr).toBe(0);
      return readFileSync(out, 'utf8');
    };
    const original = await predict(join(tmp.dir, 'model.json'), join(tmp.dir, 'p1.csv'));
    expect(original.trim().split('\n')).toHaveLength(300);
    expect(await predict(exported, join(tmp.dir, 'p2.csv'))).toBe(original);
  });

  it.each([
    ['bin.tar.gz', 2, /bin\.tar\.gz!xgboost-model:4: truncated in the learner parameters \(136 bytes needed, 64 left, file size 68\)\n$/],
    ['junk.tar.gz', 2, /not a model format quantflow knows \(XGBoost JSON, XGBoost binary, UBJSON or a pickle\); read as XGBoost binary: .*junk\.tar\.gz!xgboost-model:\d+: /],
    ['pkl.tar.gz', 1, /Python pickle \(XGBoost container 1\.2 or older\)/],
    ['other.tar.gz', 1, /no xgboost-model inside \(found: model\.bin\)/],
  ])('explains on one line why %s cannot be read', async (file, status, message) => {
    const r = await runCliAsync(['sagemaker', 'model', 'import', join(tmp.dir, file), '--id', 'x'], { env });
    expect(r.status).toBe(status);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(message);
  });

  it.skipIf(!xgb)('imports the binary xgboost-model the 1.7-1 container writes, from S3, and recommend scores as xgboost does (1e-6)', async () => {
    const id = 'sagemaker:StockPipeline:exec-bin';
    const uri = `s3://${BUCKET}/stock_pipeline/model/job-2/output/model.tar.gz`;
    const r = await runCliAsync(['sagemaker', 'model', 'import', uri, '--id', id, '--json'], { env });
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ modelId: id, format: 'binary', trees: 30 });
    const show = JSON.parse((await runCliAsync(['model', 'show', id, '--json'], { env })).stdout);
    expect(show).toMatchObject({ id, source: 'sagemaker', origin: { artifact: uri, format: 'binary' } });

    const rec = await runCliAsync(['recommend', '--model', id, '--data', join(tmp.dir, 'infer.csv'), '--top', '10', '--json'], { env });
    expect(rec.status, rec.stderr).toBe(0);
    const picks = (JSON.parse(rec.stdout) as { picks: { code: string; score: number; rank: number }[] }).picks;
    const want = readFileSync(join(tmp.dir, 'infer.pred'), 'utf8').trim().split('\n').map((l) => {
      const [code, p] = l.split(' ');
      return { code: code!, score: Number(p) };
    });
    want.sort((a, b) => b.score - a.score || (a.code < b.code ? -1 : 1));
    expect(picks).toHaveLength(10);
    picks.forEach((p, i) => {
      expect(p.code).toBe(want[i]!.code);
      expect(Math.abs(p.score - want[i]!.score)).toBeLessThan(1e-6);
    });

    // the same file read directly by gbdt predict, and the registered JSON exported, score the same
    const exported = join(tmp.dir, 'exported-bin.json');
    expect((await runCliAsync(['model', 'export', id, '--out', exported], { env })).status).toBe(0);
    const rows = readFileSync(join(tmp.dir, 'infer.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(',').slice(1).join(','));
    writeFileSync(join(tmp.dir, 'infer-x.csv'), rows.join('\n') + '\n');
    const outs: string[] = [];
    for (const model of [join(tmp.dir, 'real.model'), exported]) {
      const out = join(tmp.dir, `p-${outs.length}.csv`);
      const g = await runCliAsync(['gbdt', 'predict', '--model', model, '--data', join(tmp.dir, 'infer-x.csv'), '--out', out], { env });
      expect(g.status, g.stderr).toBe(0);
      outs.push(readFileSync(out, 'utf8'));
    }
    expect(outs[1]).toBe(outs[0]);
    const direct = outs[0]!.trim().split('\n').map(Number);
    expect(direct).toHaveLength(120);
    const byCode = readFileSync(join(tmp.dir, 'infer.pred'), 'utf8').trim().split('\n').map((l) => Number(l.split(' ')[1]));
    for (let i = 0; i < 120; i++) expect(Math.abs(direct[i]! - byCode[i]!)).toBeLessThan(1e-6);
  });

  it('sniffs the formats by their first bytes', () => {
    expect(sniffModelFormat(Buffer.from('{"learner":{}}'))).toBe('json');
    expect(sniffModelFormat(Buffer.from('{L\x00\x00'))).toBe('ubjson');
    expect(sniffModelFormat(Buffer.from('binf\x00'))).toBe('binary');
    expect(sniffModelFormat(Buffer.from([0x80, 0x04, 0x95]))).toBe('pickle');
  });
});
