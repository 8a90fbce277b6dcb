/**
 * Task scripts are written to a temp file and run from there (as DolphinScheduler's worker does).
 * The name carries the process id and a random part besides the task instance id: instance ids are
 * per store, and several stores (several users, tests, a TUI and a cron run) share one temp folder.
 */
import { mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';

export function scriptPath(taskInstanceId: number, ext: string): string {
  return join(tmpdir(), 'quantflow-tasks', `quantflow-task-${taskInstanceId}-${process.pid}-${randomBytes(4).toString('hex')}.${ext}`);
}

export function writeScript(taskInstanceId: number, ext: string, text: string): { path: string; remove(): void } {
  const path = scriptPath(taskInstanceId, ext);
  mkdirSync(join(tmpdir(), 'quantflow-tasks'), { recursive: true });
  writeFileSync(path, text.endsWith('\n') ? text : text + '\n', { mode: 0o700, flag: 'wx' });
  return { path, remove: () => rmSync(path, { force: true }) };
}
