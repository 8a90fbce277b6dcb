import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { binPath } from './fs.js';

export interface CliResult {
  status: number;
  stdout: string;
  stderr: string;
}

/** Runs the built `quantflow` bin as a user would. */
export function runCli(args: string[], opts: SpawnSyncOptions & { env?: NodeJS.ProcessEnv } = {}): CliResult {
  const r = spawnSync(process.execPath, [binPath, ...args], {
    encoding: 'utf8',
    timeout: 120_000,
    ...opts,
    env: { ...process.env, QUANTFLOW_PROGRESS: '', ...opts.env },
  });
  return { status: r.status ?? -1, stdout: String(r.stdout ?? ''), stderr: String(r.stderr ?? '') };
}
