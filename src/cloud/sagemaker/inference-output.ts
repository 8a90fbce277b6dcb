/**
 * Reads SageMaker's inference output back: the transform step's `<date>$<code>,prediction` lines
 * (files named `<input>.out` under the output prefix), or the original system's inference.csv with a
 * header and a `prediction` column (index column `<date>$<code>` anywhere). An s3:// URI may name one
 * object or a prefix (every .out / .csv object under it is read).
 */
import { QuantflowError } from '../../core/errors.js';
import { parseRowIndex } from '../../ml/dataset/table.js';
import type { ScoredRow } from '../../ml/picks.js';
import { exists, listObjects, parseS3Uri, readText } from '../s3.js';

export interface InferenceOutput {
  rows: ScoredRow[];
  files: string[];
}

/** Parses one file's text; `where` names it in errors (`file:line:col`). */
export function parseInferenceText(text: string, where: string): ScoredRow[] {
  const lines = text.split(/\r?\n/);
  const out: ScoredRow[] = [];
  let start = 0;
  let indexAt = 0;
  let predictionAt = 1;
  const first = (lines[0] ?? '').split(',').map((s) => s.trim().replace(/^"|"$/g, ''));
  if (first.includes('prediction')) {
    predictionAt = first.indexOf('prediction');
    const sample = (lines[1] ?? '').split(',');
    indexAt = sample.findIndex((f) => parseRowIndex(f.replace(/^"|"$/g, '')) !== undefined);
    if (indexAt < 0) throw new QuantflowError('BAD_INFERENCE_OUTPUT', `${where}:2:1: no <date>$<code> column next to the prediction column`);
    start = 1;
  }
  for (let i = start; i < lines.length; i++) {
    const line = lines[i]!;
    if (!line.trim()) continue;
    const f = line.split(',');
    const idx = parseRowIndex((f[indexAt] ?? '').replace(/^"|"$/g, ''));
    if (!idx) throw new QuantflowError('BAD_INFERENCE_OUTPUT', `${where}:${i + 1}:1: expected <date>$<code>,prediction, got "${line.slice(0, 60)}"`);
    const score = Number((f[predictionAt] ?? '').replace(/^"|"$/g, '').replace(/^\[|\]$/g, ''));
    if (!Number.isFinite(score)) throw new QuantflowError('BAD_INFERENCE_OUTPUT', `${where}:${i + 1}:${line.indexOf(f[predictionAt] ?? '') + 1}: "${f[predictionAt] ?? ''}" is not a prediction`);
    out.push({ date: idx.date, code: idx.code, score });
  }
  return out;
}

/** Reads an object or every .out/.csv object under a prefix. */
export async function readInferenceOutput(uri: string): Promise<InferenceOutput> {
  const loc = parseS3Uri(uri);
  let files: string[];
  if (loc.key && !loc.key.endsWith('/') && (await exists(uri))) files = [uri];
  else {
    const prefix = loc.key && !loc.key.endsWith('/') ? `${uri}/` : uri;
    files = (await listObjects(prefix))
      .filter((o) => /\.(out|csv)$/i.test(o.key) && o.size > 0)
      .map((o) => `s3://${loc.bucket}/${o.key}`)
      .sort();
    if (files.length === 0) throw new QuantflowError('NO_INFERENCE_OUTPUT', `no inference output (.out or .csv objects) under ${prefix}`, { exitCode: 1 });
  }
  const rows: ScoredRow[] = [];
  for (const f of files) for (const r of parseInferenceText(await readText(f), f)) rows.push(r);
  if (rows.length === 0) throw new QuantflowError('NO_INFERENCE_OUTPUT', `the inference output ${uri} has no rows`, { exitCode: 1 });
  return { rows, files };
}

/** The rows of the latest date only. */
export function latestDateRows(rows: ScoredRow[]): { date: number; rows: ScoredRow[] } {
  let date = 0;
  for (const r of rows) if (r.date > date) date = r.date;
  return { date, rows: rows.filter((r) => r.date === date) };
}

export interface SageMakerPicksRequest {
  db: import('../../core/db.js').Db;
  /** s3:// object or prefix of the inference output. */
  from: string;
  top?: number;
  /** The pipeline whose latest Succeeded execution made the output (default StockPipeline). */
  pipeline?: string;
}

export interface SageMakerPicksResult {
  modelId: string;
  executionArn: string;
  date: string;
  rows: number;
  files: string[];
  picks: import('../../ml/picks.js').Pick[];
}

/**
 * Picks from SageMaker's output: the latest date's rows, top N stored with the model id
 * `sagemaker:<pipeline>:<execution id>` of the pipeline's latest Succeeded execution, which is
 * registered (source 'sagemaker', no model JSON) so every pick traces to the execution.
 */
export async function picksFromSageMaker(req: SageMakerPicksRequest): Promise<SageMakerPicksResult> {
  const { listExecutions } = await import('./executions.js');
  const { ModelRegistry } = await import('../../ml/registry.js');
  const { PickStore } = await import('../../ml/picks.js');
  const { yyyymmddToIso } = await import('../../core/time.js');
  const { sageMakerModelRecord } = await import('./model-record.js');
  const pipeline = req.pipeline ?? 'StockPipeline';
  const output = await readInferenceOutput(req.from);
  const succeeded = (await listExecutions(pipeline)).find((e) => e.status === 'Succeeded');
  if (!succeeded)
    throw new QuantflowError('NO_SUCCEEDED_EXECUTION', `pipeline ${pipeline} has no Succeeded execution to attribute ${req.from} to (see: quantflow sagemaker executions ${pipeline})`, { exitCode: 1 });
  const executionId = succeeded.arn.split('/').pop() ?? succeeded.arn;
  const modelId = `sagemaker:${pipeline}:${executionId}`;
  const registry = new ModelRegistry(req.db);
  if (!registry.get(modelId, false))
    registry.save(sageMakerModelRecord(modelId, { createdAt: succeeded.startTime, origin: { pipeline, executionArn: succeeded.arn, output: req.from } }));

  const latest = latestDateRows(output.rows);
  const store = new PickStore(req.db);
  store.storeTop(latest.rows, req.top ?? 10, modelId);
  return {
    modelId,
    executionArn: succeeded.arn,
    date: yyyymmddToIso(latest.date),
    rows: latest.rows.length,
    files: output.files,
    picks: store.list({ date: latest.date, modelId }),
  };
}
