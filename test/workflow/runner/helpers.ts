/** Hand-built workflows for runner tests (the same shapes the YAML loader produces). */
import { join } from 'node:path';
import type { TaskDef, WorkflowBundle, WorkflowDef, Property } from '../../../src/workflow/model.js';
import { tempDir } from '../../support/fs.js';

export function task(name: string, over: Partial<TaskDef> = {}): TaskDef {
  return {
    name,
    type: 'SHELL',
    typeAsWritten: 'Shell',
    deps: [],
    flag: 'YES',
    priority: 'MEDIUM',
    workerGroup: 'default',
    delayTime: 0,
    failRetryTimes: 0,
    failRetryInterval: 1,
    timeout: 0,
    localParams: [],
    raw: {},
    loc: { file: 'test.yaml', line: 1, col: 1 },
    ...over,
  };
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
  return {
    name,
    file: join(dir, `${name}.yaml`),
    project: 'project-test',
    workerGroup: 'default',
    warningType: 'NONE',
    warningGroupId: 0,
    executionType: 'PARALLEL',
    releaseState: 'online',
    timeout: 0,
    onlineSchedule: false,
    timezone: 'Asia/Shanghai',
    params: {},
    run: false,
    tasks,
    loc: { file: join(dir, `${name}.yaml`), line: 1, col: 1 },
    ...over,
  };
}

export function bundle(root: WorkflowDef, children: WorkflowDef[] = []): WorkflowBundle {
  const byName = new Map<string, WorkflowDef>();
  for (const c of children) byName.set(c.name, c);
  byName.set(root.name, root);
  return { root, byName, order: [...children, root] };
}

export function sandbox(): { dir: string; db: string; cleanup: () => void } {
  const t = tempDir('qf-run-');
  return { dir: t.dir, db: join(t.dir, 'store.db'), cleanup: t.cleanup };
}
