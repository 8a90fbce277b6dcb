/** Hand-built workflows for runner tests (the same shapes the YAML loader produces). */
import { afterEach } from 'vitest';
import { join } from 'node:path';
import type { TaskDef, WorkflowDef, Property } from '../../../src/workflow/model.js';
import { tempDir } from '../../support/fs.js';
import { bundleOf, taskDef, workflowDef } from '../../support/workflow-defs.js';

export function task(name: string, over: Partial<TaskDef> = {}): TaskDef {
  return taskDef(name, over);
}

export function shell(name: string, script: string, over: Partial<TaskDef> = {}): TaskDef {
  return task(name, { script, ...over });
}

export function inParam(prop: string, value: string): Property {
  return { prop, direct: 'IN', type: 'VARCHAR', value };
}
export function outParam(prop: string): Property {
  return { prop, direct: 'OUT', type: 'VARCHAR', value: '' };
}

export function workflow(name: string, dir: string, tasks: TaskDef[], over: Partial<WorkflowDef> = {}): WorkflowDef {
  return workflowDef(name, join(dir, `${name}.yaml`), tasks, over);
}

export const bundle = bundleOf;

export function sandbox(): { dir: string; db: string; cleanup: () => void } {
  const t = tempDir('qf-run-');
  return { dir: t.dir, db: join(t.dir, 'store.db'), cleanup: t.cleanup };
}

/** Call at a test file's top level: a maker of sandboxes, each removed after the test that made it. */
export function sandboxes(): () => ReturnType<typeof sandbox> {
  let made: (() => void)[] = [];
  afterEach(() => {
    for (const c of made) c();
    made = [];
  });
  return () => {
    const b = sandbox();
    made.push(b.cleanup);
    return b;
  };
}
