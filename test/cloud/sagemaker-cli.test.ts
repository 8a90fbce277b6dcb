/**
 * `quantflow sagemaker ...` and `quantflow recommend --from` as a user runs them: the built CLI in a
 * child process, the real SDK clients over HTTP to s3rver and the Pipelines emulator on 127.0.0.1.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { makeS3Client } from '../../src/cloud/s3.js';
import { buildPipelineDefinition } from '../../src/cloud/sagemaker/pipeline-definition.js';
import { PREPROCESS_PY } from '../../src/cloud/sagemaker/scripts/preprocess.js';
import { SageMakerEmulator } from '../support/sagemaker-emulator.js';
import { startS3Server, type S3TestServer } from '../support/s3-server.js';
import { runCliAsync } from '../support/cli.js';
import { binPath, tempDir } from '../support/fs.js';

const BUCKET = 'qf-sm-cli';
const ROLE = 'arn:aws:iam::123456789012:role/SageMakerRole';

describe('quantflow sagemaker', () => {
  const emu = new SageMakerEmulator();
  const tmp = tempDir('qf-smcli-');
  let s3: S3TestServer;
  let env: Record<string, string>;
  let request: string;

  beforeAll(async () => {
    await emu.start();
    s3 = await startS3Server([BUCKET]);
    env = { ...emu.env, ...s3.env, QUANTFLOW_DB: join(tmp.dir, 'q.db'), QUANTFLOW_SAGEMAKER_POLL_MS: '30' };
    Object.assign(process.env, s3.env); // this test process's own S3 client (reads back what the CLI uploaded)
    request = join(tmp.dir, 'request.json');
    writeFileSync(
      request,
      JSON.stringify({ PipelineName: 'StockPipeline', PipelineParameters: [{ Name: 'InputData', Value: '${input}' }, { Name: 'OutputPrefix', Value: 's3://${bucket}/stock_out/' }] }),
    );
  });
  afterAll(async () => {
    await emu.close();
    await s3.close();
    tmp.cleanup();
  });
  beforeEach(() => {
    emu.plan = { steps: [{ name: 'StockProcess', ms: 30 }, { name: 'StockTrain', ms: 30 }] };
  });

  const cli = (args: string[], extra: Record<string, string> = {}) => runCliAsync(args, { env: { ...env, ...extra } });

  it('pipeline deploy creates the pipeline, uploads the scripts, then updates it', async () => {
    const args = ['sagemaker', 'pipeline', 'deploy', '--name', 'StockPipeline', '--role-arn', ROLE, '--bucket', BUCKET, '--region', 'us-east-1'];
    const first = await cli(args);
    expect(first.status, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/^created pipeline StockPipeline \(arn:aws:sagemaker:us-east-1:123456789012:pipeline\/stockpipeline\)/);
    expect(first.stdout).toContain('StockProcess -> StockTrain -> StockModel -> StockEval -> StockInference');
    const stored = emu.pipelines.get('StockPipeline')!;
    expect(stored.roleArn).toBe(ROLE);
    expect(JSON.parse(stored.definition)).toEqual(buildPipelineDefinition({ bucket: BUCKET, region: 'us-east-1', roleArn: ROLE }));
    const client = makeS3Client(s3.env);
    const script = await client.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'stock_pipeline/code/preprocess.py' }));
    expect(await script.Body!.transformToString()).toBe(PREPROCESS_PY);
    client.destroy();

    const second = await cli([...args, '--instance-type', 'ml.c5.xlarge', '--json']);
    expect(second.status, second.stderr).toBe(0);
    expect(JSON.parse(second.stdout).action).toBe('updated');
    expect(emu.count('CreatePipeline')).toBe(1);
    expect(emu.count('UpdatePipeline')).toBe(1);
    expect(stored.version).toBe(2);
    expect(JSON.parse(stored.definition).Parameters.find((p: { Name: string }) => p.Name === 'TrainingInstanceType').DefaultValue).toBe('ml.c5.xlarge');

    const show = await cli(['sagemaker', 'pipeline', 'show', 'StockPipeline']);
    expect(show.status, show.stderr).toBe(0);
    expect(show.stdout).toMatch(/StockInference \(Transform\)/);
    expect(show.stdout).toMatch(/OutputPrefix \(String\) = s3:\/\/qf-sm-cli\/stock_out\//);
  });

  it('start substitutes --param values, waits, and exits 0 on Succeeded', async () => {
    const r = await cli(['sagemaker', 'start', '--request', request, '--param', 'input=s3://qf-sm-cli/stock_in/train.csv', '--param', `bucket=${BUCKET}`]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Succeeded\n$/);
    expect(r.stderr).toMatch(/step StockTrain: Succeeded/);
    const start = emu.calls.filter((c) => c.op === 'StartPipelineExecution').at(-1)!;
    expect(start.body.PipelineParameters).toEqual([
      { Name: 'InputData', Value: 's3://qf-sm-cli/stock_in/train.csv' },
      { Name: 'OutputPrefix', Value: 's3://qf-sm-cli/stock_out/' },
    ]);
  });

  it('exits 1 with the failing step reason when the execution fails', async () => {
    emu.plan = { steps: [{ name: 'StockProcess', ms: 20 }, { name: 'StockTrain', ms: 20, failureReason: 'AlgorithmError: label column has 3 classes' }] };
    const r = await cli(['sagemaker', 'start', '--request', request, '--param', 'input=x', '--param', 'bucket=b']);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/Failed: .*AlgorithmError: label column has 3 classes/);
  });

  it('--no-wait prints the ARN; status, executions and stop work on it', async () => {
    emu.plan = { steps: [{ name: 'StockTrain', ms: 60_000 }] };
    const r = await cli(['sagemaker', 'start', '--request', request, '--no-wait']);
    expect(r.status, r.stderr).toBe(0);
    const arn = r.stdout.trim();
    expect(arn).toMatch(/^arn:aws:sagemaker:us-east-1:123456789012:pipeline\/stockpipeline\/execution\/\w+$/);
    const status = await cli(['sagemaker', 'status', arn, '--json']);
    expect(status.status, status.stderr).toBe(0);
    const s = JSON.parse(status.stdout);
    expect(s.status).toBe('Executing');
    expect(s.steps.map((x: { name: string; status: string }) => `${x.name}:${x.status}`)).toEqual(['StockTrain:Executing']);
    const list = await cli(['sagemaker', 'executions', 'StockPipeline', '--json']);
    expect(JSON.parse(list.stdout)[0]).toMatchObject({ arn, status: 'Executing' });
    const stop = await cli(['sagemaker', 'stop', arn]);
    expect(stop.status, stop.stderr).toBe(0);
    expect(stop.stdout).toMatch(/Stopp(ing|ed)\n$/);
    expect(emu.executions.get(arn)!.status).toMatch(/Stopp(ing|ed)/);
  });

  it('SIGTERM while waiting stops the execution and exits 130', async () => {
    emu.plan = { steps: [{ name: 'StockTrain', ms: 60_000 }] };
    const stops = emu.count('StopPipelineExecution');
    const child = spawn(process.execPath, [binPath, 'sagemaker', 'start', '--request', request], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const t0 = Date.now();
    while (!/step StockTrain: Executing/.test(stderr)) {
      if (Date.now() - t0 > 20_000) throw new Error(`never saw the step: ${stderr}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    child.kill('SIGTERM');
    const code = await new Promise<number | null>((r) => child.once('exit', r));
    expect(code).toBe(130);
    expect(emu.count('StopPipelineExecution')).toBe(stops + 1);
    const arn = emu.calls.filter((c) => c.op === 'StopPipelineExecution').at(-1)!.body.PipelineExecutionArn as string;
    expect(emu.executions.get(arn)!.status).toBe('Stopped');
  });

  it('reports a missing pipeline on one line, without any credential', async () => {
    const r = await cli(['sagemaker', 'pipeline', 'show', 'NoSuchPipeline']);
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/DescribePipeline NoSuchPipeline: ResourceNotFound/);
    expect(r.stdout + r.stderr).not.toContain(env.AWS_SECRET_ACCESS_KEY);
    const bad = await cli(['sagemaker', 'start', '--request', join(tmp.dir, 'missing.json')]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/cannot read .*missing\.json: ENOENT/);
  });
});

describe('quantflow recommend --from s3://', () => {
  const emu = new SageMakerEmulator();
  const tmp = tempDir('qf-smpicks-');
  let s3: S3TestServer;
  let env: Record<string, string>;

  beforeAll(async () => {
    await emu.start();
    s3 = await startS3Server([BUCKET]);
    env = { ...emu.env, ...s3.env, QUANTFLOW_DB: join(tmp.dir, 'q.db') };
    Object.assign(process.env, s3.env); // this test process's own S3 client (puts the transform output)
  });
  afterAll(async () => {
    await emu.close();
    await s3.close();
    tmp.cleanup();
  });

  const put = async (key: string, body: string) => {
    const c = makeS3Client(s3.env);
    await c.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: body }));
    c.destroy();
  };

  it('stores the latest date top N from the transform output under the latest Succeeded execution', async () => {
    emu.plan = { steps: [{ name: 'StockInference', ms: 10 }] };
    const r0 = await runCliAsync(['sagemaker', 'pipeline', 'deploy', '--role-arn', ROLE, '--bucket', BUCKET], { env });
    expect(r0.status, r0.stderr).toBe(0);
    writeFileSync(join(tmp.dir, 'req.json'), '{"PipelineName":"StockPipeline"}');
    const run = await runCliAsync(['sagemaker', 'start', '--request', join(tmp.dir, 'req.json'), '--poll-ms', '20'], { env });
    expect(run.status, run.stderr).toBe(0);
    const execId = run.stdout.split(' ')[0]!.split('/').pop();
    await put(
      'stock_out/inference.csv.out',
      ['2024-05-30$sh.600000,0.91', '2024-05-31$sh.600000,0.20', '2024-05-31$sz.000001,0.75', '2024-05-31$sh.600519,0.64', '2024-05-31$sz.300750,0.88', ''].join('\n'),
    );
    const r = await runCliAsync(['recommend', '--from', `s3://${BUCKET}/stock_out/`, '--top', '2', '--json'], { env });
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.modelId).toBe(`sagemaker:StockPipeline:${execId}`);
    expect(out.date).toBe('2024-05-31');
    expect(out.picks.map((p: { code: string; rank: number }) => `${p.rank}:${p.code}`)).toEqual(['1:sz.300750', '2:sz.000001']);
    const models = JSON.parse((await runCliAsync(['model', 'list', '--json'], { env })).stdout);
    expect(models.find((m: { id: string }) => m.id === out.modelId)).toMatchObject({ source: 'sagemaker' });
  });

  it("also reads the original's inference.csv (header, prediction column first) from one object", async () => {
    await put('orig/inference.csv', ['prediction,,buy,ma_5', '0.3,2024-06-03$sh.600000,1,0.1', '0.8,2024-06-03$sz.000002,1,0.2', ''].join('\n'));
    const r = await runCliAsync(['recommend', '--from', `s3://${BUCKET}/orig/inference.csv`, '--top', '1', '--json'], { env });
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).picks).toMatchObject([{ code: 'sz.000002', rank: 1, date: '2024-06-03' }]);
  });

  it('names the object and line of a bad output, on one line', async () => {
    await put('bad/part.out', '2024-06-03$sh.600000,0.5\nnot a row\n');
    const r = await runCliAsync(['recommend', '--from', `s3://${BUCKET}/bad/`], { env });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/s3:\/\/qf-sm-cli\/bad\/part\.out:2:1: expected <date>\$<code>,prediction/);
    const none = await runCliAsync(['recommend', '--from', `s3://${BUCKET}/nothing/`], { env });
    expect(none.status).toBe(1);
    expect(none.stderr).toMatch(/no inference output .* under s3:\/\/qf-sm-cli\/nothing\//);
  });
});
