/** Loads a workflow file (and the children it references) with the dialect loader. */
import type { WorkflowBundle } from '../model.js';
import { loadWorkflow } from '../dialect/load.js';

export async function loadBundle(file: string): Promise<WorkflowBundle> {
  return loadWorkflow(file);
}
