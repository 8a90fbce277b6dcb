/**
 * Pipeline executions, with DolphinScheduler's SageMaker task semantics (dolphinscheduler.md §5):
 * start with a generated ClientRequestToken (kept with the ARN so a restarted quantflow tracks the
 * same execution), poll DescribePipelineExecution every `pollMs` while Executing and list the
 * steps, succeed only on Succeeded; on abort call StopPipelineExecution and keep polling until the
 * execution has stopped. A failing step listing only loses information, so it is logged, never fatal.
 */
import {
  DescribePipelineExecutionCommand,
  ListPipelineExecutionStepsCommand,
  ListPipelineExecutionsCommand,
  StartPipelineExecutionCommand,
  StopPipelineExecutionCommand,
  type PipelineExecutionStep,
  type SageMakerClient,
  type StartPipelineExecutionCommandInput,
} from '@aws-sdk/client-sagemaker';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { QuantflowError } from '../../core/errors.js';
import { sageMakerClient, sageMakerError } from './client.js';

export type ExecutionStatus = 'Executing' | 'Stopping' | 'Stopped' | 'Failed' | 'Succeeded';

export interface ExecutionRef {
  arn: string;
  /** The ClientRequestToken the execution was started with. */
  token?: string;
}

export interface StepStatus {
  name: string;
  status: string;
  startTime?: string;
  endTime?: string;
  attempts?: number;
  failureReason?: string;
}

const REQUEST_KEYS = [
  'PipelineName',
  'PipelineParameters',
  'PipelineExecutionDisplayName',
  'PipelineExecutionDescription',
  'ParallelismConfiguration',
  'ClientRequestToken',
  'SelectiveExecutionConfig',
  'PipelineVersionId',
] as const;

/**
 * Parses a request JSON (after ${param} substitution) as DolphinScheduler does: PascalCase keys,
 * unknown keys ignored (reported through `warn`), PipelineName required.
 */
export function parseStartRequest(text: string, warn: (m: string) => void = () => {}): StartPipelineExecutionCommandInput {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new QuantflowError('SAGEMAKER_REQUEST', `the SageMaker request is not valid JSON: ${(e as Error).message}`);
  }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw new QuantflowError('SAGEMAKER_REQUEST', 'the SageMaker request must be a JSON object');
  const obj = raw as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) {
    if ((REQUEST_KEYS as readonly string[]).includes(k)) out[k] = v;
    else warn(`the SageMaker request key ${k} is not a StartPipelineExecution field and is ignored`);
  }
  if (typeof out.PipelineName !== 'string' || !out.PipelineName) throw new QuantflowError('SAGEMAKER_REQUEST', 'the SageMaker request needs a PipelineName');
  if (out.PipelineParameters !== undefined) {
    if (!Array.isArray(out.PipelineParameters)) throw new QuantflowError('SAGEMAKER_REQUEST', 'PipelineParameters must be a list of {Name, Value}');
    out.PipelineParameters = (out.PipelineParameters as { Name?: unknown; Value?: unknown }[]).map((p, i) => {
      if (!p || typeof p.Name !== 'string') throw new QuantflowError('SAGEMAKER_REQUEST', `PipelineParameters[${i}] needs a Name`);
      return { Name: p.Name, Value: String(p.Value ?? '') };
    });
  }
  return out as unknown as StartPipelineExecutionCommandInput;
}

export async function startExecution(request: StartPipelineExecutionCommandInput, client: SageMakerClient = sageMakerClient()): Promise<ExecutionRef> {
  const token = request.ClientRequestToken ?? randomUUID();
  try {
    const out = await client.send(new StartPipelineExecutionCommand({ ...request, ClientRequestToken: token }));
    if (!out.PipelineExecutionArn) throw new Error('no PipelineExecutionArn in the answer');
    return { arn: out.PipelineExecutionArn, token };
  } catch (e) {
    throw sageMakerError(e, `StartPipelineExecution ${request.PipelineName}`);
  }
}

export async function describeExecution(arn: string, client: SageMakerClient = sageMakerClient()): Promise<{ status: ExecutionStatus; failureReason?: string; displayName?: string }> {
  try {
    const out = await client.send(new DescribePipelineExecutionCommand({ PipelineExecutionArn: arn }));
    return { status: out.PipelineExecutionStatus as ExecutionStatus, failureReason: out.FailureReason, displayName: out.PipelineExecutionDisplayName };
  } catch (e) {
    throw sageMakerError(e, `DescribePipelineExecution ${arn}`);
  }
}

/** Oldest first. */
export async function listSteps(arn: string, client: SageMakerClient = sageMakerClient()): Promise<StepStatus[]> {
  const steps: PipelineExecutionStep[] = [];
  let token: string | undefined;
  try {
    do {
      const out = await client.send(new ListPipelineExecutionStepsCommand({ PipelineExecutionArn: arn, MaxResults: 100, NextToken: token }));
      steps.push(...(out.PipelineExecutionSteps ?? []));
      token = out.NextToken;
    } while (token);
  } catch (e) {
    throw sageMakerError(e, `ListPipelineExecutionSteps ${arn}`);
  }
  return steps.reverse().map((s) => ({
    name: s.StepName ?? '?',
    status: s.StepStatus ?? '?',
    startTime: s.StartTime?.toISOString(),
    endTime: s.EndTime?.toISOString(),
    attempts: s.AttemptCount,
    failureReason: s.FailureReason,
  }));
}

export async function stopExecution(ref: ExecutionRef, client: SageMakerClient = sageMakerClient()): Promise<void> {
  try {
    await client.send(new StopPipelineExecutionCommand({ PipelineExecutionArn: ref.arn, ClientRequestToken: ref.token ?? randomUUID() }));
  } catch (e) {
    throw sageMakerError(e, `StopPipelineExecution ${ref.arn}`);
  }
}

export interface ExecutionSummary {
  arn: string;
  status: string;
  startTime?: string;
  displayName?: string;
  failureReason?: string;
}

export async function listExecutions(pipelineName: string, client: SageMakerClient = sageMakerClient(), max = 50): Promise<ExecutionSummary[]> {
  const out: ExecutionSummary[] = [];
  let token: string | undefined;
  try {
    do {
      const page = await client.send(new ListPipelineExecutionsCommand({ PipelineName: pipelineName, SortBy: 'CreationTime', SortOrder: 'Descending', MaxResults: Math.min(100, max), NextToken: token }));
      for (const s of page.PipelineExecutionSummaries ?? [])
        out.push({ arn: s.PipelineExecutionArn!, status: s.PipelineExecutionStatus ?? '?', startTime: s.StartTime?.toISOString(), displayName: s.PipelineExecutionDisplayName, failureReason: s.PipelineExecutionFailureReason });
      token = out.length < max ? page.NextToken : undefined;
    } while (token);
  } catch (e) {
    throw sageMakerError(e, `ListPipelineExecutions ${pipelineName}`);
  }
  return out;
}

export interface TrackOptions {
  client?: SageMakerClient;
  /** Poll interval while Executing (DolphinScheduler: 5 s). */
  pollMs?: number;
  /** Aborting stops the execution (StopPipelineExecution) and waits for it to stop. */
  signal?: AbortSignal;
  /** Called when a step's status changes. */
  onStep?: (step: StepStatus) => void;
  log?: (line: string) => void;
}

export interface TrackResult {
  status: ExecutionStatus;
  failureReason?: string;
  steps: StepStatus[];
  /** True when the execution was stopped because of the abort signal. */
  stopped: boolean;
}

/** Follows an execution to its end. Resolves with the final status; rejects only when SageMaker cannot be asked at all. */
export async function trackExecution(ref: ExecutionRef, opts: TrackOptions = {}): Promise<TrackResult> {
  const client = opts.client ?? sageMakerClient();
  const pollMs = opts.pollMs ?? 5000;
  const log = opts.log ?? (() => {});
  const seen = new Map<string, string>();
  let steps: StepStatus[] = [];
  let stopRequested = false;

  const refreshSteps = async () => {
    try {
      steps = await listSteps(ref.arn, client);
      for (const s of steps) {
        if (seen.get(s.name) === s.status) continue;
        seen.set(s.name, s.status);
        log(`step ${s.name}: ${s.status}${s.failureReason ? ` (${s.failureReason})` : ''}`);
        opts.onStep?.(s);
      }
    } catch (e) {
      log(`warning: could not list the pipeline steps: ${(e as Error).message}`);
    }
  };

  for (;;) {
    if (opts.signal?.aborted && !stopRequested) {
      stopRequested = true;
      log(`stopping the pipeline execution ${ref.arn}`);
      await stopExecution(ref, client);
    }
    const d = await describeExecution(ref.arn, client);
    await refreshSteps();
    if (d.status === 'Succeeded' || d.status === 'Failed' || d.status === 'Stopped') {
      log(`pipeline execution ${d.status}${d.failureReason ? `: ${d.failureReason}` : ''}`);
      return { status: d.status, failureReason: d.failureReason, steps, stopped: stopRequested };
    }
    if (d.status === 'Stopping' && !stopRequested) {
      // Stopped by someone else: follow it to the end, like any other terminal path.
      log('the pipeline execution is stopping');
    }
    await sleepUnlessAborted(pollMs, opts.signal, stopRequested);
  }
}

async function sleepUnlessAborted(ms: number, signal: AbortSignal | undefined, alreadyStopping: boolean): Promise<void> {
  if (!signal || alreadyStopping) return void (await sleep(ms));
  try {
    await sleep(ms, undefined, { signal });
  } catch {
    // aborted: the loop stops the execution next
  }
}
