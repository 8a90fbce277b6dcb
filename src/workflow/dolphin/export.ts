/**
 * Turns a loaded workflow bundle into the form fields DolphinScheduler's create/update definition
 * calls expect (spec §4.3-§4.4), children first. Codes come from a resolver: stable local codes for
 * `ds export`, the server's codes for `ds push`.
 */
import { dirname } from 'node:path';
import type { WorkflowBundle, WorkflowDef } from '../model.js';
import { taskCodes, workflowCode } from './codes.js';
import { layoutWorkflow, type Location } from './layout.js';
import { taskElement, type ExportWarning, type TaskElement } from './task-def.js';
import { TASK_TYPES_BY_VERSION, dialectOf, type DsVersion } from './versions.js';

export type { ExportWarning, TaskElement };

export interface CodeResolver {
  workflow(name: string): number;
  task(workflow: string, task: string): number;
}

export interface ExportOptions {
  version: DsVersion;
  /** tenantCode for 3.1 create/update (default: the workflow's tenant, else "default"). */
  tenant?: string;
  sagemakerDatasource?: number;
  environments?: Map<string, number>;
  /** Overrides the project of every workflow (codes are hashed with it). */
  project?: string;
  codes?: CodeResolver;
}

export interface Relation {
  name: string;
  preTaskCode: number;
  preTaskVersion: number;
  postTaskCode: number;
  postTaskVersion: number;
  conditionType: 'NONE';
  conditionParams: Record<string, never>;
}

/** Form values as DolphinScheduler receives them; JSON-valued fields are JSON strings. */
export type DsForm = Record<string, string | number>;

export interface ExportedWorkflow {
  name: string;
  code: number;
  def: WorkflowDef;
  tasks: TaskElement[];
  relations: Relation[];
  locations: Location[];
  form: DsForm;
}

export interface ExportResult {
  version: DsVersion;
  workflows: ExportedWorkflow[];
  warnings: ExportWarning[];
}

/** Stable local codes: a hash of project / workflow / task name. */
export function localCodes(bundle: WorkflowBundle, project?: string): CodeResolver {
  const perWorkflow = new Map<string, Map<string, number>>();
  const projectOf = (name: string) => project ?? bundle.byName.get(name)?.project ?? bundle.root.project;
  return {
    workflow: (name) => workflowCode(projectOf(name), name),
    task: (wf, task) => {
      let m = perWorkflow.get(wf);
      if (!m) {
        const def = bundle.byName.get(wf);
        m = taskCodes(projectOf(wf), wf, def ? def.tasks.map((t) => t.name) : []);
        perWorkflow.set(wf, m);
      }
      return m.get(task) ?? taskCodes(projectOf(wf), wf, [task]).get(task)!;
    },
  };
}

const PLACEHOLDER = /\$\{[^}]*\}|\$\[[^\]$]+\]/g;

function warnDsDifferences(wf: WorkflowDef, version: DsVersion, warn: (w: Omit<ExportWarning, 'workflow'>) => void): void {
  let hasScripts = false;
  const placeholders = new Set<string>();
  const usedBy: string[] = [];
  for (const t of wf.tasks) {
    if (t.timeout > 0 && !t.timeoutNotifyStrategy)
      warn({ task: t.name, loc: t.loc, message: `timeout ${t.timeout} min without timeout_notify_strategy: DolphinScheduler does nothing when it expires (set WARN, FAILED or WARNFAILED)` });
    const text = [t.script ?? '', t.sagemakerRequestJson ?? '', ...t.localParams.map((p) => p.value)].join('\n');
    const found = (text.match(PLACEHOLDER) ?? []).filter((m) => !m.startsWith('${setValue('));
    if (found.length > 0) usedBy.push(t.name);
    for (const f of found) placeholders.add(f);
    for (const m of text.matchAll(/\$\[([^\]$]+)\]/g))
      if (/^[\d\s+\-*/%()]+$/.test(m[1]!) && !/^\d$/.test(m[1]!))
        warn({ task: t.name, loc: t.loc, message: `$[${m[1]}] looks like bash arithmetic, but DolphinScheduler parses it as a date expression and may fail the task; use $((...))` });
    if (t.type === 'SHELL' || t.type === 'PYTHON') hasScripts = true;
    const dsType = t.type === 'SUB_PROCESS' ? dialectOf(version).subTaskType : t.type === 'NOOP' ? 'SHELL' : t.type;
    if (!TASK_TYPES_BY_VERSION[version].has(dsType))
      warn({ task: t.name, loc: t.loc, message: `DolphinScheduler ${version} has no ${dsType} task type` });
  }
  if (usedBy.length > 0) {
    const list = [...placeholders];
    warn({
      loc: wf.loc,
      message: `${list.slice(0, 5).join(', ')}${list.length > 5 ? ', ...' : ''} (in ${usedBy.join(', ')}) resolve on the DolphinScheduler worker from DolphinScheduler's parameters (global, local, upstream OUT, startup), not from quantflow's`,
    });
  }
  if (hasScripts)
    warn({
      loc: wf.loc,
      message: `Shell/Python tasks run in the worker's task directory (\${system.task.execute.path}), not in ${dirname(wf.file)}: relative paths in commands resolve differently there`,
    });
  if (wf.timeout > 0) warn({ loc: wf.loc, message: `workflow timeout ${wf.timeout} min only raises an alert in DolphinScheduler; it does not stop the workflow` });
}

export function exportWorkflow(wf: WorkflowDef, opts: ExportOptions & { codes: CodeResolver }, warnings: ExportWarning[]): ExportedWorkflow {
  const dialect = dialectOf(opts.version);
  const warn = (w: Omit<ExportWarning, 'workflow'>) => warnings.push({ workflow: wf.name, ...w });
  warnDsDifferences(wf, opts.version, warn);
  const codeOf = (task: string) => opts.codes.task(wf.name, task);
  const ctx = { dialect, workflow: wf.name, codeOf, childCode: (n: string) => opts.codes.workflow(n), sagemakerDatasource: opts.sagemakerDatasource, environments: opts.environments, warn };
  const tasks = wf.tasks.map((t) => taskElement(t, ctx));
  const names = new Set(wf.tasks.map((t) => t.name));
  const relations: Relation[] = [];
  const rel = (pre: number, post: number): Relation => ({
    name: '',
    preTaskCode: pre,
    preTaskVersion: pre === 0 ? 0 : 1,
    postTaskCode: post,
    postTaskVersion: 1,
    conditionType: 'NONE',
    conditionParams: {},
  });
  for (const t of wf.tasks) {
    const ups = [...new Set(t.deps.filter((d) => names.has(d)))];
    if (ups.length === 0) relations.push(rel(0, codeOf(t.name)));
    for (const u of ups) relations.push(rel(codeOf(u), codeOf(t.name)));
  }
  const locations = layoutWorkflow(wf, codeOf);
  const globalParams = Object.entries(wf.params).map(([prop, value]) => ({ prop, direct: 'IN', type: 'VARCHAR', value: String(value) }));
  const form: DsForm = { name: wf.name };
  if (wf.description) form.description = wf.description;
  form.globalParams = JSON.stringify(globalParams);
  form.locations = JSON.stringify(locations);
  form.timeout = Math.ceil(wf.timeout);
  form.taskRelationJson = JSON.stringify(relations);
  form.taskDefinitionJson = JSON.stringify(tasks);
  form.executionType = wf.executionType;
  if (dialect.tenantOnCreate) form.tenantCode = opts.tenant ?? wf.tenant ?? 'default';
  return { name: wf.name, code: opts.codes.workflow(wf.name), def: wf, tasks, relations, locations, form };
}

/** Every workflow of the bundle, children before parents. */
export function exportBundle(bundle: WorkflowBundle, opts: ExportOptions): ExportResult {
  const warnings: ExportWarning[] = [];
  const codes = opts.codes ?? localCodes(bundle, opts.project);
  const workflows = bundle.order.map((wf) => exportWorkflow(wf, { ...opts, codes }, warnings));
  return { version: opts.version, workflows, warnings };
}

/** The `--json` document of `ds export`. */
export function exportJson(r: ExportResult): unknown {
  return {
    version: r.version,
    workflows: r.workflows.map((w) => ({ name: w.name, code: w.code, form: w.form })),
    warnings: r.warnings.map((w) => ({ workflow: w.workflow, ...(w.task ? { task: w.task } : {}), message: w.message })),
  };
}

export function formatWarning(w: ExportWarning): string {
  const where = w.loc ? `${w.loc.file}:${w.loc.line}:${w.loc.col}: ` : '';
  return `warning: ${where}${w.workflow}${w.task ? `/${w.task}` : ''}: ${w.message}`;
}
