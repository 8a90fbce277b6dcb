import { spawn, spawnSync, type SpawnSyncOptions } from 'node:child_process';
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

/**
 * The same, without blocking the event loop: needed when the test process itself serves what the
 * CLI talks to (an emulator or a local HTTP server on 127.0.0.1).
 */
export function runCliAsync(args: string[], opts: { env?: NodeJS.ProcessEnv; cwd?: string; timeoutMs?: number } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [binPath, ...args], {
      cwd: opts.cwd,
      env: { ...process.env, QUANTFLOW_PROGRESS: '', ...opts.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 120_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ status: code ?? -1, stdout, stderr });
    });
  });
}
