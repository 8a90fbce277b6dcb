/**
 * `ds push`: create or update every definition of a bundle on a DolphinScheduler server, children
 * first (spec §4.5): find the project (create it if missing), then per workflow query by name, set it
 * offline, update reusing task codes by name (new tasks get server-generated codes), set it online,
 * and create or update its schedule.
 */
import { QuantflowError, ExitCode } from '../../core/errors.js';
import type { WorkflowBundle, WorkflowDef } from '../model.js';
import { DsApiError, DS_CODES, asCode, type DsClient, type Form } from './client.js';
import { exportWorkflow, type CodeResolver, type ExportWarning } from './export.js';
import { dialectOf, type Dialect, type DsVersion } from './versions.js';

export interface PushOptions {
  version: DsVersion;
  project?: string;
  /** Overrides every workflow's release_state. */
  release?: 'online' | 'offline';
  tenant?: string;
  sagemakerDatasource?: number;
  log?: (line: string) => void;
}

export interface PushedWorkflow {
  name: string;
  code: number;
  version: number;
  action: 'created' | 'updated';
  releaseState: 'ONLINE' | 'OFFLINE';
  taskCodes: Record<string, number>;
  /** Tasks the server had that the file no longer has (DolphinScheduler keeps them as orphan task definitions). */
  removedTasks: string[];
  schedule?: { id: number; action: 'created' | 'updated'; online: boolean };
  def: WorkflowDef;
}

export interface PushResult {
  project: { name: string; code: number; created: boolean };
  workflows: PushedWorkflow[];
  warnings: ExportWarning[];
}

interface Existing {
  code: number;
  version: number;
  releaseState: string;
  tasks: Map<string, number>;
}

export async function findProject(client: DsClient, name: string): Promise<number | undefined> {
  const list = (await client.get('/projects/list')) as { code: unknown; name: string }[] | null;
  const p = (list ?? []).find((x) => x.name === name);
  return p ? asCode(p.code, 'project code') : undefined;
}

export async function ensureProject(client: DsClient, name: string): Promise<{ code: number; created: boolean }> {
  const found = await findProject(client, name);
  if (found !== undefined) return { code: found, created: false };
  const data = (await client.post('/projects', { projectName: name, description: 'created by quantflow' })) as { code: unknown };
  return { code: asCode(data?.code, 'project code'), created: true };
}

export async function queryByName(client: DsClient, d: Dialect, projectCode: number, name: string): Promise<Existing | undefined> {
  let data: Record<string, unknown>;
  try {
    data = (await client.get(`/projects/${projectCode}/${d.definitions}/query-by-name`, { name })) as Record<string, unknown>;
  } catch (e) {
    if (e instanceof DsApiError && e.dsCode === DS_CODES.PROCESS_DEFINE_NOT_EXIST) return undefined;
    throw e;
  }
  const def = (data?.[d.byName.definition] ?? {}) as { code?: unknown; version?: unknown; releaseState?: unknown };
  const tasks = new Map<string, number>();
  for (const t of (data?.[d.byName.tasks] ?? []) as { name: string; code: unknown }[]) tasks.set(t.name, asCode(t.code, 'task code'));
  return { code: asCode(def.code, 'definition code'), version: Number(def.version ?? 1), releaseState: String(def.releaseState ?? 'OFFLINE'), tasks };
}

async function genTaskCodes(client: DsClient, projectCode: number, n: number): Promise<number[]> {
  if (n === 0) return [];
  const data = (await client.get(`/projects/${projectCode}/task-definition/gen-task-codes`, { genNum: n })) as unknown[];
  if (!Array.isArray(data) || data.length !== n) throw new QuantflowError('DS_PROTOCOL', `GET /projects/${projectCode}/task-definition/gen-task-codes: expected ${n} codes`, { exitCode: ExitCode.failed });
  return data.map((c) => asCode(c, 'task code'));
}

async function release(client: DsClient, d: Dialect, projectCode: number, code: number, state: 'ONLINE' | 'OFFLINE'): Promise<void> {
  await client.post(`/projects/${projectCode}/${d.definitions}/${code}/release`, { releaseState: state });
}

async function sagemakerDatasource(client: DsClient, bundle: WorkflowBundle, opts: PushOptions): Promise<number | undefined> {
  if (opts.sagemakerDatasource !== undefined || opts.version === '3.1') return opts.sagemakerDatasource;
  if (!bundle.order.some((w) => w.tasks.some((t) => t.type === 'SAGEMAKER'))) return undefined;
  const list = ((await client.get('/datasources/list', { type: 'SAGEMAKER' })) ?? []) as { id: unknown; name: string }[];
  if (list.length === 1) return asCode(list[0]!.id, 'datasource id');
  if (list.length === 0)
    throw new QuantflowError('DS_DATASOURCE', 'GET /datasources/list: the server has no SAGEMAKER datasource; create one (Datasource > SAGEMAKER) or pass --sagemaker-datasource ID', { exitCode: ExitCode.badInput });
  throw new QuantflowError('DS_DATASOURCE', `GET /datasources/list: ${list.length} SAGEMAKER datasources (${list.map((x) => `${x.id} ${x.name}`).join(', ')}): pass --sagemaker-datasource ID`, { exitCode: ExitCode.badInput });
}

async function environmentCodes(client: DsClient, bundle: WorkflowBundle): Promise<Map<string, number> | undefined> {
  if (!bundle.order.some((w) => w.tasks.some((t) => t.environmentName))) return undefined;
  const list = ((await client.get('/environment/query-environment-list')) ?? []) as { code: unknown; name: string }[];
  return new Map(list.map((e) => [e.name, asCode(e.code, 'environment code')]));
}

function now(): string {
  const d = new Date();
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

async function pushSchedule(client: DsClient, d: Dialect, projectCode: number, wf: WorkflowDef, code: number, tenant: string): Promise<PushedWorkflow['schedule']> {
  const form: Form = {
    [d.definitionCodeField]: code,
    schedule: JSON.stringify({ startTime: wf.startTime ?? now(), endTime: wf.endTime ?? '9999-12-31 23:59:59', crontab: wf.schedule, timezoneId: wf.timezone }),
    warningType: wf.warningType,
    warningGroupId: wf.warningGroupId,
    failureStrategy: 'CONTINUE',
    workerGroup: wf.workerGroup,
    environmentCode: -1,
    [d.priorityField]: 'MEDIUM',
  };
  if (d.version !== '3.1') form.tenantCode = tenant;
  const page = (await client.get(`/projects/${projectCode}/schedules`, { [d.definitionCodeField]: code, pageNo: 1, pageSize: 10 })) as { totalList?: { id: unknown; releaseState?: string }[] } | null;
  const existing = page?.totalList?.[0];
  let id: number;
  let action: 'created' | 'updated';
  if (existing) {
    id = asCode(existing.id, 'schedule id');
    if (existing.releaseState === 'ONLINE') await client.post(`/projects/${projectCode}/schedules/${id}/offline`);
    const { [d.definitionCodeField]: _omit, ...rest } = form;
    void _omit;
    await client.put(`/projects/${projectCode}/schedules/${id}`, rest);
    action = 'updated';
  } else {
    const data = (await client.post(`/projects/${projectCode}/schedules`, form)) as { id: unknown } | number;
    id = asCode(typeof data === 'object' && data ? data.id : data, 'schedule id');
    action = 'created';
  }
  if (wf.onlineSchedule) await client.post(`/projects/${projectCode}/schedules/${id}/online`);
  return { id, action, online: wf.onlineSchedule };
}

export async function pushBundle(client: DsClient, bundle: WorkflowBundle, opts: PushOptions): Promise<PushResult> {
  const d = dialectOf(opts.version);
  const log = opts.log ?? (() => {});
  const warnings: ExportWarning[] = [];
  const projectName = opts.project ?? bundle.root.project;
  const project = await ensureProject(client, projectName);
  log(`${project.created ? 'created' : 'using'} project ${projectName} (code ${project.code})`);
  const datasource = await sagemakerDatasource(client, bundle, opts);
  const environments = await environmentCodes(client, bundle);
  const pushedCodes = new Map<string, number>();
  const externalChildren = new Map<string, number>();
  const out: PushedWorkflow[] = [];

  for (const wf of bundle.order) {
    // Children that are not in this file must already exist on the server.
    for (const t of wf.tasks)
      if (t.type === 'SUB_PROCESS' && t.childWorkflow && !pushedCodes.has(t.childWorkflow) && !externalChildren.has(t.childWorkflow)) {
        const ex = await queryByName(client, d, project.code, t.childWorkflow);
        if (!ex) throw new QuantflowError('DS_CHILD', `task ${wf.name}/${t.name}: sub-workflow ${t.childWorkflow} is neither in this file nor in project ${projectName}`, { exitCode: ExitCode.badInput, location: t.loc });
        externalChildren.set(t.childWorkflow, ex.code);
      }
    const existing = await queryByName(client, d, project.code, wf.name);
    const codes = new Map<string, number>();
    const fresh: string[] = [];
    for (const t of wf.tasks) {
      const c = existing?.tasks.get(t.name);
      if (c !== undefined) codes.set(t.name, c);
      else fresh.push(t.name);
    }
    const gen = await genTaskCodes(client, project.code, fresh.length);
    fresh.forEach((n, i) => codes.set(n, gen[i]!));
    const resolver: CodeResolver = {
      workflow: (name) => pushedCodes.get(name) ?? externalChildren.get(name) ?? 0,
      task: (_wf, task) => codes.get(task)!,
    };
    const ex = exportWorkflow(wf, { version: opts.version, tenant: opts.tenant, sagemakerDatasource: datasource, environments, codes: resolver }, warnings);
    const target = (opts.release ?? wf.releaseState) === 'online' ? 'ONLINE' : 'OFFLINE';
    let code: number;
    let action: 'created' | 'updated';
    const base = `/projects/${project.code}/${d.definitions}`;
    if (existing) {
      if (existing.releaseState === 'ONLINE') await release(client, d, project.code, existing.code, 'OFFLINE');
      await client.put(`${base}/${existing.code}`, { ...ex.form, releaseState: 'OFFLINE' });
      code = existing.code;
      action = 'updated';
    } else {
      const data = (await client.post(base, ex.form)) as { code: unknown };
      code = asCode(data?.code, 'definition code');
      action = 'created';
    }
    if (target === 'ONLINE') await release(client, d, project.code, code, 'ONLINE');
    pushedCodes.set(wf.name, code);
    const removedTasks = existing ? [...existing.tasks.keys()].filter((n) => !codes.has(n)) : [];
    let schedule: PushedWorkflow['schedule'];
    if (wf.schedule) {
      if (target === 'ONLINE') schedule = await pushSchedule(client, d, project.code, wf, code, opts.tenant ?? wf.tenant ?? 'default');
      else warnings.push({ workflow: wf.name, loc: wf.loc, message: 'the schedule is not pushed: DolphinScheduler only schedules online definitions (push with --release online)' });
    }
    const after = await queryByName(client, d, project.code, wf.name);
    const pushed: PushedWorkflow = { name: wf.name, code, version: after?.version ?? 1, action, releaseState: target, taskCodes: Object.fromEntries(codes), removedTasks, schedule, def: wf };
    out.push(pushed);
    log(
      `${action} ${wf.name} (code ${code}, version ${pushed.version}, ${target})` +
        (removedTasks.length ? `; removed tasks ${removedTasks.join(', ')} (DolphinScheduler keeps them as orphan task definitions)` : '') +
        (schedule ? `; schedule ${schedule.id} ${schedule.action}${schedule.online ? ', online' : ''}` : ''),
    );
  }
  return { project: { name: projectName, ...project }, workflows: out, warnings };
}
