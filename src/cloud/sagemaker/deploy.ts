/**
 * `quantflow sagemaker pipeline deploy`: uploads the generated processing scripts to the bucket, then
 * creates the pipeline (CreatePipeline) or, when one of that name exists, updates it (UpdatePipeline)
 * with the definition quantflow generates. `describePipeline` is what `pipeline show` prints.
 */
import { CreatePipelineCommand, DescribePipelineCommand, UpdatePipelineCommand, type SageMakerClient } from '@aws-sdk/client-sagemaker';
import { randomUUID } from 'node:crypto';
import { uploadStream } from '../s3.js';
import { sageMakerClient, sageMakerError } from './client.js';
import { buildPipelineDefinition, scriptUris, type PipelineDefinition, type PipelineOptions } from './pipeline-definition.js';
import { PREPROCESS_PY } from './scripts/preprocess.js';
import { EVALUATE_PY } from './scripts/evaluate.js';

export interface DeployOptions extends PipelineOptions {
  name: string;
  description?: string;
  client?: SageMakerClient;
}

export interface DeployResult {
  action: 'created' | 'updated';
  name: string;
  arn: string;
  scripts: string[];
  steps: string[];
  parameters: string[];
}

function isNotFound(e: unknown): boolean {
  const name = (e as { name?: string })?.name ?? '';
  const message = e instanceof Error ? e.message : '';
  return name === 'ResourceNotFound' || name === 'ResourceNotFoundException' || /does not exist|not found|could not find/i.test(message);
}

export async function uploadScripts(opts: PipelineOptions): Promise<string[]> {
  const uris = scriptUris(opts);
  await uploadStream(Buffer.from(PREPROCESS_PY), uris.preprocess, { contentType: 'text/x-python' });
  await uploadStream(Buffer.from(EVALUATE_PY), uris.evaluate, { contentType: 'text/x-python' });
  return [uris.preprocess, uris.evaluate];
}

export async function deployPipeline(opts: DeployOptions): Promise<DeployResult> {
  const client = opts.client ?? sageMakerClient();
  const definition = buildPipelineDefinition(opts);
  const text = JSON.stringify(definition);
  const scripts = await uploadScripts(opts);
  let exists = true;
  try {
    await client.send(new DescribePipelineCommand({ PipelineName: opts.name }));
  } catch (e) {
    if (!isNotFound(e)) throw sageMakerError(e, `DescribePipeline ${opts.name}`);
    exists = false;
  }
  const description = opts.description ?? 'StockPipeline made by quantflow: split by date, built-in XGBoost, evaluate, batch inference';
  const summary = { name: opts.name, scripts, steps: definition.Steps.map((s) => s.Name), parameters: definition.Parameters.map((p) => p.Name) };
  if (exists) {
    try {
      const out = await client.send(new UpdatePipelineCommand({ PipelineName: opts.name, PipelineDefinition: text, RoleArn: opts.roleArn, PipelineDescription: description }));
      return { action: 'updated', arn: out.PipelineArn ?? '', ...summary };
    } catch (e) {
      throw sageMakerError(e, `UpdatePipeline ${opts.name}`);
    }
  }
  try {
    const out = await client.send(
      new CreatePipelineCommand({ PipelineName: opts.name, PipelineDefinition: text, RoleArn: opts.roleArn, PipelineDescription: description, ClientRequestToken: randomUUID() }),
    );
    return { action: 'created', arn: out.PipelineArn ?? '', ...summary };
  } catch (e) {
    throw sageMakerError(e, `CreatePipeline ${opts.name}`);
  }
}

export interface PipelineInfo {
  name: string;
  arn?: string;
  status?: string;
  roleArn?: string;
  created?: string;
  modified?: string;
  parameters: { name: string; type: string; default?: unknown }[];
  steps: { name: string; type: string }[];
  definition?: PipelineDefinition;
}

export async function describePipeline(name: string, client: SageMakerClient = sageMakerClient()): Promise<PipelineInfo> {
  try {
    const out = await client.send(new DescribePipelineCommand({ PipelineName: name }));
    let def: PipelineDefinition | undefined;
    try {
      def = out.PipelineDefinition ? (JSON.parse(out.PipelineDefinition) as PipelineDefinition) : undefined;
    } catch {
      def = undefined;
    }
    return {
      name: out.PipelineName ?? name,
      arn: out.PipelineArn,
      status: out.PipelineStatus,
      roleArn: out.RoleArn,
      created: out.CreationTime?.toISOString(),
      modified: out.LastModifiedTime?.toISOString(),
      parameters: (def?.Parameters ?? []).map((p) => ({ name: p.Name, type: p.Type, default: p.DefaultValue })),
      steps: (def?.Steps ?? []).map((s) => ({ name: s.Name, type: s.Type })),
      definition: def,
    };
  } catch (e) {
    throw sageMakerError(e, `DescribePipeline ${name}`);
  }
}
