/**
 * Brings a SageMaker XGBoost model (model.tar.gz holding `xgboost-model`) back into the local model
 * registry (ml.md §3). The file's format is sniffed from its first bytes: XGBoost JSON (`{"`) is
 * registered as it is; XGBoost's legacy binary format (`binf`..., what containers 1.3-1 .. 1.7-1 write
 * by default, and the same without the header, as older XGBoost wrote it) is read natively
 * (src/ml/gbdt/xgboost-binary.ts) and registered as the equivalent XGBoost JSON, so quantflow scores
 * with it with no Python. UBJSON (`{L`..., XGBoost >= 2.1) and Python pickles (containers up to 1.2)
 * get a clear message saying how to convert them.
 */
import { gunzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { QuantflowError, isQuantflowError } from '../../core/errors.js';
import type { Db } from '../../core/db.js';
import { isS3Uri, withLocalCopy } from '../s3.js';

export type ArtifactFormat = 'json' | 'ubjson' | 'binary' | 'pickle' | 'unknown';

export function sniffModelFormat(bytes: Uint8Array): ArtifactFormat {
  const b0 = bytes[0];
  const b1 = bytes[1];
  if (b0 === 0x7b && b1 === 0x22) return 'json';
  if (b0 === 0x7b && b1 !== undefined && /[LlUiIdD$#{]/.test(String.fromCharCode(b1))) return 'ubjson';
  if (bytes.length >= 4 && String.fromCharCode(...bytes.subarray(0, 4)) === 'binf') return 'binary';
  if (b0 === 0x80 && b1 !== undefined && b1 >= 2 && b1 <= 5) return 'pickle';
  // XGBoost's legacy binary model starts with the learner's parameters (a float base_score) when not
  // prefixed with "binf"; there is no reliable magic for it.
  return 'unknown';
}

/** The entries of a (gzipped) ustar archive. */
export function untar(archive: Uint8Array): Map<string, Uint8Array> {
  const data = archive[0] === 0x1f && archive[1] === 0x8b ? gunzipSync(archive) : archive;
  const out = new Map<string, Uint8Array>();
  let at = 0;
  const text = (from: number, len: number) => Buffer.from(data.subarray(from, from + len)).toString('utf8').replace(/\0.*$/s, '');
  while (at + 512 <= data.length) {
    const name = text(at, 100);
    if (!name) break;
    const prefix = text(at + 345, 155);
    const size = parseInt(text(at + 124, 12).trim() || '0', 8);
    const type = String.fromCharCode(data[at + 156] ?? 48);
    const full = (prefix ? `${prefix}/${name}` : name).replace(/^\.\//, '');
    if (type === '0' || type === '\0') out.set(full, data.subarray(at + 512, at + 512 + size));
    at += 512 + Math.ceil(size / 512) * 512;
  }
  return out;
}

const HOW_TO_CONVERT =
  'convert it with Python xgboost: b = xgboost.Booster(); b.load_model("xgboost-model"); b.save_model("model.json"), then: quantflow sagemaker model import model.json';

export interface ImportResult {
  modelId: string;
  format: ArtifactFormat;
  trees: number;
}

/** Reads model.tar.gz (or a bare xgboost-model / model JSON), local or s3://, and registers it. */
export async function importSageMakerModel(db: Db, uri: string, modelId: string, origin: Record<string, unknown> = {}): Promise<ImportResult> {
  const bytes = await withLocalCopy(uri, (local) => new Uint8Array(readFileSync(local)));
  let model: Uint8Array = bytes;
  let member: string | undefined;
  if (/\.tar\.gz$|\.tgz$|\.tar$/.test(uri)) {
    let entries: Map<string, Uint8Array>;
    try {
      entries = untar(bytes);
    } catch (e) {
      throw new QuantflowError('SAGEMAKER_MODEL', `${uri}: not a readable tar.gz (${(e as Error).message})`, { exitCode: 1 });
    }
    const name = [...entries.keys()].find((k) => k.split('/').pop() === 'xgboost-model');
    if (!name) throw new QuantflowError('SAGEMAKER_MODEL', `${uri}: no xgboost-model inside (found: ${[...entries.keys()].join(', ') || 'nothing'})`, { exitCode: 1 });
    model = entries.get(name)!;
    member = name;
  }
  const format = sniffModelFormat(model);
  const where = isS3Uri(uri) ? uri : `file ${uri}`;
  if (format === 'pickle') throw new QuantflowError('SAGEMAKER_MODEL', `${where}: the model is a Python pickle (XGBoost container 1.2 or older), which quantflow cannot read without Python; ${HOW_TO_CONVERT}`, { exitCode: 1 });
  if (format === 'ubjson') throw new QuantflowError('SAGEMAKER_MODEL', `${where}: the model is UBJSON (XGBoost 2.1 or newer), which quantflow does not read yet; ${HOW_TO_CONVERT}`, { exitCode: 1 });
  let text: string;
  let trees: number;
  if (format === 'binary' || format === 'unknown') {
    const { modelFromXgboostBinary } = await import('../../ml/gbdt/xgboost-binary.js');
    const { xgboostJsonText } = await import('../../ml/gbdt/xgboost-json.js');
    const src = member ? `${uri}!${member}` : uri;
    let parsed: import('../../ml/gbdt/model.js').GbdtModel;
    try {
      parsed = modelFromXgboostBinary(model, src);
    } catch (e) {
      if (format === 'unknown' && isQuantflowError(e))
        throw new QuantflowError('SAGEMAKER_MODEL', `${where}: not a model format quantflow knows (XGBoost JSON, XGBoost binary, UBJSON or a pickle); read as XGBoost binary: ${e.message}`, { exitCode: 2 });
      throw e;
    }
    text = xgboostJsonText(parsed);
    trees = parsed.trees.length;
  } else {
    text = Buffer.from(model).toString('utf8');
    const { modelFromXgboostJson } = await import('../../ml/gbdt/xgboost-json.js');
    trees = modelFromXgboostJson(JSON.parse(text), uri).trees.length;
  }
  const { ModelRegistry } = await import('../../ml/registry.js');
  const { sageMakerModelRecord } = await import('./model-record.js');
  new ModelRegistry(db).save(sageMakerModelRecord(modelId, { modelJson: text, origin: { artifact: uri, format: format === 'unknown' ? 'binary' : format, ...origin } }));

  return { modelId, format: format === 'unknown' ? 'binary' : format, trees };
}
