import { spawn } from 'node:child_process';
import { binPath } from '../support/fs.js';

/**
 * Runs the built bin without blocking this process's event loop, so a test HTTP server living in
 * the test process can answer the CLI (runCli's spawnSync would deadlock it).
 */
export function runCliAsync(args: string[], opts: { env?: NodeJS.ProcessEnv } = {}): Promise<{ status: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [binPath, ...args], { env: { ...process.env, QUANTFLOW_PROGRESS: '', ...opts.env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('exit', (code) => resolve({ status: code ?? -1, stdout, stderr }));
  });
}
