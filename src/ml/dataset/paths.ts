/**
 * Where datasets live by default: beside the store (`data/quantflow.db` -> `data/datasets/`), so
 * every task of a run, whatever folder it runs in, finds the same files through QUANTFLOW_DB.
 */
import { dirname, join } from 'node:path';
import type { DatasetFormat } from './files.js';

export function defaultDatasetPath(dbPath: string, kind: 'train' | 'inference', format: DatasetFormat): string {
  const dir = join(dirname(dbPath), 'datasets');
  if (format === 'sagemaker') return join(dir, 'sagemaker');
  return join(dir, kind === 'train' ? 'train.csv' : 'inference.csv');
}
