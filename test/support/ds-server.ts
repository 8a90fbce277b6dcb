/**
 * A local DolphinScheduler REST server for tests: the endpoints quantflow uses (3.1/3.2 process-*
 * and 3.3 workflow-* names), form-encoded bodies, the `token` header, the {code,msg,data} envelope,
 * and the checks the real server (and the spec) apply to what it receives.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { readFileSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { AddressInfo } from 'node:net';
import { repoRoot } from './fs.js';

// ---------------------------------------------------------------------------------------------
// Shapes of DolphinScheduler's own payloads (../shared/specs/ds-payloads)

export const payloadDir = resolve(repoRoot, '..', 'shared', 'specs', 'ds-payloads');

export function readPayload(file: string): { form?: Record<string, unknown>; taskType?: string; taskParams?: Record<string, unknown> } {
  return JSON.parse(readFileSync(resolve(payloadDir, file), 'utf8'));
}

export function payloadFiles(): string[] {
  return readdirSync(payloadDir).filter((f) => f.endsWith('.json'));
}

export function jsonType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

/** Keys that DS sends as null or a string (Java null). */
const NULLABLE = new Set(['timeoutNotifyStrategy', 'description', 'nextNode']);

/**
 * Where `actual` lacks a key of `reference` or has another JSON type there (recursively; arrays compare
 * their first elements when both are non-empty). `ignore` lists dotted paths not to compare.
 */
export function shapeMismatches(reference: unknown, actual: unknown, path = '', ignore: ReadonlySet<string> = new Set()): string[] {
  const out: string[] = [];
  const rt = jsonType(reference);
  const at = jsonType(actual);
  const key = path.split('.').pop() ?? '';
  if (rt !== at) {
    const nullable = NULLABLE.has(key) && (rt === 'null' || at === 'null') && (rt === 'string' || at === 'string' || rt === 'number' || at === 'number');
    if (!nullable) out.push(`${path || '<root>'}: expected ${rt}, got ${at}`);
    return out;
  }
  if (rt === 'object') {
    const r = reference as Record<string, unknown>;
    const a = actual as Record<string, unknown>;
    for (const k of Object.keys(r)) {
      const p = path ? `${path}.${k}` : k;
      if (ignore.has(p) || ignore.has(k)) continue;
      if (!(k in a)) out.push(`${p}: missing`);
      else out.push(...shapeMismatches(r[k], a[k], p, ignore));
    }
  } else if (rt === 'array') {
    const r = reference as unknown[];
    const a = actual as unknown[];
    if (r.length > 0 && a.length > 0) out.push(...shapeMismatches(r[0], a[0], `${path}[]`, ignore));
  }
  return out;
}
