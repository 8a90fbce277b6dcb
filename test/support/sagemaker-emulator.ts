/**
 * A SageMaker Pipelines emulator on 127.0.0.1 speaking the awsJson1_1 protocol exactly as the SDK
 * expects it (`POST /`, `X-Amz-Target: SageMaker.<Operation>`, JSON bodies, errors as HTTP 400
 * `{"__type": "...", "message": "..."}`). Tests choose how each execution unfolds: its steps, how
 * long each takes, which one fails, and what happens when it succeeds (e.g. write the inference
 * output to S3). Faults can be injected (throttling, 5xx) to prove the client retries.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';

export interface EmulatedStep {
  name: string;
  /** Milliseconds the step spends Executing. */
  ms: number;
  /** When set, the step fails with this reason and the execution fails. */
  failureReason?: string;
}

export interface EmulatorPlan {
  steps: EmulatedStep[];
  /** Called once when an execution succeeds (before it is reported Succeeded). */
  onSucceeded?: (exec: EmulatedExecution) => Promise<void> | void;
}

export interface EmulatedExecution {
  arn: string;
  pipelineName: string;
  token?: string;
  displayName?: string;
  parameters: { Name: string; Value: string }[];
  status: 'Executing' | 'Stopping' | 'Stopped' | 'Failed' | 'Succeeded';
  failureReason?: string;
  startedAt: number;
  stoppedAt?: number;
  finishing?: Promise<void>;
  plan: EmulatorPlan;
}

export interface EmulatedPipeline {
  name: string;
  arn: string;
  definition: string;
  roleArn: string;
  description?: string;
  createdAt: number;
  updatedAt: number;
  version: number;
}

export interface Fault {
  operation?: string;
  kind: 'throttle' | 'server';
  times: number;
}

const REGION = 'us-east-1';
const ACCOUNT = '123456789012';

export class SageMakerEmulator {
  readonly pipelines = new Map<string, EmulatedPipeline>();
  readonly executions = new Map<string, EmulatedExecution>();
  /** Every call received, in order: `{ op, body }`. */
  readonly calls: { op: string; body: Record<string, unknown> }[] = [];
  plan: EmulatorPlan = { steps: [{ name: 'StockProcess', ms: 50 }, { name: 'StockTrain', ms: 50 }] };
  /** Milliseconds a stop takes to reach Stopped. */
  stopMs = 50;
  private faults: Fault[] = [];
  private server?: Server;
  url = '';

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
    return this;
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }

  /** The environment a quantflow process needs to use this emulator. */
  get env(): Record<string, string> {
    return {
      AWS_ENDPOINT_URL_SAGEMAKER: this.url,
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_REGION: REGION,
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    };
  }

  inject(fault: Fault): void {
    this.faults.push({ ...fault });
  }

  count(op: string): number {
    return this.calls.filter((c) => c.op === op).length;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const target = String(req.headers['x-amz-target'] ?? '');
    const op = target.startsWith('SageMaker.') ? target.slice('SageMaker.'.length) : '';
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': randomUUID() });
      res.end(JSON.stringify(body));
    };
    if (req.method !== 'POST' || !op) return send(400, { __type: 'UnknownOperationException', message: `bad target ${target}` });
    if (!String(req.headers['content-type'] ?? '').includes('application/x-amz-json-1.1'))
      return send(400, { __type: 'SerializationException', message: 'expected application/x-amz-json-1.1' });
    if (!String(req.headers.authorization ?? '').startsWith('AWS4-HMAC-SHA256'))
      return send(400, { __type: 'MissingAuthenticationTokenException', message: 'request is not signed' });
    let body: Record<string, unknown>;
    try {
      body = chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : {};
    } catch {
      return send(400, { __type: 'SerializationException', message: 'body is not JSON' });
    }
    this.calls.push({ op, body });
    const fault = this.faults.find((f) => f.times > 0 && (!f.operation || f.operation === op));
    if (fault) {
      fault.times--;
      if (fault.kind === 'throttle') return send(400, { __type: 'ThrottlingException', message: 'Rate exceeded' });
      return send(500, { __type: 'InternalFailure', message: 'emulated server error' });
    }
    try {
      const out = await this.dispatch(op, body);
      send(200, out);
    } catch (e) {
      const err = e as { type?: string; message: string };
      send(400, { __type: err.type ?? 'ValidationException', message: err.message });
    }
  }

  private fail(type: string, message: string): never {
    throw Object.assign(new Error(message), { type });
  }

  private pipeline(nameOrArn: unknown): EmulatedPipeline {
    const key = String(nameOrArn ?? '');
    const p = this.pipelines.get(key) ?? [...this.pipelines.values()].find((x) => x.arn === key);
    if (!p) this.fail('ResourceNotFound', `Pipeline '${key}' does not exist.`);
    return p;
  }

  private execution(arn: unknown): EmulatedExecution {
    const e = this.executions.get(String(arn ?? ''));
    if (!e) this.fail('ResourceNotFound', `Pipeline execution '${String(arn)}' does not exist.`);
    return e;
  }

  /** Where an execution is, derived from the clock so tests need no timers of their own. */
  private progress(e: EmulatedExecution, now = Date.now()): { index: number; elapsedInStep: number } {
    let t = e.startedAt;
    for (let i = 0; i < e.plan.steps.length; i++) {
      const s = e.plan.steps[i]!;
      if (now < t + s.ms) return { index: i, elapsedInStep: now - t };
      t += s.ms;
    }
    return { index: e.plan.steps.length, elapsedInStep: 0 };
  }

  private async advance(e: EmulatedExecution): Promise<void> {
    if (e.status === 'Stopping') {
      if (Date.now() - (e.stoppedAt ?? 0) >= this.stopMs) e.status = 'Stopped';
      return;
    }
    if (e.status !== 'Executing') return;
    const { index } = this.progress(e);
    const failedAt = e.plan.steps.findIndex((s) => s.failureReason);
    if (failedAt >= 0 && index > failedAt) {
      e.status = 'Failed';
      e.failureReason = `Step failure: One or multiple steps failed. ${e.plan.steps[failedAt]!.name}: ${e.plan.steps[failedAt]!.failureReason}`;
      return;
    }
    if (index >= e.plan.steps.length) {
      e.finishing ??= Promise.resolve(e.plan.onSucceeded?.(e));
      await e.finishing;
      e.status = 'Succeeded';
    }
  }

  private stepList(e: EmulatedExecution): Record<string, unknown>[] {
    const { index } = this.progress(e, e.status === 'Stopping' || e.status === 'Stopped' ? (e.stoppedAt ?? Date.now()) : Date.now());
    const out: Record<string, unknown>[] = [];
    let t = e.startedAt;
    for (let i = 0; i < e.plan.steps.length && i <= index; i++) {
      const s = e.plan.steps[i]!;
      let status = i < index ? (s.failureReason ? 'Failed' : 'Succeeded') : 'Executing';
      if (i === index && (e.status === 'Stopping' || e.status === 'Stopped')) status = e.status;
      const step: Record<string, unknown> = { StepName: s.name, StepDisplayName: s.name, StepStatus: status, StartTime: t / 1000, AttemptCount: 1 };
      if (status !== 'Executing') step.EndTime = (t + s.ms) / 1000;
      if (status === 'Failed') step.FailureReason = s.failureReason;
      out.push(step);
      if (s.failureReason && i < index) break;
      t += s.ms;
    }
    return out.reverse(); // newest first, as SageMaker lists them
  }

  private async dispatch(op: string, b: Record<string, unknown>): Promise<unknown> {
    const now = Date.now() / 1000;
    switch (op) {
      case 'CreatePipeline': {
        const name = String(b.PipelineName ?? '');
        if (!name) this.fail('ValidationException', 'PipelineName is required');
        if (this.pipelines.has(name)) this.fail('ResourceInUse', `Pipeline '${name}' already exists.`);
        if (!b.RoleArn) this.fail('ValidationException', 'RoleArn is required');
        const def = String(b.PipelineDefinition ?? '');
        validateDefinition(def, (m) => this.fail('ValidationException', m));
        const arn = `arn:aws:sagemaker:${REGION}:${ACCOUNT}:pipeline/${name.toLowerCase()}`;
        this.pipelines.set(name, { name, arn, definition: def, roleArn: String(b.RoleArn), description: b.PipelineDescription as string | undefined, createdAt: now, updatedAt: now, version: 1 });
        return { PipelineArn: arn };
      }
      case 'UpdatePipeline': {
        const p = this.pipeline(b.PipelineName);
        if (b.PipelineDefinition !== undefined) {
          validateDefinition(String(b.PipelineDefinition), (m) => this.fail('ValidationException', m));
          p.definition = String(b.PipelineDefinition);
        }
        if (b.RoleArn) p.roleArn = String(b.RoleArn);
        p.updatedAt = now;
        p.version++;
        return { PipelineArn: p.arn, PipelineVersionId: p.version };
      }
      case 'DescribePipeline': {
        const p = this.pipeline(b.PipelineName);
        return { PipelineArn: p.arn, PipelineName: p.name, PipelineDefinition: p.definition, RoleArn: p.roleArn, PipelineStatus: 'Active', CreationTime: p.createdAt, LastModifiedTime: p.updatedAt, PipelineDescription: p.description };
      }
      case 'StartPipelineExecution': {
        const p = this.pipeline(b.PipelineName);
        const token = b.ClientRequestToken as string | undefined;
        if (token !== undefined && (token.length < 32 || token.length > 128)) this.fail('ValidationException', 'ClientRequestToken must be 32-128 characters');
        const existing = token ? [...this.executions.values()].find((e) => e.token === token) : undefined;
        if (existing) return { PipelineExecutionArn: existing.arn };
        const def = JSON.parse(p.definition) as { Parameters?: { Name: string }[] };
        const known = new Set((def.Parameters ?? []).map((x) => x.Name));
        const params = (b.PipelineParameters ?? []) as { Name: string; Value: string }[];
        for (const x of params) if (!known.has(x.Name)) this.fail('ValidationException', `Parameter '${x.Name}' is not defined in the pipeline`);
        const dn = b.PipelineExecutionDisplayName as string | undefined;
        if (dn !== undefined && !/^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,81}$/.test(dn)) this.fail('ValidationException', 'PipelineExecutionDisplayName is invalid');
        const arn = `${p.arn}/execution/${randomUUID().replace(/-/g, '').slice(0, 12)}`;
        this.executions.set(arn, { arn, pipelineName: p.name, token, displayName: dn, parameters: params, status: 'Executing', startedAt: Date.now(), plan: this.plan });
        return { PipelineExecutionArn: arn };
      }
      case 'DescribePipelineExecution': {
        const e = this.execution(b.PipelineExecutionArn);
        await this.advance(e);
        const p = this.pipeline(e.pipelineName);
        return {
          PipelineArn: p.arn,
          PipelineExecutionArn: e.arn,
          PipelineExecutionDisplayName: e.displayName ?? e.arn.split('/').pop(),
          PipelineExecutionStatus: e.status,
          FailureReason: e.failureReason,
          CreationTime: e.startedAt / 1000,
          LastModifiedTime: now,
        };
      }
      case 'ListPipelineExecutionSteps': {
        const e = this.execution(b.PipelineExecutionArn);
        await this.advance(e);
        let steps = this.stepList(e);
        if (b.SortOrder === 'Ascending') steps = steps.reverse();
        return { PipelineExecutionSteps: steps };
      }
      case 'StopPipelineExecution': {
        const e = this.execution(b.PipelineExecutionArn);
        if (e.status === 'Executing') {
          e.status = 'Stopping';
          e.stoppedAt = Date.now();
        }
        return { PipelineExecutionArn: e.arn };
      }
      case 'ListPipelineExecutions': {
        const p = this.pipeline(b.PipelineName);
        const list = [...this.executions.values()].filter((e) => e.pipelineName === p.name);
        for (const e of list) await this.advance(e);
        list.sort((x, y) => y.startedAt - x.startedAt);
        return {
          PipelineExecutionSummaries: list.map((e) => ({
            PipelineExecutionArn: e.arn,
            StartTime: e.startedAt / 1000,
            PipelineExecutionStatus: e.status,
            PipelineExecutionDisplayName: e.displayName,
            PipelineExecutionFailureReason: e.failureReason,
          })),
        };
      }
      default:
        this.fail('UnknownOperationException', `the emulator does not implement ${op}`);
    }
  }
}

/** The checks SageMaker itself makes on a definition before accepting it (the subset that matters). */
function validateDefinition(text: string, fail: (m: string) => never): void {
  let def: { Version?: string; Steps?: { Name?: string; Type?: string }[]; Parameters?: { Name?: string; Type?: string }[] };
  try {
    def = JSON.parse(text);
  } catch {
    fail('PipelineDefinition is not valid JSON');
  }
  if (def.Version !== '2020-12-01') fail(`unsupported pipeline definition version ${String(def.Version)}`);
  if (!Array.isArray(def.Steps) || def.Steps.length === 0) fail('a pipeline needs at least one step');
  const names = new Set<string>();
  for (const s of def.Steps) {
    if (!s.Name || !s.Type) fail('every step needs a Name and a Type');
    if (names.has(s.Name)) fail(`duplicate step name ${s.Name}`);
    names.add(s.Name);
  }
}
