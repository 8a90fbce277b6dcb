/**
 * Which YAML files in a folder are workflows: those with a top-level `workflow:` key. A folder of
 * workflows also holds other YAML (feature configurations, SageMaker request templates), and listing
 * those as broken workflows would be noise; `quantflow validate FILE` still reports any file it is given.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

const TOP_LEVEL_WORKFLOW = /^workflow[ \t]*:/m;

export function isWorkflowFile(path: string): boolean {
  try {
    return TOP_LEVEL_WORKFLOW.test(readFileSync(path, 'utf8'));
  } catch {
    return false;
  }
}

/** Workflow files in `dir` (and its sub-folders down to `depth`), sorted by path. */
export function findWorkflowFiles(dir: string, depth = 0): string[] {
  const abs = resolve(dir);
  let names: string[];
  try {
    names = readdirSync(abs).sort();
  } catch {
    return [];
  }
  const out: string[] = [];
  for (const name of names) {
    if (name.startsWith('.') || name === 'node_modules') continue;
    const p = join(abs, name);
    let st;
    try {
      st = statSync(p);
    } catch {
      continue;
    }
    if (st.isDirectory()) {
      if (depth > 0) out.push(...findWorkflowFiles(p, depth - 1));
    } else if (/\.ya?ml$/i.test(name) && isWorkflowFile(p)) out.push(p);
  }
  return out;
}
