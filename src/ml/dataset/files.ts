/**
 * Dataset files, in the two layouts of issue 5:
 * - `original`: one CSV with a header, the `<date>$<code>` index first (an unnamed column, as
 *   pandas writes it), then label, buy, the features and y (training), or buy and the features
 *   (inference) — what the original system handed its SageMaker processing step;
 * - `sagemaker`: a folder (or s3:// prefix) with train.csv, validation.csv and test.csv (no header,
 *   no index, label first, split by date) and inference.csv (features only) with inference-index.csv
 *   mapping its rows to `<date>$<code>` — the built-in XGBoost container's contract.
 * Missing values are empty fields; readers also accept `nan`. Files are written to a temporary name
 * and renamed, so a reader never sees half a dataset; s3:// targets are uploaded when complete.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { QuantflowError } from '../../core/errors.js';
import { isS3Uri, s3Join, withLocalCopy, writeThroughLocal } from '../../cloud/s3.js';
import type { LabelKind } from '../registry.js';
import { parseRowIndex, rowIndex, type DatasetTable } from './table.js';
import { splitByDate, type SplitSizes } from './split.js';

export type DatasetFormat = 'original' | 'sagemaker';

const num = (v: number): string => (Number.isFinite(v) ? String(v) : '');

function atomicWrite(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}

export function originalCsv(t: DatasetTable): string {
  const train = t.kind === 'train';
  const header = ['', ...(train ? ['label'] : []), 'buy', ...t.featureNames, ...(train ? ['y'] : [])];
  const lines = [header.join(',')];
  for (let i = 0; i < t.dates.length; i++) {
    const f: string[] = [rowIndex(t.dates[i]!, t.codes[i]!)];
    if (train) f.push(String(t.label![i]));
    f.push(num(t.buy[i]!));
    for (const col of t.features) f.push(num(col[i]!));
    if (train) f.push(num(t.y![i]!));
    lines.push(f.join(','));
  }
  return lines.join('\n') + '\n';
}

/** label, buy, features — no header, no index (SageMaker's built-in XGBoost CSV). */
function sagemakerRows(t: DatasetTable, withLabel: boolean): string {
  const out: string[] = [];
  for (let i = 0; i < t.dates.length; i++) {
    const f: string[] = withLabel ? [String(t.label![i])] : [];
    f.push(num(t.buy[i]!));
    for (const col of t.features) f.push(num(col[i]!));
    out.push(f.join(','));
  }
  return out.length ? out.join('\n') + '\n' : '';
}

export interface WriteResult {
  files: string[];
  rows: number;
}

export async function writeDataset(t: DatasetTable, out: string, format: DatasetFormat, split?: SplitSizes): Promise<WriteResult> {
  if (format === 'original') {
    await writeThroughLocal(out, (local) => atomicWrite(local, originalCsv(t)));
    return { files: [out], rows: t.dates.length };
  }
  const files: string[] = [];
  const put = async (name: string, text: string) => {
    const target = isS3Uri(out) ? s3Join(out, name) : join(out, name);
    await writeThroughLocal(target, (local) => atomicWrite(local, text));
    files.push(target);
  };
  if (t.kind === 'train') {
    const s = splitByDate(t, split);
    await put('train.csv', sagemakerRows(s.train, true));
    await put('validation.csv', sagemakerRows(s.valid, true));
    await put('test.csv', sagemakerRows(s.test, true));
  } else {
    await put('inference.csv', sagemakerRows(t, false));
    await put('inference-index.csv', t.dates.reduce((acc, d, i) => acc + rowIndex(d, t.codes[i]!) + '\n', ''));
  }
  return { files, rows: t.dates.length };
}

function parseNumber(field: string, where: () => string): number {
  const s = field.trim();
  if (s === '' || s.toLowerCase() === 'nan') return NaN;
  const v = Number(s);
  if (Number.isNaN(v)) throw new QuantflowError('BAD_DATASET', `${where()}: "${s}" is not a number`);
  return v;
}

/** Reads an original-layout dataset (local path or s3://). */
export async function readOriginalDataset(path: string, labelKind: LabelKind = 'next_close'): Promise<DatasetTable> {
  return withLocalCopy(path, (local) => {
    if (!existsSync(local)) throw new QuantflowError('NO_DATASET', `${path}: no such dataset (build one: quantflow dataset build)`);
    const lines = readFileSync(local, 'utf8').split(/\r?\n/).filter((l) => l.length > 0);
    if (lines.length === 0) throw new QuantflowError('BAD_DATASET', `${path}:1:1: the dataset is empty`);
    const header = lines[0]!.split(',');
    const hasLabel = header[1] === 'label';
    const hasY = header[header.length - 1] === 'y';
    const buyAt = hasLabel ? 2 : 1;
    if (header[buyAt] !== 'buy') throw new QuantflowError('BAD_DATASET', `${path}:1:1: not an original-layout dataset (expected the columns [index,] [label,] buy, features...)`);
    const featureNames = header.slice(buyAt + 1, hasY ? header.length - 1 : header.length);
    const n = lines.length - 1;
    const t: DatasetTable = {
      kind: hasLabel ? 'train' : 'inference',
      labelKind,
      signal: '',
      dates: new Int32Array(n),
      codes: new Array(n),
      buy: new Float64Array(n),
      featureNames,
      features: featureNames.map(() => new Float64Array(n)),
      label: hasLabel ? new Float64Array(n) : undefined,
      y: hasY ? new Float64Array(n) : undefined,
    };
    for (let r = 0; r < n; r++) {
      const f = lines[r + 1]!.split(',');
      const where = () => `${path}:${r + 2}`;
      if (f.length !== header.length) throw new QuantflowError('BAD_DATASET', `${where()}: ${f.length} fields, the header has ${header.length}`);
      const idx = parseRowIndex(f[0]!);
      if (!idx) throw new QuantflowError('BAD_DATASET', `${where()}:1: "${f[0]}" is not a <date>$<code> index`);
      t.dates[r] = idx.date;
      t.codes[r] = idx.code;
      if (t.label) t.label[r] = parseNumber(f[1]!, where);
      t.buy[r] = parseNumber(f[buyAt]!, where);
      for (let c = 0; c < featureNames.length; c++) t.features[c]![r] = parseNumber(f[buyAt + 1 + c]!, where);
      if (t.y) t.y[r] = parseNumber(f[f.length - 1]!, where);
    }
    return t;
  });
}
