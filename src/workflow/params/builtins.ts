/** The built-in parameters of spec §2 (system.biz.date, system.datetime, system.task.*, ...). */
import { createHash } from 'node:crypto';
import { formatJavaDate } from './java-date.js';

/** A stable positive code for a name (DolphinScheduler codes are numbers; we derive ours from names). */
const codes = new Map<string, string>();

export function codeOf(...parts: string[]): string {
  const key = parts.join('\u0000');
  let code = codes.get(key);
  if (code === undefined) {
    code = String(parseInt(createHash('sha1').update(key).digest('hex').slice(0, 12), 16));
    if (codes.size > 100_000) codes.clear();
    codes.set(key, code);
  }
  return code;
}

export interface BuiltinContext {
  /** The schedule time, else the run's start time. */
  base: Date;
  projectName: string;
  workflowName: string;
  runId: number;
  taskName?: string;
  taskInstanceId?: number;
  executePath?: string;
}

export function builtinParams(c: BuiltinContext): Record<string, string> {
  const yesterday = new Date(c.base.getTime());
  yesterday.setDate(yesterday.getDate() - 1);
  const p: Record<string, string> = {
    'system.biz.date': formatJavaDate(yesterday, 'yyyyMMdd'),
    'system.biz.curdate': formatJavaDate(c.base, 'yyyyMMdd'),
    'system.datetime': formatJavaDate(c.base, 'yyyyMMddHHmmss'),
    'system.project.name': c.projectName,
    'system.project.code': codeOf('project', c.projectName),
    'system.workflow.definition.name': c.workflowName,
    'system.workflow.definition.code': codeOf('workflow', c.projectName, c.workflowName),
    'system.workflow.instance.id': String(c.runId),
  };
  if (c.taskName !== undefined) {
    p['system.task.definition.name'] = c.taskName;
    p['system.task.definition.code'] = codeOf('task', c.projectName, c.workflowName, c.taskName);
  }
  if (c.taskInstanceId !== undefined) p['system.task.instance.id'] = String(c.taskInstanceId);
  if (c.executePath !== undefined) p['system.task.execute.path'] = c.executePath;
  return p;
}
