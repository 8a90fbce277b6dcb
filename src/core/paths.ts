/** Where quantflow itself lives, so tasks can call this very quantflow. */
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { existsSync } from 'node:fs';

function findRoot(): string {
  // src/core/paths.ts or dist/core/paths.js: the project root is two folders up.
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    if (existsSync(resolve(dir, 'package.json')) && existsSync(resolve(dir, 'bin', 'quantflow.js'))) return dir;
    dir = dirname(dir);
  }
  return resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
}

export const projectRoot = findRoot();
/** Holds `quantflow` (a shell shim) so `quantflow ...` inside a Shell task runs this checkout. */
export const binDir = resolve(projectRoot, 'bin');
export const defaultWorkflowsDir = resolve(projectRoot, 'workflows');
