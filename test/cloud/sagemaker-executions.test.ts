import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { makeSageMakerClient } from '../../src/cloud/sagemaker/client.js';
import { parseStartRequest, startExecution, trackExecution, type StepStatus } from '../../src/cloud/sagemaker/executions.js';
import { SageMakerEmulator } from '../support/sagemaker-emulator.js';
import type { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { CreatePipelineCommand } from '@aws-sdk/client-sagemaker';

const definition = JSON.stringify({
  Version: '2020-12-01',
  Parameters: [{ Name: 'InputData', Type: 'String' }],
  Steps: [{ Name: 'StockProcess', Type: 'Processing', Arguments: {} }],
});

describe('SageMaker pipeline executions through the real SDK against the emulator', () => {
  const emu = new SageMakerEmulator();
  let client: SageMakerClient;

  beforeAll(async () => {
    await emu.start();
    Object.assign(process.env, emu.env);
    client = makeSageMakerClient();
    await client.send(new CreatePipelineCommand({ PipelineName: 'StockPipeline', PipelineDefinition: definition, RoleArn: 'arn:aws:iam::123456789012:role/x' }));
  });
  afterAll(async () => {
    client?.destroy();
    await emu.close();
  });
  beforeEach(() => {
    emu.plan = { steps: [{ name: 'StockProcess', ms: 30 }, { name: 'StockTrain', ms: 30 }] };
  });

  it('parses a request as DolphinScheduler does and rejects one without PipelineName', () => {
    const warnings: string[] = [];
    const r = parseStartRequest('{"PipelineName":"P","PipelineParameters":[{"Name":"InputData","Value":3}],"pipelineName":"x"}', (w) => warnings.push(w));
    expect(r.PipelineParameters).toEqual([{ Name: 'InputData', Value: '3' }]);
    expect(warnings[0]).toMatch(/pipelineName is not a StartPipelineExecution field/);
    expect(() => parseStartRequest('{}')).toThrow(/needs a PipelineName/);
    expect(() => parseStartRequest('{bad')).toThrow(/not valid JSON/);
  });

  it('follows Executing -> Succeeded and reports each step', async () => {
    const ref = await startExecution({ PipelineName: 'StockPipeline', PipelineParameters: [{ Name: 'InputData', Value: 's3://b/train.csv' }] }, client);
    expect(ref.token!.length).toBeGreaterThanOrEqual(32);
    const steps: StepStatus[] = [];
    const r = await trackExecution(ref, { client, pollMs: 10, onStep: (s) => steps.push(s) });
    expect(r.status).toBe('Succeeded');
    expect(steps.filter((s) => s.status === 'Succeeded').map((s) => s.name)).toEqual(['StockProcess', 'StockTrain']);
  });

  it('reports a failing step with its FailureReason', async () => {
    emu.plan = { steps: [{ name: 'StockProcess', ms: 20 }, { name: 'StockTrain', ms: 20, failureReason: 'AlgorithmError: bad label column' }] };
    const ref = await startExecution({ PipelineName: 'StockPipeline' }, client);
    const lines: string[] = [];
    const r = await trackExecution(ref, { client, pollMs: 10, log: (l) => lines.push(l) });
    expect(r.status).toBe('Failed');
    expect(r.failureReason).toMatch(/bad label column/);
    expect(lines.join('\n')).toMatch(/step StockTrain: Failed \(AlgorithmError: bad label column\)/);
  });

  it('stops the execution when aborted and waits until it is Stopped', async () => {
    emu.plan = { steps: [{ name: 'StockTrain', ms: 60_000 }] };
    const ref = await startExecution({ PipelineName: 'StockPipeline' }, client);
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 50);
    const r = await trackExecution(ref, { client, pollMs: 10, signal: ac.signal });
    expect(r).toMatchObject({ status: 'Stopped', stopped: true });
    expect(emu.calls.filter((c) => c.op === 'StopPipelineExecution').at(-1)!.body.ClientRequestToken).toBe(ref.token);
  });

  it('retries throttling and server errors, and survives a failing step listing', async () => {
    emu.inject({ operation: 'StartPipelineExecution', kind: 'throttle', times: 2 });
    emu.inject({ operation: 'DescribePipelineExecution', kind: 'server', times: 1 });
    const ref = await startExecution({ PipelineName: 'StockPipeline' }, client);
    emu.inject({ operation: 'ListPipelineExecutionSteps', kind: 'server', times: 50 });
    const lines: string[] = [];
    const r = await trackExecution(ref, { client, pollMs: 10, log: (l) => lines.push(l) });
    expect(r.status).toBe('Succeeded');
    expect(lines.some((l) => l.startsWith('warning: could not list the pipeline steps'))).toBe(true);
  });

  it('a repeated start with the same token returns the same execution', async () => {
    const a = await startExecution({ PipelineName: 'StockPipeline', ClientRequestToken: 'x'.repeat(40) }, client);
    const b = await startExecution({ PipelineName: 'StockPipeline', ClientRequestToken: 'x'.repeat(40) }, client);
    expect(b.arn).toBe(a.arn);
  });

  it('names the call on an unknown pipeline', async () => {
    await expect(startExecution({ PipelineName: 'Nope' }, client)).rejects.toThrow(/SageMaker StartPipelineExecution Nope: ResourceNotFound/);
  });
});
