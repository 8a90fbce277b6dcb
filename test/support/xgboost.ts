/**
 * Finds a python3 with xgboost (Debian's python3-xgboost lives in /usr/bin/python3, not in the
 * pyenv python3 first on PATH). Tests and the GBDT bench use it as a reference only; when none is
 * found they skip and say so.
 */
import { spawnSync } from 'node:child_process';

export interface XgboostPython {
  python: string;
  version: string;
}

let cached: XgboostPython | null | undefined;

function candidates(): string[] {
  const out: string[] = [];
  if (process.env.QUANTFLOW_XGBOOST_PYTHON) out.push(process.env.QUANTFLOW_XGBOOST_PYTHON);
  out.push('/usr/bin/python3');
  const r = spawnSync('sh', ['-c', 'type -ap python3 2>/dev/null || which -a python3'], { encoding: 'utf8' });
  for (const line of String(r.stdout ?? '').split('\n')) {
    const p = line.trim().replace(/^python3 is /, '');
    if (p && !out.includes(p)) out.push(p);
  }
  return out;
}

/** The first python3 that imports xgboost, or undefined. */
export function findXgboostPython(): XgboostPython | undefined {
  if (cached !== undefined) return cached ?? undefined;
  for (const python of candidates()) {
    const r = spawnSync(python, ['-c', 'import xgboost, numpy; print(xgboost.__version__)'], { encoding: 'utf8', timeout: 60_000 });
    if (r.status === 0) {
      cached = { python, version: String(r.stdout).trim() };
      return cached;
    }
  }
  cached = null;
  return undefined;
}

export const XGBOOST_SKIP_MESSAGE =
  'SKIPPED: no python3 with xgboost found (tried $QUANTFLOW_XGBOOST_PYTHON, /usr/bin/python3 and every python3 on PATH); install Debian python3-xgboost to run the interoperability test';

/** Runs a Python script with the xgboost python; throws with its stderr on failure. */
export function runPython(py: XgboostPython, script: string, args: string[] = [], timeoutMs = 300_000): string {
  const r = spawnSync(py.python, ['-c', script, ...args], { encoding: 'utf8', timeout: timeoutMs, maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(`python failed (${r.status}): ${String(r.stderr).slice(-2000)}`);
  return String(r.stdout);
}
