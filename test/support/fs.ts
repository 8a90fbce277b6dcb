import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const repoRoot = resolve(import.meta.dirname, '..', '..');
/** The real CSI 300 daily bars, read in place (../shared is read-only in CI). */
export const csi300Dir = resolve(repoRoot, '..', 'shared', 'data', 'csi300-daily');
export const binPath = resolve(repoRoot, 'bin', 'quantflow.js');

/** A fresh temporary folder, removed by the returned cleanup. */
export function tempDir(prefix = 'qf-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
