/**
 * Starting a workflow instance with PyDolphinScheduler's defaults (spec §4.5), finding its id
 * (3.3: in the answer; 3.2: through the trigger code; 3.1: the newest instance of the definition),
 * following its task instances and logs, and reporting its status.
 */
import { QuantflowError, ExitCode } from '../../core/errors.js';
import type { WorkflowDef } from '../model.js';
import { asCode, type DsClient, type Form } from './client.js';
import type { Dialect } from './versions.js';

export const FINISHED_WORKFLOW_STATES = new Set(['SUCCESS', 'FAILURE', 'STOP', 'PAUSE', 'BLOCK', 'KILL']);

export interface TaskInstanceInfo {
  id: number;
  name: string;
  taskType: string;
  state: string;
  retryTimes: number;
  host?: string;
  startTime?: string;
  endTime?: string;
}

export interface InstanceStatus {
  id: number;
  name: string;
  state: string;
  startTime?: string;
  endTime?: string;
  tasks: TaskInstanceInfo[];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function pollInterval(): number {
  const v = Number(process.env.QUANTFLOW_DS_POLL_MS);
  return Number.isFinite(v) && v > 0 ? v : 2000;
}

async function instanceIds(client: DsClient, d: Dialect, projectCode: number, defCode: number): Promise<number[]> {
  const field = d.version === '3.3' ? 'workflowDefinitionCode' : 'processDefineCode';
  const page = (await client.get(`/projects/${projectCode}/${d.instances}`, { [field]: defCode, pageNo: 1, pageSize: 50 })) as { totalList?: { id: unknown }[] } | null;
  return (page?.totalList ?? []).map((x) => asCode(x.id, 'instance id'));
}

export async function startInstance(
  client: DsClient,
  d: Dialect,
  projectCode: number,
  def: { code: number; version: number; wf: WorkflowDef },
  opts: { tenant?: string; params?: Record<string, string> } = {},
): Promise<number> {
  const wf = def.wf;
  const form: Form = {
    [d.definitionCodeField]: def.code,
    scheduleTime: '',
    failureStrategy: 'CONTINUE',
    warningType: wf.warningType,
    warningGroupId: wf.warningGroupId,
    taskDependType: 'TASK_POST',
    execType: 'START_PROCESS',
    runMode: 'RUN_MODE_SERIAL',
    [d.priorityField]: 'MEDIUM',
    workerGroup: wf.workerGroup,
    environmentCode: -1,
    dryRun: 0,
    complementDependentMode: 'OFF_MODE',
  };
  if (d.version !== '3.1') {
    form.tenantCode = opts.tenant ?? wf.tenant ?? 'default';
    form.testFlag = 0;
    form.executionOrder = 'DESC_ORDER';
  }
  if (d.version !== '3.3') form.version = def.version;
  if (opts.params && Object.keys(opts.params).length) form.startParams = JSON.stringify(opts.params);
  const before = d.version === '3.1' ? new Set(await instanceIds(client, d, projectCode, def.code)) : undefined;
  const call = `POST /projects/${projectCode}/executors/${d.start}`;
  const data = await client.post(`/projects/${projectCode}/executors/${d.start}`, form);
  const deadline = Date.now() + 60_000;
  if (d.version === '3.3') {
    if (Array.isArray(data) && data.length > 0) return asCode(data[0], 'instance id');
    throw new QuantflowError('DS_PROTOCOL', `${call}: no workflow instance id in the answer`, { exitCode: ExitCode.failed });
  }
  // The master creates the instance asynchronously: poll for it.
  while (Date.now() < deadline) {
    if (d.version === '3.2') {
      const list = (await client.get(`/projects/${projectCode}/${d.instances}/trigger`, { triggerCode: String(data) })) as { id: unknown }[] | { id: unknown } | null;
      const first = Array.isArray(list) ? list[0] : list;
      if (first && first.id !== undefined) return asCode(first.id, 'instance id');
    } else {
      const fresh = (await instanceIds(client, d, projectCode, def.code)).filter((id) => !before!.has(id));
      if (fresh.length) return Math.max(...fresh);
    }
    await sleep(Math.min(pollInterval(), 1000));
  }
  throw new QuantflowError('DS_START', `${call}: the server accepted the start but no instance appeared within 60 s (is a master running?)`, { exitCode: ExitCode.failed });
}

export async function instanceStatus(client: DsClient, d: Dialect, projectCode: number, id: number): Promise<InstanceStatus> {
  const inst = (await client.get(`/projects/${projectCode}/${d.instances}/${id}`)) as Record<string, unknown>;
  const tasks = (await client.get(`/projects/${projectCode}/${d.instances}/${id}/tasks`)) as { taskList?: Record<string, unknown>[] } | null;
  return {
    id,
    name: String(inst?.name ?? ''),
    state: String(inst?.state ?? 'UNKNOWN'),
    startTime: inst?.startTime ? String(inst.startTime) : undefined,
    endTime: inst?.endTime ? String(inst.endTime) : undefined,
    tasks: (tasks?.taskList ?? []).map((t) => ({
      id: asCode(t.id, 'task instance id'),
      name: String(t.name),
      taskType: String(t.taskType ?? ''),
      state: String(t.state ?? ''),
      retryTimes: Number(t.retryTimes ?? 0),
      host: t.host ? String(t.host) : undefined,
      startTime: t.startTime ? String(t.startTime) : undefined,
      endTime: t.endTime ? String(t.endTime) : undefined,
    })),
  };
}

/** Polls the instance until it finishes, writing task state changes and new log lines. */
export async function followInstance(
  client: DsClient,
  d: Dialect,
  projectCode: number,
  id: number,
  write: (line: string) => void,
  opts: { intervalMs?: number; timeoutMs?: number } = {},
): Promise<InstanceStatus> {
  const interval = opts.intervalMs ?? pollInterval();
  const deadline = opts.timeoutMs ? Date.now() + opts.timeoutMs : Infinity;
  const seenState = new Map<number, string>();
  const logOffset = new Map<number, number>();
  for (;;) {
    const st = await instanceStatus(client, d, projectCode, id);
    for (const t of st.tasks) {
      if (seenState.get(t.id) !== t.state) {
        seenState.set(t.id, t.state);
        write(`${t.name}: ${t.state}${t.retryTimes ? ` (retry ${t.retryTimes})` : ''}${t.host ? ` on ${t.host}` : ''}`);
      }
      if (t.state === 'SUBMITTED_SUCCESS' || t.state === 'DELAY_EXECUTION') continue;
      for (;;) {
        const skip = logOffset.get(t.id) ?? 0;
        const log = (await client.get('/log/detail', { taskInstanceId: t.id, skipLineNum: skip, limit: 1000 })) as { lineNum?: number; message?: string } | null;
        const n = Number(log?.lineNum ?? 0);
        if (!log?.message || n <= 0) break;
        for (const line of log.message.replace(/\r?\n$/, '').split(/\r?\n/)) write(`  ${t.name} | ${line}`);
        logOffset.set(t.id, skip + n);
        if (n < 1000) break;
      }
    }
    if (FINISHED_WORKFLOW_STATES.has(st.state)) return st;
    if (Date.now() > deadline) return st;
    await sleep(interval);
  }
}

export function formatStatus(st: InstanceStatus): string[] {
  const lines = [`instance ${st.id} ${st.name}: ${st.state}${st.startTime ? `  started ${st.startTime}` : ''}${st.endTime ? `  ended ${st.endTime}` : ''}`];
  const w = Math.max(4, ...st.tasks.map((t) => t.name.length));
  for (const t of st.tasks) lines.push(`  ${t.name.padEnd(w)}  ${t.state.padEnd(18)} ${t.taskType.padEnd(12)} ${t.retryTimes ? `retry ${t.retryTimes}` : ''}`.trimEnd());
  return lines;
}
