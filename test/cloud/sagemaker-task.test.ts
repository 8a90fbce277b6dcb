/**
 * The SageMaker task type end to end: a workflow file with a SageMaker task runs through the real
 * engine and the real SDK against the Pipelines emulator on 127.0.0.1.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CreatePipelineCommand } from '@aws-sdk/client-sagemaker';
import { makeSageMakerClient, resetSageMakerClient } from '../../src/cloud/sagemaker/client.js';
import { loadWorkflow } from '../../src/workflow/dialect/load.js';
import { openRunStore, startRun } from '../../src/workflow/runner/index.js';
import { SageMakerEmulator } from '../support/sagemaker-emulator.js';
import { binPath, tempDir } from '../support/fs.js';
import { runCliAsync } from '../support/cli.js';

const definition = JSON.stringify({ Version: '2020-12-01', Parameters: [{ Name: 'InputData', Type: 'String' }], Steps: [{ Name: 'StockTrain', Type: 'Training', Arguments: {} }] });

describe('the SageMaker task type', () => {
  const emu = new SageMakerEmulator();
  const tmp = tempDir('qf-smtask-');
  let file: string;
  let dbPath: string;

  beforeAll(async () => {
    await emu.start();
    Object.assign(process.env, emu.env, { QUANTFLOW_SAGEMAKER_POLL_MS: '20' });
    resetSageMakerClient();
    const client = makeSageMakerClient();
    await client.send(new CreatePipelineCommand({ PipelineName: 'StockPipeline', PipelineDefinition: definition, RoleArn: 'arn:aws:iam::123456789012:role/r' }));
    client.destroy();
    writeFileSync(join(tmp.dir, 'params.json'), JSON.stringify({ PipelineName: 'StockPipeline', PipelineParameters: [{ Name: 'InputData', Value: '${input}' }] }));
    file = join(tmp.dir, 'sm.yaml');
    writeFileSync(
      file,
      ['workflow:', '  name: sm_train', '  param:', '    input: s3://bucket/train.csv', 'tasks:', '  - name: train', '    task_type: SageMaker', '    sagemaker_request_json: $FILE{"params.json"}', ''].join('\n'),
    );
    dbPath = join(tmp.dir, 'q.db');
  });
  afterAll(async () => {
    resetSageMakerClient();
    await emu.close();
    tmp.cleanup();
  });
  beforeEach(() => {
    emu.plan = { steps: [{ name: 'StockProcess', ms: 40 }, { name: 'StockTrain', ms: 40 }] };
  });

  it('starts the pipeline with substituted params, shows its steps, and succeeds on Succeeded', async () => {
    const h = startRun({ dbPath, bundle: loadWorkflow(file) });
    const steps: string[] = [];
    h.events.on('step', (s) => steps.push(`${s.step}:${s.status}`));
    const summary = await h.done;
    expect(summary.state).toBe('SUCCESS');
    const start = emu.calls.filter((c) => c.op === 'StartPipelineExecution').at(-1)!;
    expect(start.body.PipelineParameters).toEqual([{ Name: 'InputData', Value: 's3://bucket/train.csv' }]);
    expect(String(start.body.ClientRequestToken).length).toBeGreaterThanOrEqual(32);
    expect(steps).toContain('StockProcess:Succeeded');
    expect(steps).toContain('StockTrain:Succeeded');
  });

  it('fails with the failing step reason in the log', async () => {
    emu.plan = { steps: [{ name: 'StockProcess', ms: 20 }, { name: 'StockTrain', ms: 20, failureReason: 'ClientError: no label column' }] };
    const h = startRun({ dbPath, bundle: loadWorkflow(file) });
    const summary = await h.done;
    expect(summary.state).toBe('FAILURE');
    const log = openRunStore(dbPath).logLines(h.runId, 'train').map((l) => l.line).join('\n');
    expect(log).toMatch(/ClientError: no label column/);
  });

  it('stops the execution when the run is stopped, and ends KILL', async () => {
    emu.plan = { steps: [{ name: 'StockTrain', ms: 60_000 }] };
    const before = emu.count('StopPipelineExecution');
    const h = startRun({ dbPath, bundle: loadWorkflow(file) });
    h.events.on('step', (s) => {
      if (s.status === 'Executing') h.stop();
    });
    const summary = await h.done;
    expect(summary.state).toBe('KILL');
    expect(summary.tasks[0]!.state).toBe('KILL');
    expect(emu.count('StopPipelineExecution')).toBe(before + 1);
    const arn = emu.calls.filter((c) => c.op === 'StopPipelineExecution').at(-1)!.body.PipelineExecutionArn as string;
    expect(emu.executions.get(arn)!.status).toBe('Stopped');
  });

  it('after a crash, recover resumes tracking the same execution instead of starting another', async () => {
    emu.plan = { steps: [{ name: 'StockTrain', ms: 2500 }] };
    const starts = emu.count('StartPipelineExecution');
    const describes = emu.count('DescribePipelineExecution');
    const env = { ...process.env, QUANTFLOW_DB: dbPath };
    const child = spawn(process.execPath, [binPath, 'run', file, '--json'], { env, stdio: 'ignore' });
    // Wait until the execution exists and the runner has been polling it, then kill quantflow hard.
    const t0 = Date.now();
    while (emu.count('StartPipelineExecution') === starts || emu.count('DescribePipelineExecution') < describes + 2) {
      if (Date.now() - t0 > 20_000) throw new Error('the run never started the execution');
      await new Promise((r) => setTimeout(r, 20));
    }
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    const runs = await runCliAsync(['runs', '--json'], { env });
    const runId = (JSON.parse(runs.stdout) as { id: number }[])[0]!.id;
    const r = await runCliAsync(['recover', String(runId), '--json'], { env });
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).state).toBe('SUCCESS');
    expect(emu.count('StartPipelineExecution')).toBe(starts + 1);
  });
});
