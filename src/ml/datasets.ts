/**
 * "The latest built dataset unless given one, and build it when none exists": the one place that
 * decides which dataset train, evaluate and recommend read.
 */
import { existsSync } from 'node:fs';
import type { Db } from '../core/db.js';
import { isS3Uri } from '../cloud/s3.js';
import { loadAnalysisConfig } from '../analysis/config.js';
import { buildDataset } from './dataset/build.js';
import { readOriginalDataset, writeDataset } from './dataset/files.js';
import { defaultDatasetPath } from './dataset/paths.js';
import type { DatasetTable } from './dataset/table.js';
import type { LabelKind } from './registry.js';

export interface DatasetRequest {
  db: Db;
  dbPath: string;
  kind: 'train' | 'inference';
  /** An original-layout CSV (local or s3://); default: the store's data/datasets/<kind>.csv. */
  path?: string;
  /** The signal/feature configuration used when the dataset has to be built. */
  configPath?: string;
  labelKind?: LabelKind;
}

export async function obtainDataset(req: DatasetRequest): Promise<{ table: DatasetTable; path: string; built: boolean }> {
  const path = req.path ?? defaultDatasetPath(req.dbPath, req.kind, 'original');
  if (req.path || isS3Uri(path) || existsSync(path)) {
    return { table: await readOriginalDataset(path, req.labelKind), path, built: false };
  }
  const table = await buildDataset(req.db, { kind: req.kind, config: loadAnalysisConfig(req.configPath), labelKind: req.labelKind });
  await writeDataset(table, path, 'original');
  return { table, path, built: true };
}
