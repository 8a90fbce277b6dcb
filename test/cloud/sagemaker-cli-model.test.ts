/**
 * `quantflow sagemaker model import`: SageMaker's model.tar.gz brought back into the registry. A JSON
 * model (made here by quantflow's own trainer, packed as SageMaker packs it) is registered and scores;
 * the formats quantflow cannot read (XGBoost binary, pickle) get one clear line.
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
    if (xgb) {
      // What the 1.7-1 container really writes: Booster.save_model("xgboost-model") with XGBoost 1.7.
      const py = spawnSync(xgb.python, ['-c', 'import sys, numpy as np, xgboost as x; X = np.arange(60.0).reshape(20, 3); b = x.train({"objective": "binary:logistic"}, x.DMatrix(X, label=(X[:, 0] > 30).astype(float)), 2); b.save_model(sys.argv[1])', join(tmp.dir, 'real.model')], { encoding: 'utf8' });
      expect(py.status, py.stderr).toBe(0);
      pack(join(tmp.dir, 'real'), join(tmp.dir, 'real.model'), 'xgboost-model');
    }
    s3 = await startS3Server([BUCKET]);
    Object.assign(process.env, s3.env);
    const c = makeS3Client(s3.env);
    await c.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'stock_pipeline/model/job-1/output/model.tar.gz', Body: readFileSync(tarJson) }));
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
    ['bin.tar.gz', /not XGBoost JSON but XGBoost's binary format .* b\.save_model\("model\.json"\)/],
    ['pkl.tar.gz', /Python pickle \(XGBoost container 1\.2 or older\)/],
    ['other.tar.gz', /no xgboost-model inside \(found: model\.bin\)/],
  ])('explains on one line why %s cannot be read', async (file, message) => {
    const r = await runCliAsync(['sagemaker', 'model', 'import', join(tmp.dir, file), '--id', 'x'], { env });
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(message);
  });

  it.skipIf(!xgb)('explains that a model saved by Python XGBoost (as the container saves it) needs converting', async () => {
    const r = await runCliAsync(['sagemaker', 'model', 'import', join(tmp.dir, 'real.tar.gz'), '--id', 'x'], { env });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/XGBoost's binary format \(what container 1\.7-1 writes\)/);
  });

  it('sniffs the formats by their first bytes', () => {
    expect(sniffModelFormat(Buffer.from('{"learner":{}}'))).toBe('json');
    expect(sniffModelFormat(Buffer.from('{L\x00\x00'))).toBe('ubjson');
    expect(sniffModelFormat(Buffer.from('binf\x00'))).toBe('binary');
    expect(sniffModelFormat(Buffer.from([0x80, 0x04, 0x95]))).toBe('pickle');
  });
});
