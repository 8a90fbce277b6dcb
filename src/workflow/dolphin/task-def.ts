/**
 * One element of `taskDefinitionJson` (spec §1.3-§1.5, §4.3): the common keys with DolphinScheduler's
 * names and PyDolphinScheduler's defaults, and the type-specific `taskParams`. Enums are sent by name
 * (numbers would be read as ordinals, spec §8.7).
 */
import { badInput } from '../../core/errors.js';
import type { Property, TaskDef } from '../model.js';
import type { Dialect } from './versions.js';

export interface ExportWarning {
  workflow: string;
  task?: string;
  message: string;
  loc?: { file: string; line: number; col: number };
}

export interface TaskContext {
  dialect: Dialect;
  workflow: string;
  /** The code of a task of this workflow by name. */
  codeOf: (task: string) => number;
  /** The code of a child workflow by name. */
  childCode: (name: string) => number;
  sagemakerDatasource?: number;
  /** environment_name -> environmentCode (push looks them up; export leaves -1). */
  environments?: Map<string, number>;
  warn: (w: Omit<ExportWarning, 'workflow'>) => void;
}

export type TaskElement = Record<string, unknown> & { code: number; name: string; taskType: string; taskParams: Record<string, unknown> };

function minutes(ctx: TaskContext, t: TaskDef, key: string, v: number): number {
  if (Number.isInteger(v)) return v;
  const r = Math.ceil(v);
  ctx.warn({ task: t.name, loc: t.loc, message: `${key} ${v} minutes is rounded up to ${r}: DolphinScheduler takes whole minutes` });
  return r;
}

function resourceList(t: TaskDef): { resourceName: string }[] {
  const r = t.raw['resource_list'];
  if (!Array.isArray(r)) return [];
  return r.filter((x): x is string => typeof x === 'string').map((resourceName) => ({ resourceName }));
}

function props(list: Property[]): Property[] {
  return list.map((p) => ({ prop: p.prop, direct: p.direct, type: p.type, value: String(p.value ?? '') }));
}

/** The keys PyDolphinScheduler puts in every non-logic task's taskParams. */
function batchParams(t: TaskDef): Record<string, unknown> {
  return {
    localParams: props(t.localParams),
    resourceList: resourceList(t),
    dependence: {},
    conditionResult: { successNode: [''], failedNode: [''] },
    waitStartTimeout: {},
  };
}

function taskParamsOf(t: TaskDef, ctx: TaskContext): { taskType: string; taskParams: Record<string, unknown> } {
  switch (t.type) {
    case 'SHELL':
      return { taskType: 'SHELL', taskParams: { rawScript: t.script ?? '', ...batchParams(t) } };
    case 'NOOP':
      ctx.warn({ task: t.name, loc: t.loc, message: 'NOOP is a quantflow-only task type: exported as a SHELL task running `true`' });
      return { taskType: 'SHELL', taskParams: { rawScript: 'true', ...batchParams(t) } };
    case 'PYTHON':
      return { taskType: 'PYTHON', taskParams: { rawScript: t.script ?? '', ...batchParams(t) } };
    case 'SUB_PROCESS': {
      if (!t.childWorkflow) throw badInput(`task ${t.name}: a SubProcess/SubWorkflow task needs workflow_name`, t.loc);
      const code = ctx.childCode(t.childWorkflow);
      return {
        taskType: ctx.dialect.subTaskType,
        taskParams: { localParams: props(t.localParams), resourceList: [], [ctx.dialect.subCodeField]: code },
      };
    }
    case 'SAGEMAKER': {
      const json = t.sagemakerRequestJson ?? '';
      if (json.trim() === '') throw badInput(`task ${t.name}: sagemaker_request_json is empty; DolphinScheduler rejects it`, t.loc);
      const taskParams: Record<string, unknown> = { sagemakerRequestJson: json, ...batchParams(t) };
      if (ctx.dialect.version !== '3.1') {
        taskParams.type = 'SAGEMAKER';
        taskParams.datasource = ctx.sagemakerDatasource ?? 0;
        if (ctx.sagemakerDatasource === undefined)
          ctx.warn({
            task: t.name,
            loc: t.loc,
            message: `DolphinScheduler ${ctx.dialect.version} reads AWS credentials from a SAGEMAKER datasource: pass --sagemaker-datasource ID (ds push looks it up when there is exactly one)`,
          });
      }
      return { taskType: 'SAGEMAKER', taskParams };
    }
    case 'SWITCH': {
      const branches = t.switchBranches ?? [];
      const def = branches.find((b) => b.condition === undefined);
      return {
        taskType: 'SWITCH',
        taskParams: {
          localParams: props(t.localParams),
          rawScript: '',
          resourceList: [],
          switchResult: {
            dependTaskList: branches.filter((b) => b.condition !== undefined).map((b) => ({ condition: b.condition, nextNode: ctx.codeOf(b.task) })),
            nextNode: def ? ctx.codeOf(def.task) : '',
          },
        },
      };
    }
    case 'CONDITIONS': {
      const c = t.condition;
      if (!c) throw badInput(`task ${t.name}: a Condition task needs groups`, t.loc);
      return {
        taskType: 'CONDITIONS',
        taskParams: {
          localParams: [],
          resourceList: [],
          dependence: {
            relation: c.op,
            dependTaskList: c.groups.map((g) => ({
              relation: g.op,
              dependItemList: g.items.map((i) => ({ depTaskCode: ctx.codeOf(i.task), status: i.flag ? 'SUCCESS' : 'FAILURE' })),
            })),
          },
          conditionResult: {
            successNode: c.successTask ? [ctx.codeOf(c.successTask)] : [],
            failedNode: c.failedTask ? [ctx.codeOf(c.failedTask)] : [],
          },
          waitStartTimeout: {},
        },
      };
    }
    default:
      throw badInput(
        `task ${t.name}: quantflow does not export ${t.typeAsWritten} (${t.type}) tasks to DolphinScheduler yet; it exports Shell, Python, SubProcess/SubWorkflow, SageMaker, Condition and Switch`,
        t.loc,
      );
  }
}

export function taskElement(t: TaskDef, ctx: TaskContext): TaskElement {
  const { taskType, taskParams } = taskParamsOf(t, ctx);
  const timeout = minutes(ctx, t, 'timeout', t.timeout);
  const isCache = t.raw['is_cache'] === true ? 'YES' : 'NO';
  return {
    code: ctx.codeOf(t.name),
    version: 1,
    name: t.name,
    description: t.description ?? '',
    taskType,
    taskParams,
    flag: t.flag,
    isCache,
    taskPriority: t.priority,
    workerGroup: t.workerGroup,
    environmentCode: environmentCode(t, ctx),
    failRetryTimes: t.failRetryTimes,
    failRetryInterval: minutes(ctx, t, 'fail_retry_interval', t.failRetryInterval),
    timeoutFlag: timeout > 0 ? 'OPEN' : 'CLOSE',
    timeoutNotifyStrategy: timeout > 0 ? (t.timeoutNotifyStrategy ?? null) : null,
    timeout,
    delayTime: minutes(ctx, t, 'delay_time', t.delayTime),
    taskGroupId: num(t.raw['task_group_id'], 0),
    taskGroupPriority: num(t.raw['task_group_priority'], 0),
    cpuQuota: taskType === 'SHELL' || taskType === 'PYTHON' ? num(t.raw['cpu_quota'], -1) : -1,
    memoryMax: taskType === 'SHELL' || taskType === 'PYTHON' ? num(t.raw['memory_max'], -1) : -1,
    taskExecuteType: 'BATCH',
  };
}

function num(v: unknown, fallback: number): number {
  return typeof v === 'number' && Number.isFinite(v) ? v : fallback;
}

function environmentCode(t: TaskDef, ctx: TaskContext): number {
  if (!t.environmentName) return -1;
  const code = ctx.environments?.get(t.environmentName);
  if (code !== undefined) return code;
  if (ctx.environments) throw badInput(`task ${t.name}: environment ${t.environmentName} does not exist on the server (Security > Environment Manage)`, t.loc);
  ctx.warn({ task: t.name, loc: t.loc, message: `environment ${t.environmentName} is exported as environmentCode -1; ds push looks up its code on the server` });
  return -1;
}
