/**
 * One parsed YAML document -> WorkflowDef (spec §1.1 steps 4-7): macros on every string, schema
 * checks, defaults of §1.2/§1.3, params of §1.7, the edges Condition and Switch imply. Every problem
 * becomes a Diagnostic located in the YAML source; references and cycles are checked in validate.ts.
 */
import type { z } from 'zod';
import type { ConditionSpec, DataType, Diagnostic, Property, SwitchBranch, TaskDef, WorkflowDef } from '../model.js';
import { suggestion } from './did-you-mean.js';
import { MacroError, expandString, parseTypedValue, type MacroContext } from './macros.js';
import {
  commonTaskSchema,
  conditionGroups,
  dependentGroups,
  describeIssue,
  switchCondition,
  typeKeySchemas,
  workflowSchema,
  type CommonTaskInput,
  type WorkflowInput,
} from './schema.js';
import type { Path, Positions } from './source.js';
import { COMMON_TASK_KEYS, TASK_TYPE_NAMES, WORKFLOW_KEYS, lookupTaskType, type TaskTypeInfo } from './task-types.js';

/** Where each task mapping sits in the YAML (`['tasks', i]`), for later diagnostics. */
export const taskPaths = new WeakMap<TaskDef, Path>();

export interface BuildContext {
  file: string;
  positions: Positions;
  macros: MacroContext;
  diagnostics: Diagnostic[];
  /** Every task name written in the file, including tasks that failed to build. */
  taskNames?: Set<string>;
}

function isMapping(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function err(ctx: BuildContext, message: string, path: Path, atKey = false): void {
  ctx.diagnostics.push({ severity: 'error', message, loc: atKey ? ctx.positions.keyLoc(path) : ctx.positions.loc(path) });
}

function warn(ctx: BuildContext, message: string, path: Path, atKey = false): void {
  ctx.diagnostics.push({ severity: 'warning', message, loc: atKey ? ctx.positions.keyLoc(path) : ctx.positions.loc(path) });
}

/** A readable key path: `tasks[2].local_params[0].value`. */
export function showPath(path: Path): string {
  let s = '';
  for (const p of path) s += typeof p === 'number' ? `[${p}]` : s === '' ? p : `.${p}`;
  return s;
}

/** Applies $FILE, $ENV then ${CONFIG.key} to every string under `value` (lists and mappings walked). */
function expandAll(ctx: BuildContext, value: unknown, path: Path, label: string, rel: Path): unknown {
  if (typeof value === 'string') {
    try {
      if (!value.includes('$')) return value;
      return expandString(value, { ...ctx.macros, onShadow: (m) => warn(ctx, `${label}: ${showPath(rel)}: ${m}`, path) });
    } catch (e) {
      if (e instanceof MacroError) {
        err(ctx, `${label}: ${showPath(rel)}: ${e.message}`, path);
        return value;
      }
      throw e;
    }
  }
  if (Array.isArray(value)) return value.map((v, i) => expandAll(ctx, v, [...path, i], label, [...rel, i]));
  if (isMapping(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = expandAll(ctx, v, [...path, k], label, [...rel, k]);
    return out;
  }
  return value;
}

/**
 * Runs a schema; each issue is reported at its value, as `LABEL: key.path expected ...`
 * (`base` is the YAML path of `value`, `rel` the key path shown relative to the label).
 */
function checkSchema<T>(ctx: BuildContext, schema: z.ZodType<T>, value: unknown, base: Path, label: string, rel: Path = []): T | undefined {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  for (const issue of r.error.issues) {
    const sub = issue.path as (string | number)[];
    const shown = showPath([...rel, ...sub]);
    err(ctx, `${label}: ${shown === '' ? 'value' : shown} ${describeIssue(issue, value)}`, [...base, ...sub]);
  }
  return undefined;
}

function unknownKeys(ctx: BuildContext, obj: Record<string, unknown>, known: readonly string[], base: Path, what: string): void {
  for (const k of Object.keys(obj)) {
    if (known.includes(k)) continue;
    warn(ctx, `unknown key "${k}" in ${what}, ignored${suggestion(k, known)}`, [...base, k], true);
  }
}

const DATE_FORMATS: RegExp[] = [
  /^(\d{4})-(\d{2})-(\d{2})(?: (\d{2}):(\d{2}):(\d{2}))?$/,
  /^(\d{4})\/(\d{2})\/(\d{2})(?: (\d{2}):(\d{2}):(\d{2}))?$/,
  /^(\d{4})(\d{2})(\d{2})(?: (\d{2}):?(\d{2}):?(\d{2}))?$/,
];

/** PyDS's accepted start/end time forms -> `yyyy-MM-dd HH:mm:ss`, or undefined. */
export function normalizeDateTime(s: string): string | undefined {
  for (const re of DATE_FORMATS) {
    const m = re.exec(s.trim());
    if (!m) continue;
    const [y, mo, d, h = '00', mi = '00', se = '00'] = m.slice(1);
    const date = new Date(Date.UTC(+y, +mo - 1, +d, +h, +mi, +se));
    if (date.getUTCMonth() !== +mo - 1 || date.getUTCDate() !== +d || +h > 23 || +mi > 59 || +se > 59) return undefined;
    return `${y}-${mo}-${d} ${h}:${mi}:${se}`;
  }
  return undefined;
}

export function isValidTimezone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

export function buildWorkflow(ctx: BuildContext, top: unknown): WorkflowDef | undefined {
  if (!isMapping(top)) {
    err(ctx, 'a workflow file must be a mapping with "workflow" and "tasks" keys', []);
    return undefined;
  }
  if (!isMapping(top.workflow)) {
    err(ctx, top.workflow === undefined ? 'missing the top-level "workflow" mapping' : '"workflow" must be a mapping', top.workflow === undefined ? [] : ['workflow']);
    return undefined;
  }
  const rawWf = expandAll(ctx, top.workflow, ['workflow'], 'workflow', []) as Record<string, unknown>;
  unknownKeys(ctx, rawWf, WORKFLOW_KEYS, ['workflow'], 'workflow');
  const wIn = checkSchema(ctx, workflowSchema, rawWf, ['workflow'], 'workflow') as WorkflowInput | undefined;

  const tasksRaw = top.tasks;
  const tasks: TaskDef[] = [];
  if (tasksRaw === undefined || tasksRaw === null) {
    if (tasksRaw === undefined) warn(ctx, 'no "tasks" list: the workflow has no tasks', ['workflow'], true);
  } else if (!Array.isArray(tasksRaw)) {
    err(ctx, '"tasks" must be a list of task mappings', ['tasks']);
  } else {
    const workerGroup = wIn?.worker_group ?? 'default';
    // Duplicate names are checked on the YAML itself, so a duplicate is reported even when one of
    // the two tasks has other errors.
    const firstLine = new Map<string, number>();
    tasksRaw.forEach((t, i) => {
      if (!isMapping(t) || (typeof t.name !== 'string' && typeof t.name !== 'number')) return;
      const name = String(t.name);
      const first = firstLine.get(name);
      (ctx.taskNames ??= new Set()).add(name);
      if (first === undefined) firstLine.set(name, ctx.positions.loc(['tasks', i, 'name']).line);
      else err(ctx, `duplicate task name "${name}" (first defined at line ${first})`, ['tasks', i, 'name']);
    });
    tasksRaw.forEach((t, i) => {
      const def = buildTask(ctx, t, ['tasks', i], workerGroup);
      if (def) tasks.push(def);
    });
  }
  // Checked on the raw values, so they are reported even when another workflow key is wrong.
  let startTime: string | undefined;
  let endTime: string | undefined;
  for (const key of ['start_time', 'end_time'] as const) {
    const v = rawWf[key];
    if (typeof v !== 'string' && typeof v !== 'number') continue;
    const n = normalizeDateTime(String(v));
    if (!n) err(ctx, `workflow.${key} "${v}" is not a date (yyyy-MM-dd, yyyy/MM/dd or yyyyMMdd, optionally with " HH:mm:ss")`, ['workflow', key]);
    if (key === 'start_time') startTime = n;
    else endTime = n;
  }
  const timezone = typeof rawWf.timezone === 'string' ? rawWf.timezone : 'Asia/Shanghai';
  if (!isValidTimezone(timezone)) err(ctx, `workflow.timezone "${timezone}" is not an IANA time zone (e.g. Asia/Shanghai, America/New_York)`, ['workflow', 'timezone']);
  // With a bad workflow key, go on with what is usable so the tasks are still checked (deps,
  // cycles); the file has an error, so this definition never reaches a bundle.
  const w: WorkflowInput = wIn ?? {
    name: typeof rawWf.name === 'string' || typeof rawWf.name === 'number' ? String(rawWf.name) : '(unnamed)',
    schedule: typeof rawWf.schedule === 'string' ? rawWf.schedule : undefined,
  };

  const params: Record<string, string> = {};
  for (const [k, v] of Object.entries(w.param ?? {})) params[k] = v;
  return {
    name: w.name,
    description: w.description,
    file: ctx.file,
    project: w.project ?? 'project-pydolphin',
    user: w.user,
    workerGroup: w.worker_group ?? 'default',
    warningType: (w.warning_type ?? 'NONE') as WorkflowDef['warningType'],
    warningGroupId: w.warning_group_id ?? 0,
    executionType: (w.execution_type ?? 'PARALLEL') as WorkflowDef['executionType'],
    releaseState: (w.release_state ?? 'online') as WorkflowDef['releaseState'],
    timeout: w.timeout ?? 0,
    schedule: w.schedule,
    onlineSchedule: w.schedule !== undefined ? (w.online_schedule ?? true) : false,
    timezone,
    startTime,
    endTime,
    tenant: w.tenant,
    params,
    run: w.run ?? false,
    tasks,
    loc: ctx.positions.loc(['workflow']),
  };
}

function inferType(v: unknown, source: string | undefined): DataType {
  if (typeof v === 'boolean') return 'BOOLEAN';
  if (typeof v === 'number') return Number.isInteger(v) && !(source && /[.eEn]/.test(source)) ? 'INTEGER' : 'FLOAT';
  return 'VARCHAR';
}

function paramsOf(ctx: BuildContext, raw: Record<string, unknown>, key: 'input_params' | 'output_params', path: Path): Property[] {
  const obj = raw[key];
  if (!isMapping(obj)) return [];
  const out: Property[] = [];
  for (const [prop, v] of Object.entries(obj)) {
    const p = [...path, key, prop];
    const direct = key === 'input_params' ? 'IN' : 'OUT';
    const source = ctx.positions.info(p)?.source;
    if (typeof v === 'string') {
      try {
        const typed = parseTypedValue(v);
        if (typed) {
          out.push({ prop, direct, type: typed.type, value: typed.value });
          continue;
        }
      } catch (e) {
        if (e instanceof MacroError) {
          err(ctx, `task "${String(raw.name)}": ${key}.${prop}: ${e.message}`, p);
          continue;
        }
        throw e;
      }
    }
    const value = v === null || v === undefined ? '' : typeof v === 'number' && source ? source : String(v);
    out.push({ prop, direct, type: inferType(v, source), value });
  }
  return out;
}

/** Python: a definition starting with `def f(` gets a call `f()` appended, as PyDS does. */
function pythonScript(definition: string): string {
  const m = /^def\s+([A-Za-z_]\w*)\s*\(/.exec(definition);
  return m ? `${definition.replace(/\s+$/, '')}\n${m[1]}()` : definition;
}

function buildTask(ctx: BuildContext, t: unknown, path: Path, workerGroup: string): TaskDef | undefined {
  if (!isMapping(t)) {
    err(ctx, `${showPath(path)} must be a task mapping (name, task_type, ...)`, path);
    return undefined;
  }
  // PyDS strips task_type and deps before its parse rules; everything else goes through $FILE/$ENV.
  const label = typeof t.name === 'string' || typeof t.name === 'number' ? `task "${t.name}"` : showPath(path);
  const raw: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(t)) raw[k] = k === 'task_type' || k === 'deps' ? v : expandAll(ctx, v, [...path, k], label, [k]);

  let info: TaskTypeInfo | undefined;
  if (typeof raw.task_type === 'string') {
    info = lookupTaskType(raw.task_type);
    if (!info) err(ctx, `${label}: unknown task_type "${raw.task_type}"${suggestion(raw.task_type, TASK_TYPE_NAMES)}`, [...path, 'task_type']);
  }
  const common = checkSchema(ctx, commonTaskSchema, raw, path, label) as CommonTaskInput | undefined;
  if (!info) return undefined;

  const known = ['name', 'task_type', 'deps', ...info.keys, ...(info.logic ? ['description'] : COMMON_TASK_KEYS)];
  for (const k of Object.keys(raw)) {
    if (known.includes(k)) continue;
    if (info.logic && (COMMON_TASK_KEYS as readonly string[]).includes(k)) {
      warn(ctx, `${label}: "${k}" is ignored by ${info.className} tasks (PyDolphinScheduler drops it)`, [...path, k], true);
    } else {
      warn(ctx, `${label}: unknown key "${k}" for a ${info.className} task, ignored${suggestion(k, known)}`, [...path, k], true);
    }
  }
  for (const k of info.required) {
    if (raw[k] === undefined || raw[k] === null) err(ctx, `${label}: ${info.className} task needs "${k}"`, path);
  }
  let typeOk = true;
  for (const k of info.keys) {
    if (raw[k] === undefined || raw[k] === null) continue;
    let schema: z.ZodType | undefined = typeKeySchemas[k];
    if (info.type === 'SWITCH' && k === 'condition') schema = switchCondition;
    if (info.type === 'CONDITIONS' && k === 'groups') schema = conditionGroups;
    if (info.type === 'DEPENDENT' && k === 'groups') schema = dependentGroups;
    if (schema && checkSchema(ctx, schema, raw[k], [...path, k], label, [k]) === undefined) typeOk = false;
  }
  if (!common || !typeOk) return undefined;

  const name = common.name;
  const deps = [...(common.deps ?? [])];
  const localParams: Property[] = [];
  for (const lp of common.local_params ?? []) {
    localParams.push({ prop: lp.prop, direct: lp.direct as Property['direct'], type: lp.type as DataType, value: lp.value ?? '' });
  }
  localParams.push(...paramsOf(ctx, raw, 'input_params', path), ...paramsOf(ctx, raw, 'output_params', path));

  const def: TaskDef = {
    name,
    type: info.type,
    typeAsWritten: common.task_type,
    description: common.description ?? undefined,
    deps,
    flag: (common.flag ?? 'YES') as TaskDef['flag'],
    priority: (common.task_priority ?? 'MEDIUM') as TaskDef['priority'],
    workerGroup: common.worker_group ?? workerGroup,
    environmentName: common.environment_name ?? undefined,
    delayTime: common.delay_time ?? 0,
    failRetryTimes: common.fail_retry_times ?? 0,
    failRetryInterval: common.fail_retry_interval ?? 1,
    timeout: common.timeout ?? 0,
    timeoutNotifyStrategy: (common.timeout_notify_strategy ?? undefined) as TaskDef['timeoutNotifyStrategy'],
    localParams,
    raw,
    loc: ctx.positions.loc(path),
  };
  taskPaths.set(def, path);
  if (info.logic) {
    // Logic tasks read only their structure (spec §1.5): the common keys keep their defaults.
    Object.assign(def, { flag: 'YES', priority: 'MEDIUM', workerGroup, delayTime: 0, failRetryTimes: 0, failRetryInterval: 1, timeout: 0 });
    def.timeoutNotifyStrategy = undefined;
    def.localParams = [];
  }
  if (def.timeout > 0 && !def.timeoutNotifyStrategy && !info.logic) {
    warn(ctx, `${label}: timeout without timeout_notify_strategy: DolphinScheduler does nothing when it times out (set WARN, FAILED or WARNFAILED)`, [...path, 'timeout'], true);
  }
  switch (info.type) {
    case 'SHELL':
      def.script = raw.command as string;
      break;
    case 'PYTHON':
      def.script = pythonScript(raw.definition as string);
      break;
    case 'SUB_PROCESS':
      def.childWorkflow = String(raw.process_definition_name ?? raw.workflow_name);
      break;
    case 'SAGEMAKER': {
      const json = raw.sagemaker_request_json as string;
      def.sagemakerRequestJson = json;
      try {
        JSON.parse(json);
      } catch {
        if (!json.includes('${') && !json.includes('$[') && !json.includes('$ENV{') && !json.startsWith('$FILE{')) warn(ctx, `${label}: sagemaker_request_json is not valid JSON`, [...path, 'sagemaker_request_json']);
      }
      break;
    }
    case 'SWITCH': {
      const branches = switchCondition.parse(raw.condition) as SwitchBranch[];
      def.switchBranches = branches.map((b) => (b.condition === undefined ? { task: b.task } : { condition: b.condition, task: b.task }));
      const defaults = branches.filter((b) => b.condition === undefined);
      if (defaults.length > 1) err(ctx, `${label}: a Switch has at most one default branch (an entry without "condition"), found ${defaults.length}`, [...path, 'condition']);
      break;
    }
    case 'CONDITIONS': {
      const groups = conditionGroups.parse(raw.groups);
      const spec: ConditionSpec = {
        successTask: String(raw.success_task),
        failedTask: String(raw.failed_task),
        op: (typeof raw.op === 'string' ? raw.op.toUpperCase() : 'AND') as ConditionSpec['op'],
        groups: groups.map((g) => ({ op: (g.op ?? 'AND') as 'AND' | 'OR', items: g.groups.map((it) => ({ task: it.task, flag: it.flag })) })),
      };
      def.condition = spec;
      // Every task the groups name is upstream of the condition.
      for (const g of spec.groups) for (const it of g.items) if (!def.deps.includes(it.task)) def.deps.push(it.task);
      break;
    }
    case 'DEPENDENT': {
      const groups = dependentGroups.parse(raw.groups);
      groups.forEach((g, gi) =>
        g.groups.forEach((it, ii) => {
          if (it.dependent_date !== undefined && !DEPENDENT_DATES.has(it.dependent_date.replace(/_/g, '').toLowerCase())) {
            err(ctx, `${label}: dependent_date "${it.dependent_date}" is not one of ${[...DEPENDENT_DATE_NAMES].join(', ')}`, [...path, 'groups', gi, 'groups', ii, 'dependent_date']);
          }
          if (it.workflow_name === undefined && it.process_definition_name === undefined) {
            err(ctx, `${label}: a dependent item needs workflow_name (or process_definition_name)`, [...path, 'groups', gi, 'groups', ii]);
          }
        }),
      );
      break;
    }
    default:
      break;
  }
  const scriptKey = info.type === 'SHELL' ? 'command' : info.type === 'PYTHON' ? 'definition' : info.type === 'SQL' ? 'sql' : undefined;
  const ext = info.type === 'SHELL' ? /\.(sh|zsh)$/ : info.type === 'PYTHON' ? /\.py$/ : /\.sql$/;
  if (scriptKey && typeof raw[scriptKey] === 'string' && ext.test((raw[scriptKey] as string).trim())) {
    // PyDS Task.get_content: such a value is taken as a resource file name and fails without a resource plugin.
    warn(ctx, `${label}: ${scriptKey} ends like a file name; PyDolphinScheduler would try to read it as a resource and fail (use $FILE{"..."} or add a trailing command)`, [...path, scriptKey]);
  }
  return def;
}

const DEPENDENT_DATE_NAMES = [
  'currentHour', 'last1Hour', 'last2Hours', 'last3Hours', 'last24Hours', 'today', 'last1Days', 'last2Days', 'last3Days', 'last7Days', 'thisWeek',
  'lastWeek', 'lastMonday', 'lastTuesday', 'lastWednesday', 'lastThursday', 'lastFriday', 'lastSaturday', 'lastSunday', 'thisMonth', 'lastMonth',
  'lastMonthBegin', 'lastMonthEnd',
];
/** Raw values and PyDS constant names (`LAST_WEDNESDAY`), compared without `_` and case. */
const DEPENDENT_DATES = new Set(DEPENDENT_DATE_NAMES.map((n) => n.toLowerCase()));

/** After all tasks exist: Switch -> every branch task, Condition -> success/failed task (spec §1.5). */
export function addImpliedEdges(wf: WorkflowDef): void {
  const byName = new Map(wf.tasks.map((t) => [t.name, t]));
  const edge = (from: string, to: string | undefined): void => {
    if (!to) return;
    const t = byName.get(to);
    if (t && !t.deps.includes(from)) t.deps.push(from);
  };
  for (const t of wf.tasks) {
    if (t.switchBranches) for (const b of t.switchBranches) edge(t.name, b.task);
    if (t.condition) {
      edge(t.name, t.condition.successTask);
      edge(t.name, t.condition.failedTask);
    }
  }
}
