/** Loads a workflow file with the dialect loader (src/workflow/dialect/load.ts). */
import type { WorkflowBundle } from '../model.js';

type Loader = { loadWorkflow: (path: string, opts?: { cwd?: string; env?: NodeJS.ProcessEnv }) => WorkflowBundle };

export async function loadBundle(file: string): Promise<WorkflowBundle> {
  const spec = '../dialect/load.js';
  const mod = (await import(spec)) as Loader;
  return mod.loadWorkflow(file);
}
