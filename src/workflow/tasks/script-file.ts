/** Task scripts are written to a temp file and run from there (as DolphinScheduler's worker does). */
import { mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function scriptPath(taskInstanceId: number, ext: string): string {
  return join(tmpdir(), 'quantflow-tasks', `quantflow-task-${taskInstanceId}.${ext}`);
}

export function writeScript(taskInstanceId: number, ext: string, text: string): { path: string; remove(): void } {
  const path = scriptPath(taskInstanceId, ext);
  mkdirSync(join(tmpdir(), 'quantflow-tasks'), { recursive: true });
  writeFileSync(path, text.endsWith('\n') ? text : text + '\n', { mode: 0o700 });
  return { path, remove: () => rmSync(path, { force: true }) };
}
