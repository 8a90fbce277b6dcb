/** Runs the built CLI without blocking the event loop (the DolphinScheduler test server runs in this process). */
import { spawn } from 'node:child_process';
import { binPath } from '../../support/fs.js';
import type { CliResult } from '../../support/cli.js';

export function runCliAsync(args: string[], opts: { env?: NodeJS.ProcessEnv; cwd?: string } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [binPath, ...args], {
      cwd: opts.cwd,
      env: { ...process.env, QUANTFLOW_PROGRESS: '', QUANTFLOW_DS_TOKEN: '', QUANTFLOW_DS_URL: '', QUANTFLOW_DS_POLL_MS: '20', ...opts.env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ status: code ?? -1, stdout, stderr });
    });
  });
}
