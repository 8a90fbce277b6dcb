/**
 * Runs a program in its own process group (detached), captures stdout and stderr line by line,
 * and kills the whole group on abort (SIGTERM, then SIGKILL after a grace).
 */
import { spawn } from 'node:child_process';
import type { TaskContext, TaskResult } from './types.js';

function killGroup(pid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    return false;
  }
}

export function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function lineSplitter(onLine: (line: string) => void): { push(chunk: Buffer): void; end(): void } {
  let rest = '';
  return {
    push(chunk) {
      const text = rest + chunk.toString('utf8');
      const parts = text.split('\n');
      rest = parts.pop() ?? '';
      for (const p of parts) onLine(p.endsWith('\r') ? p.slice(0, -1) : p);
    },
    end() {
      if (rest.length > 0) onLine(rest);
      rest = '';
    },
  };
}

/** Spawns `command args` in ctx.cwd with ctx.env; resolves when the process exits and its output is drained. */
export function runProcess(ctx: TaskContext, command: string, args: string[]): Promise<TaskResult> {
  return new Promise((resolvePromise) => {
    if (ctx.signal.aborted) {
      resolvePromise({ state: 'KILL', message: 'killed before it started' });
      return;
    }
    const child = spawn(command, args, { cwd: ctx.cwd, env: ctx.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let killed = false;
    let graceTimer: NodeJS.Timeout | undefined;
    const onAbort = () => {
      if (killed || child.pid === undefined) return;
      killed = true;
      killGroup(child.pid, 'SIGTERM');
      graceTimer = setTimeout(() => {
        if (child.pid !== undefined) killGroup(child.pid, 'SIGKILL');
      }, ctx.killGraceMs);
    };
    if (child.pid !== undefined) ctx.setPid(child.pid);
    ctx.signal.addEventListener('abort', onAbort, { once: true });
    const out = lineSplitter((l) => ctx.log('stdout', l));
    const err = lineSplitter((l) => ctx.log('stderr', l));
    child.stdout!.on('data', (c: Buffer) => out.push(c));
    child.stderr!.on('data', (c: Buffer) => err.push(c));
    let spawnError: Error | undefined;
    child.on('error', (e) => {
      spawnError = e;
    });
    child.on('close', (code, signal) => {
      out.end();
      err.end();
      ctx.signal.removeEventListener('abort', onAbort);
      // Make sure nothing of the group survives the leader (background jobs of the script).
      if (child.pid !== undefined && killed && groupAlive(child.pid)) killGroup(child.pid, 'SIGKILL');
      if (graceTimer) clearTimeout(graceTimer);
      ctx.setPid(null);
      if (spawnError) {
        resolvePromise({ state: 'FAILURE', message: `cannot start ${command}: ${spawnError.message}` });
      } else if (killed) {
        resolvePromise({ state: 'KILL', exitCode: code ?? undefined, message: `killed${signal ? ` (${signal})` : ''}` });
      } else if (code === 0) {
        resolvePromise({ state: 'SUCCESS', exitCode: 0 });
      } else {
        resolvePromise({ state: 'FAILURE', exitCode: code ?? undefined, message: code === null ? `terminated by ${signal}` : `exit code ${code}` });
      }
    });
  });
}
