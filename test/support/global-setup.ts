/**
 * Builds dist/ once before the suites, so tests that spawn the `quantflow` bin (and Shell tasks
 * that call it) run the code under test, not a stale build. tsc emits even when there are type
 * errors; those are reported here and fail CI in `npm run typecheck`, not by stopping every suite.
 */
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

export default function setup(): void {
  const root = resolve(import.meta.dirname, '..', '..');
  const r = spawnSync(process.execPath, [resolve(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], {
    cwd: root,
    encoding: 'utf8',
  });
  if (r.status !== 0) {
    process.stderr.write(`\n[global-setup] tsc reported type errors (dist/ was still emitted):\n${(r.stdout + r.stderr).split('\n').slice(0, 20).join('\n')}\n`);
  }
}
