/** `ds export --out DIR`: one `<workflow name>.json` per workflow, each written atomically. */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ExportResult } from './export.js';

export function writeExport(r: ExportResult, dir: string): string[] {
  const out = resolve(dir);
  mkdirSync(out, { recursive: true });
  const written: string[] = [];
  for (const w of r.workflows) {
    const safe = w.name.replace(/[\\/:*?"<>|\u0000-\u001f]/g, '_');
    const path = join(out, `${safe}.json`);
    const tmp = `${path}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify({ name: w.name, code: w.code, version: r.version, form: w.form }, null, 2) + '\n');
    renameSync(tmp, path);
    written.push(path);
  }
  return written;
}
