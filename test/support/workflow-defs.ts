/**
 * Hand-built workflows with the loader's defaults, for tests and benchmarks that need a
 * WorkflowDef without a YAML file (runner, exporter, engine bench).
 */
import type { TaskDef, WorkflowBundle, WorkflowDef } from '../../src/workflow/model.js';

export function taskDef(name: string, over: Partial<TaskDef> = {}): TaskDef {
  const type = over.type ?? 'SHELL';
  return {
    name,
    type,
    typeAsWritten: type === 'SHELL' ? 'Shell' : type,
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

export function workflowDef(name: string, file: string, tasks: TaskDef[], over: Partial<WorkflowDef> = {}): WorkflowDef {
  return {
    name,
    file,
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
    loc: { file, line: 1, col: 1 },
    ...over,
  };
}

/** A bundle in load order: children first, the root last. */
export function bundleOf(root: WorkflowDef, children: WorkflowDef[] = []): WorkflowBundle {
  const byName = new Map<string, WorkflowDef>();
  for (const c of children) byName.set(c.name, c);
  byName.set(root.name, root);
  return { root, byName, order: [...children, root] };
}
