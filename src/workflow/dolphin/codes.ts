/**
 * Stable local codes for workflow and task definitions. DolphinScheduler's codes are snowflake-like
 * longs (about 1.6e14 today); ours are a hash of project/workflow/task name mapped into
 * [1e14, 1e14 + 8e15), so they look like DS codes, stay below 2^53, and the same file always exports
 * the same codes. `ds push` maps them to the server's codes (reusing existing ones by name).
 */
import { createHash } from 'node:crypto';

const BASE = 100_000_000_000_000n;
const SPAN = 8_000_000_000_000_000n;

export function stableCode(...parts: string[]): number {
  const h = createHash('sha256').update(parts.join('\u0000')).digest();
  let v = 0n;
  for (let i = 0; i < 8; i++) v = (v << 8n) | BigInt(h[i]!);
  return Number(BASE + (v % SPAN));
}

export function workflowCode(project: string, workflow: string): number {
  return stableCode('workflow', project, workflow);
}

/** Task codes are unique within a workflow (a collision, astronomically unlikely, is salted away). */
export function taskCodes(project: string, workflow: string, tasks: string[]): Map<string, number> {
  const out = new Map<string, number>();
  const used = new Set<number>();
  for (const name of tasks) {
    let code = stableCode('task', project, workflow, name);
    for (let salt = 1; used.has(code); salt++) code = stableCode('task', project, workflow, name, String(salt));
    used.add(code);
    out.set(name, code);
  }
  return out;
}
