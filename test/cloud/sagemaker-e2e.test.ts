/**
 * The SageMaker side of quantflow end to end, as a user runs it: `sagemaker pipeline deploy`
 * (create, then update) and then the whole workflows/sagemaker/run_system.yaml — the demo market
 * downloaded and analysed locally, the datasets built straight to S3 (s3rver), the StockPipeline
 * executed by the Pipelines emulator, picks read back from the transform output — ending with picks
 * in the store under the execution's model id. Everything goes through the real SDK clients over
 * HTTP on 127.0.0.1. When the emulator's execution succeeds, its hook does what SageMaker's steps
 * would with this definition: it runs our generated StockProcess script (python3) on the datasets
 * the workflow uploaded, scores each prepared inference row with a function the test knows, and
 * writes `<date>$<code>,prediction` lines (the transform's InputFilter/JoinSource/OutputFilter) to
 * the OutputPrefix parameter's prefix.
 * The same deploy runs against moto when the pyenv python3 has it; otherwise that part says so and
 * is skipped (the suite passes without moto).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DescribePipelineCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { makeS3Client } from '../../src/cloud/s3.js';
import { buildPipelineDefinition } from '../../src/cloud/sagemaker/pipeline-definition.js';
import { PREPROCESS_PY } from '../../src/cloud/sagemaker/scripts/preprocess.js';
import { SageMakerEmulator, type EmulatedExecution } from '../support/sagemaker-emulator.js';
import { startS3Server, type S3TestServer } from '../support/s3-server.js';
import { runCliAsync } from '../support/cli.js';
import { repoRoot, tempDir } from '../support/fs.js';

const BUCKET = 'qf-e2e';
const ROLE = 'arn:aws:iam::123456789012:role/SageMakerRole';

/** The test's stand-in for the trained model: a fixed score per row, known to the test. */
function score(index: string): number {
  let h = 2166136261;
  for (let i = 0; i < index.length; i++) h = Math.imul(h ^ index.charCodeAt(i), 16777619) >>> 0;
  return Math.round((h / 2 ** 32) * 1e6) / 1e6;
}

function runAsync(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ status: number; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ status: code ?? -1, stderr }));
  });
}

async function getText(client: S3Client, uri: string): Promise<string> {
  const m = /^s3:\/\/([^/]+)\/(.*)$/.exec(uri)!;
  const out = await client.send(new GetObjectCommand({ Bucket: m[1], Key: m[2] }));
  return out.Body!.transformToString();
}

describe('workflows/sagemaker/run_system.yaml end to end', () => {
  const emu = new SageMakerEmulator();
  const tmp = tempDir('qf-sme2e-');
  let s3: S3TestServer;
  let env: Record<string, string>;
  const expected: { index: string; score: number }[] = [];

  beforeAll(async () => {
    await emu.start();
    s3 = await startS3Server([BUCKET]);
    Object.assign(process.env, s3.env); // the hook's own S3 client
    env = { ...emu.env, ...s3.env, QUANTFLOW_DB: join(tmp.dir, 'market.db'), QUANTFLOW_SAGEMAKER_POLL_MS: '50' };
    emu.plan = {
      steps: ['StockProcess', 'StockTrain', 'StockModel', 'StockEval', 'StockInference'].map((name) => ({ name, ms: 40 })),
      onSucceeded: (e) => emulateSteps(e),
    };
  });
  afterAll(async () => {
    await emu.close();
    await s3.close();
    tmp.cleanup();
  });

  /** StockProcess for real (our script, python3) on what the workflow uploaded, then the transform's output. */
  async function emulateSteps(e: EmulatedExecution): Promise<void> {
    const param = (name: string) => e.parameters.find((p) => p.Name === name)?.Value ?? '';
    const client = makeS3Client(s3.env);
    const base = join(tmp.dir, 'processing');
    mkdirSync(join(base, 'input/train'), { recursive: true });
    mkdirSync(join(base, 'input/inference'), { recursive: true });
    writeFileSync(join(base, 'input/train/train.csv'), await getText(client, param('InputData')));
    writeFileSync(join(base, 'input/inference/inference.csv'), await getText(client, param('InferenceData')));
    writeFileSync(join(base, 'preprocess.py'), PREPROCESS_PY);
    const r = await runAsync('python3', [join(base, 'preprocess.py')], { ...process.env, QF_PROCESSING_BASE: base });
    if (r.status !== 0) throw new Error(`StockProcess failed: ${r.stderr}`);
    const lines: string[] = [];
    for (const row of readFileSync(join(base, 'inference/inference.csv'), 'utf8').trim().split('\n')) {
      const index = row.split(',')[0]!; // the model sees $[1:]; the output joins the input and keeps $[0,-1]
      expected.push({ index, score: score(index) });
      lines.push(`${index},${score(index)}`);
    }
    const out = param('OutputPrefix').replace(/^s3:\/\/[^/]+\//, '');
    await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: `${out}inference.csv.out`, Body: lines.join('\n') + '\n' }));
    client.destroy();
  }

  it('pipeline deploy creates, then updates, the StockPipeline in the emulator', async () => {
    const args = ['sagemaker', 'pipeline', 'deploy', '--name', 'StockPipeline', '--role-arn', ROLE, '--bucket', BUCKET, '--region', 'us-east-1'];
    const a = await runCliAsync([...args, '--json'], { env });
    expect(a.status, a.stderr).toBe(0);
    expect(JSON.parse(a.stdout).action).toBe('created');
    const b = await runCliAsync([...args, '--json'], { env });
    expect(b.status, b.stderr).toBe(0);
    expect(JSON.parse(b.stdout).action).toBe('updated');
    expect([emu.count('CreatePipeline'), emu.count('UpdatePipeline')]).toEqual([1, 1]);
    expect(JSON.parse(emu.pipelines.get('StockPipeline')!.definition)).toEqual(buildPipelineDefinition({ bucket: BUCKET, region: 'us-east-1', roleArn: ROLE }));
  });

  it('runs the whole system and ends with picks under the execution model id', { timeout: 400_000 }, async () => {
    const run = await runCliAsync(['run', join(repoRoot, 'workflows/sagemaker/run_system.yaml'), '--param', `bucket=${BUCKET}`, '--param', 'limit=80', '--json'], { env, timeoutMs: 380_000 });
    expect(run.status, `${run.stdout.slice(-3000)}\n${run.stderr.slice(-3000)}`).toBe(0);
    const summary = JSON.parse(run.stdout);
    expect(summary.state).toBe('SUCCESS');
    expect(summary.tasks.map((t: { name: string; state: string }) => `${t.name}:${t.state}`)).toEqual([
      'prepare_datas:SUCCESS',
      'train_model_sagemaker:SUCCESS',
      'recommend_stock_sagemaker:SUCCESS',
    ]);

    // The SageMaker task started one execution with the workflow's parameters, substituted.
    const starts = emu.calls.filter((c) => c.op === 'StartPipelineExecution');
    expect(starts).toHaveLength(1);
    expect(starts[0]!.body.PipelineParameters).toEqual([
      { Name: 'InputData', Value: `s3://${BUCKET}/stock_in/train.csv` },
      { Name: 'InferenceData', Value: `s3://${BUCKET}/stock_in/inference.csv` },
      { Name: 'OutputPrefix', Value: `s3://${BUCKET}/stock_out/` },
    ]);
    const exec = [...emu.executions.values()][0]!;
    expect(exec.status).toBe('Succeeded');

    // The picks: the latest date's top 10 of the predictions the hook wrote, under the execution's model id.
    expect(expected.length).toBeGreaterThan(0);
    const modelId = `sagemaker:StockPipeline:${exec.arn.split('/').pop()}`;
    const picks = JSON.parse((await runCliAsync(['picks', '--json', '--model', modelId], { env })).stdout) as { code: string; rank: number; score: number; date: string; modelId: string }[];
    const want = [...expected].sort((x, y) => y.score - x.score || (x.index < y.index ? -1 : 1)).slice(0, 10);
    expect(picks.map((p) => `${p.date}$${p.code}`)).toEqual(want.map((w) => w.index));
    expect(picks.map((p) => p.score)).toEqual(want.map((w) => w.score));
    expect(picks.every((p) => p.modelId === modelId)).toBe(true);
    const model = JSON.parse((await runCliAsync(['model', 'show', modelId, '--json'], { env })).stdout);
    expect(model).toMatchObject({ id: modelId, source: 'sagemaker', origin: { pipeline: 'StockPipeline', executionArn: exec.arn } });
  });
});

function motoAvailable(): boolean {
  return spawnSync('python3', ['-c', 'import moto'], { stdio: 'ignore' }).status === 0;
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

const hasMoto = motoAvailable();
if (!hasMoto) console.log('SKIPPED: moto is not importable by python3 here; pipeline deploy was checked against the emulator only');

describe.skipIf(!hasMoto)('pipeline deploy against moto', () => {
  let moto: ChildProcess;
  let url = '';
  const env = () => ({ AWS_ENDPOINT_URL: url, AWS_ENDPOINT_URL_S3: url, AWS_ENDPOINT_URL_SAGEMAKER: url, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_REGION: 'us-east-1', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' });

  beforeAll(async () => {
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    moto = spawn('python3', ['-m', 'moto.server', '-H', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
    const t0 = Date.now();
    for (;;) {
      try {
        if ((await fetch(`${url}/moto-api/`)).ok) break;
      } catch {
        // not up yet
      }
      if (Date.now() - t0 > 30_000) throw new Error('moto did not start');
      await new Promise((r) => setTimeout(r, 100));
    }
    Object.assign(process.env, { AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test' });
    const s3 = makeS3Client(env());
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
    s3.destroy();
  }, 40_000);
  afterAll(() => {
    moto?.kill();
  });

  it('creates, then updates, and moto holds the generated definition', async () => {
    const args = ['sagemaker', 'pipeline', 'deploy', '--role-arn', ROLE, '--bucket', BUCKET, '--json'];
    const a = await runCliAsync(args, { env: env() });
    expect(a.status, a.stderr).toBe(0);
    expect(JSON.parse(a.stdout).action).toBe('created');
    const b = await runCliAsync([...args, '--instance-type', 'ml.m5.2xlarge'], { env: env() });
    expect(b.status, b.stderr).toBe(0);
    expect(JSON.parse(b.stdout).action).toBe('updated');
    const sm = new SageMakerClient({ region: 'us-east-1', endpoint: url, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
    const d = await sm.send(new DescribePipelineCommand({ PipelineName: 'StockPipeline' }));
    sm.destroy();
    expect(JSON.parse(d.PipelineDefinition!)).toEqual(buildPipelineDefinition({ bucket: BUCKET, region: 'us-east-1', roleArn: ROLE, instanceType: 'ml.m5.2xlarge' }));
  });
});
