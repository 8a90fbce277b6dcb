/**
 * A local DolphinScheduler REST server for tests: the endpoints quantflow uses (3.1/3.2 process-*
 * and 3.3 workflow-* names), form-encoded bodies, the `token` header, the {code,msg,data} envelope,
 * and the checks the real server (and the spec) apply to what it receives.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { readFileSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { AddressInfo } from 'node:net';
import { repoRoot } from './fs.js';

// ---------------------------------------------------------------------------------------------
// Shapes of DolphinScheduler's own payloads (../shared/specs/ds-payloads)

export const payloadDir = resolve(repoRoot, '..', 'shared', 'specs', 'ds-payloads');

export function readPayload(file: string): { form?: Record<string, unknown>; taskType?: string; taskParams?: Record<string, unknown> } {
  return JSON.parse(readFileSync(resolve(payloadDir, file), 'utf8'));
}

export function payloadFiles(): string[] {
  return readdirSync(payloadDir).filter((f) => f.endsWith('.json'));
}

export function jsonType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

/** Keys that DS sends as null or a string (Java null). */
const NULLABLE = new Set(['timeoutNotifyStrategy', 'description', 'nextNode']);

/**
 * Where `actual` lacks a key of `reference` or has another JSON type there (recursively; arrays compare
 * their first elements when both are non-empty). `ignore` lists dotted paths not to compare.
 */
export function shapeMismatches(reference: unknown, actual: unknown, path = '', ignore: ReadonlySet<string> = new Set()): string[] {
  const out: string[] = [];
  const rt = jsonType(reference);
  const at = jsonType(actual);
  const key = path.split('.').pop() ?? '';
  if (rt !== at) {
    const nullable = NULLABLE.has(key) && (rt === 'null' || at === 'null') && (rt === 'string' || at === 'string' || rt === 'number' || at === 'number');
    if (!nullable) out.push(`${path || '<root>'}: expected ${rt}, got ${at}`);
    return out;
  }
  if (rt === 'object') {
    const r = reference as Record<string, unknown>;
    const a = actual as Record<string, unknown>;
    for (const k of Object.keys(r)) {
      const p = path ? `${path}.${k}` : k;
      if (ignore.has(p) || ignore.has(k)) continue;
      if (!(k in a)) out.push(`${p}: missing`);
      else out.push(...shapeMismatches(r[k], a[k], p, ignore));
    }
  } else if (rt === 'array') {
    const r = reference as unknown[];
    const a = actual as unknown[];
    if (r.length > 0 && a.length > 0) out.push(...shapeMismatches(r[0], a[0], `${path}[]`, ignore));
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// The server

type Json = Record<string, any>;
export type DsVersionName = '3.1' | '3.2' | '3.3';

export interface DsCall {
  method: string;
  path: string;
  query: Record<string, string>;
  form: Record<string, string>;
  contentType?: string;
  token?: string;
}

interface Definition {
  code: number;
  projectCode: number;
  name: string;
  version: number;
  releaseState: 'ONLINE' | 'OFFLINE';
  form: Record<string, string>;
  tasks: Json[];
  relations: Json[];
  locations: Json[];
  /** Every task code this definition ever had (removed ones stay as orphans, as in DS). */
  allTaskCodes: Map<number, string>;
}

interface Schedule {
  id: number;
  definitionCode: number;
  releaseState: 'ONLINE' | 'OFFLINE';
  form: Record<string, string>;
}

interface TaskInstance {
  id: number;
  name: string;
  taskCode: number;
  taskType: string;
  state: string;
  retryTimes: number;
  flag: 'YES';
  host: string;
  startTime?: string;
  endTime?: string;
  log: string[];
}

interface Instance {
  id: number;
  definitionCode: number;
  projectCode: number;
  name: string;
  state: string;
  form: Record<string, string>;
  tasks: TaskInstance[];
  pending: Json[];
  visibleAfter: number;
  startTime: string;
  endTime?: string;
}

export interface DsServerOptions {
  version?: DsVersionName;
  /** Accepted tokens (default ['good-token']). */
  tokens?: string[];
  /** Tokens that once worked but have expired (answered like DS: HTTP 401). */
  expiredTokens?: string[];
  datasources?: { id: number; name: string; type: string }[];
  environments?: { code: number; name: string }[];
  /** Tasks that fail when run. */
  failTasks?: string[];
}

const CODE = {
  REQUEST_PARAMS_NOT_VALID_ERROR: 10001,
  PROJECT_NOT_FOUND: 10018,
  PROJECT_ALREADY_EXISTS: 10019,
  SCHEDULE_CRON_ONLINE_FORBID_UPDATE: 10085,
  PROCESS_DEFINITION_NAME_EXIST: 50001,
  PROCESS_DEFINE_NOT_EXIST: 50003,
  PROCESS_DEFINE_NOT_RELEASE: 50004,
  PROCESS_DEFINE_NOT_ALLOWED_EDIT: 50008,
  PROCESS_NODE_HAS_CYCLE: 50019,
  PROCESS_NODE_S_PARAMETER_INVALID: 50021,
  TASK_DEFINE_NOT_EXIST: 50030,
  SCHEDULE_ALREADY_EXISTS: 10204,
} as const;

class Reject extends Error {
  constructor(readonly code: number, msg: string) {
    super(msg);
  }
}

const ENUMS: Record<string, readonly (string | null)[]> = {
  flag: ['YES', 'NO'],
  isCache: ['YES', 'NO'],
  taskPriority: ['HIGHEST', 'HIGH', 'MEDIUM', 'LOW', 'LOWEST'],
  timeoutFlag: ['OPEN', 'CLOSE'],
  timeoutNotifyStrategy: [null, 'WARN', 'FAILED', 'WARNFAILED'],
  taskExecuteType: ['BATCH', 'STREAM'],
};
const START_ENUMS: Record<string, readonly string[]> = {
  failureStrategy: ['CONTINUE', 'END'],
  warningType: ['NONE', 'SUCCESS', 'FAILURE', 'ALL'],
  taskDependType: ['TASK_ONLY', 'TASK_PRE', 'TASK_POST'],
  execType: ['START_PROCESS', 'COMPLEMENT_DATA', 'START_CURRENT_TASK_PROCESS', 'REPEAT_RUNNING'],
  runMode: ['RUN_MODE_SERIAL', 'RUN_MODE_PARALLEL'],
  processInstancePriority: ['HIGHEST', 'HIGH', 'MEDIUM', 'LOW', 'LOWEST'],
  workflowInstancePriority: ['HIGHEST', 'HIGH', 'MEDIUM', 'LOW', 'LOWEST'],
  complementDependentMode: ['OFF_MODE', 'ALL_DEPENDENT'],
  executionOrder: ['DESC_ORDER', 'ASC_ORDER'],
};

/** Reference task shapes per (version, taskType) from DS's own payloads. */
function referenceShapes(version: DsVersionName): Map<string, { element?: Json; taskParams?: Json }> {
  const m = new Map<string, { element?: Json; taskParams?: Json }>();
  const demo = (f: string) => JSON.parse(readPayload(f).form!.taskDefinitionJson as string) as Json[];
  for (const f of ['create-process-definition-3.2-demo-shell-localparams.json', 'create-process-definition-3.2-demo-switch.json', 'create-process-definition-3.2-demo-conditions.json', 'create-process-definition-3.2-demo-sub-process.json'])
    for (const t of demo(f)) if (!m.has(t.taskType)) m.set(t.taskType, { element: t });
  const sm = readPayload(version === '3.1' ? 'task-sagemaker-3.1.json' : 'task-sagemaker-3.2.json');
  m.set('SAGEMAKER', { element: { ...m.get('SHELL')!.element, taskType: 'SAGEMAKER', taskParams: sm.taskParams } });
  m.set('PYTHON', { element: m.get('SHELL')!.element });
  if (version === '3.3') {
    const sw = readPayload('task-sub-workflow-3.3.json');
    m.set('SUB_WORKFLOW', { element: { ...m.get('SUB_PROCESS')!.element, taskType: 'SUB_WORKFLOW', taskParams: sw.taskParams } });
    m.delete('SUB_PROCESS');
  }
  return m;
}
const SHAPE_IGNORE = new Set(['username', 'password', 'awsRegion', 'switchResult.nextNode']);

function nowText(): string {
  return new Date().toISOString().replace('T', ' ').slice(0, 19);
}

export class DsServer {
  readonly version: DsVersionName;
  readonly calls: DsCall[] = [];
  readonly projects = new Map<number, { code: number; name: string }>();
  readonly definitions = new Map<number, Definition>();
  readonly schedules = new Map<number, Schedule>();
  readonly instances = new Map<number, Instance>();
  readonly issuedTaskCodes = new Set<number>();
  /** Every validation failure the server answered (tests assert it stays empty for good clients). */
  readonly rejections: string[] = [];
  tokens: Set<string>;
  expired: Set<string>;
  datasources: { id: number; name: string; type: string }[];
  environments: { code: number; name: string }[];
  failTasks: Set<string>;
  #server: Server;
  #port = 0;
  #next = { project: 9_100_000_000_000, def: 9_200_000_000_000, task: 9_300_000_000_000, schedule: 1, instance: 100, taskInst: 1000, trigger: 5_000_000 };
  #errors: { method?: string; path: RegExp; reply: { http?: number; code?: number; msg?: string; body?: string }; times: number }[] = [];
  #triggers = new Map<number, number>();
  #shapes: Map<string, { element?: Json }>;

  constructor(opts: DsServerOptions = {}) {
    this.version = opts.version ?? '3.2';
    this.tokens = new Set(opts.tokens ?? ['good-token']);
    this.expired = new Set(opts.expiredTokens ?? []);
    this.datasources = opts.datasources ?? [];
    this.environments = opts.environments ?? [];
    this.failTasks = new Set(opts.failTasks ?? []);
    this.#shapes = referenceShapes(this.version);
    this.#server = createServer((req, res) => void this.#handle(req, res));
  }

  async start(): Promise<this> {
    await new Promise<void>((r) => this.#server.listen(0, '127.0.0.1', () => r()));
    this.#port = (this.#server.address() as AddressInfo).port;
    return this;
  }
  close(): Promise<void> {
    return new Promise((r) => this.#server.close(() => r()));
  }
  get url(): string {
    return `http://127.0.0.1:${this.#port}/dolphinscheduler`;
  }

  /** The next `times` calls matching method+path answer with this error. */
  injectError(path: RegExp, reply: { http?: number; code?: number; msg?: string; body?: string }, opts: { method?: string; times?: number } = {}): void {
    this.#errors.push({ method: opts.method, path, reply, times: opts.times ?? 1 });
  }

  definitionByName(name: string): Definition | undefined {
    return [...this.definitions.values()].find((d) => d.name === name);
  }

  get #defs(): string {
    return this.version === '3.3' ? 'workflow-definition' : 'process-definition';
  }
  get #insts(): string {
    return this.version === '3.3' ? 'workflow-instances' : 'process-instances';
  }
  get #defField(): string {
    return this.version === '3.3' ? 'workflowDefinitionCode' : 'processDefinitionCode';
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const u = new URL(req.url ?? '/', 'http://x');
    const body = Buffer.concat(chunks).toString('utf8');
    const call: DsCall = {
      method: req.method ?? 'GET',
      path: u.pathname.replace(/^\/dolphinscheduler/, ''),
      query: Object.fromEntries(u.searchParams),
      form: Object.fromEntries(new URLSearchParams(body)),
      contentType: req.headers['content-type'],
      token: req.headers['token'] as string | undefined,
    };
    this.calls.push(call);
    const send = (status: number, payload: unknown, raw = false) => {
      res.writeHead(status, { 'content-type': raw ? 'text/html' : 'application/json' });
      res.end(raw ? String(payload) : JSON.stringify(payload));
    };
    const ok = (data: unknown) => send(200, { code: 0, msg: 'success', data, success: true, failed: false });
    const fail = (code: number, msg: string) => {
      // A look-up of a definition that does not exist yet is how clients learn to create it.
      if (!(code === CODE.PROCESS_DEFINE_NOT_EXIST && call.path.endsWith('/query-by-name'))) this.rejections.push(`${call.method} ${call.path}: ${code} ${msg}`);
      send(200, { code, msg, data: null, success: false, failed: true });
    };
    if (!u.pathname.startsWith('/dolphinscheduler/')) return send(404, '<html>Not Found</html>', true);
    if (!call.token || !this.tokens.has(call.token) || this.expired.has(call.token)) return send(401, '');
    const inj = this.#errors.find((e) => e.times > 0 && e.path.test(call.path) && (!e.method || e.method === call.method));
    if (inj) {
      inj.times--;
      if (inj.reply.http) return send(inj.reply.http, inj.reply.body ?? '<html><body><h1>502 Bad Gateway</h1></body></html>', true);
      return fail(inj.reply.code ?? 10001, inj.reply.msg ?? 'internal server error');
    }
    try {
      if ((call.method === 'POST' || call.method === 'PUT') && body.length > 0 && !String(call.contentType).startsWith('application/x-www-form-urlencoded'))
        throw new Reject(CODE.REQUEST_PARAMS_NOT_VALID_ERROR, `request parameters must be form-encoded, got ${call.contentType}`);
      for (const v of [...Object.values(call.form), ...Object.values(call.query)]) if (this.tokens.has(v)) throw new Reject(10001, 'the token was sent as a parameter');
      ok(this.#route(call));
    } catch (e) {
      if (e instanceof Reject) fail(e.code, e.message);
      else send(500, { code: 10000, msg: `server bug: ${(e as Error).message}` });
    }
  }

  #route(c: DsCall): unknown {
    const p = c.path;
    const params = { ...c.query, ...c.form };
    let m: RegExpExecArray | null;
    if (c.method === 'GET' && p === '/projects/list') return [...this.projects.values()];
    if (c.method === 'POST' && p === '/projects') {
      const name = need(params, 'projectName');
      if ([...this.projects.values()].some((x) => x.name === name)) throw new Reject(CODE.PROJECT_ALREADY_EXISTS, `project ${name} already exists`);
      const proj = { code: this.#next.project++, name };
      this.projects.set(proj.code, proj);
      return proj;
    }
    if (c.method === 'GET' && p === '/datasources/list') return this.datasources.filter((d) => !params.type || d.type === params.type);
    if (c.method === 'GET' && p === '/environment/query-environment-list') return this.environments;
    if (c.method === 'GET' && p === '/log/detail') {
      const ti = this.#taskInstance(Number(need(params, 'taskInstanceId')));
      const skip = Number(params.skipLineNum ?? 0);
      const limit = Number(params.limit ?? 1000);
      const lines = ti.log.slice(skip, skip + limit);
      return { lineNum: lines.length, message: lines.length ? lines.join('\n') + '\n' : '' };
    }
    if (!(m = /^\/projects\/(\d+)(\/.*)$/.exec(p))) throw new Reject(10001, `no such endpoint ${c.method} ${p}`);
    const pc = Number(m[1]);
    if (!this.projects.has(pc)) throw new Reject(CODE.PROJECT_NOT_FOUND, `project ${pc} not found`);
    const rest = m[2]!;
    const defs = this.#defs;
    const insts = this.#insts;
    if (c.method === 'GET' && rest === '/task-definition/gen-task-codes') {
      const n = Number(need(params, 'genNum'));
      const out = Array.from({ length: n }, () => this.#next.task++);
      for (const x of out) this.issuedTaskCodes.add(x);
      return out;
    }
    if (c.method === 'GET' && rest === `/${defs}/query-by-name`) {
      const d = [...this.definitions.values()].find((x) => x.projectCode === pc && x.name === need(params, 'name'));
      if (!d) throw new Reject(CODE.PROCESS_DEFINE_NOT_EXIST, `process definition ${params.name} does not exist`);
      const v33 = this.version === '3.3';
      return {
        [v33 ? 'workflowDefinition' : 'processDefinition']: { code: d.code, name: d.name, version: d.version, releaseState: d.releaseState, projectCode: pc },
        taskDefinitionList: d.tasks,
        [v33 ? 'workflowTaskRelationList' : 'processTaskRelationList']: d.relations,
      };
    }
    if (c.method === 'POST' && rest === `/${defs}`) return this.#saveDefinition(pc, params, undefined);
    if (c.method === 'PUT' && (m = new RegExp(`^/${defs}/(\\d+)$`).exec(rest))) return this.#saveDefinition(pc, params, this.#def(Number(m[1])));
    if (c.method === 'POST' && (m = new RegExp(`^/${defs}/(\\d+)/release$`).exec(rest))) return this.#release(this.#def(Number(m[1])), need(params, 'releaseState'));
    if (c.method === 'GET' && rest === '/schedules') {
      const code = Number(need(params, this.#defField));
      const list = [...this.schedules.values()].filter((s) => s.definitionCode === code).map((s) => ({ id: s.id, releaseState: s.releaseState, ...s.form }));
      return { totalList: list, total: list.length };
    }
    if (c.method === 'POST' && rest === '/schedules') return this.#saveSchedule(params, undefined);
    if (c.method === 'PUT' && (m = /^\/schedules\/(\d+)$/.exec(rest))) return this.#saveSchedule(params, this.#schedule(Number(m[1])));
    if (c.method === 'POST' && (m = /^\/schedules\/(\d+)\/(online|offline)$/.exec(rest))) {
      const s = this.#schedule(Number(m[1]));
      if (m[2] === 'online' && this.#def(s.definitionCode).releaseState !== 'ONLINE') throw new Reject(CODE.PROCESS_DEFINE_NOT_RELEASE, 'process definition not online: cannot put its schedule online');
      s.releaseState = m[2] === 'online' ? 'ONLINE' : 'OFFLINE';
      return null;
    }
    const startPath = this.version === '3.3' ? '/executors/start-workflow-instance' : '/executors/start-process-instance';
    if (c.method === 'POST' && rest === startPath) return this.#start(pc, params);
    if (c.method === 'GET' && rest === `/${insts}/trigger` && this.version === '3.2') {
      const id = this.#triggers.get(Number(need(params, 'triggerCode')));
      const inst = id !== undefined ? this.instances.get(id) : undefined;
      if (!inst || Date.now() < inst.visibleAfter) return [];
      return [this.#instanceJson(inst)];
    }
    if (c.method === 'GET' && rest === `/${insts}`) {
      const code = Number(params.processDefineCode ?? params.workflowDefinitionCode);
      const list = [...this.instances.values()].filter((i) => i.definitionCode === code && Date.now() >= i.visibleAfter).map((i) => this.#instanceJson(i));
      return { totalList: list.reverse(), total: list.length };
    }
    if (c.method === 'GET' && (m = new RegExp(`^/${insts}/(\\d+)$`).exec(rest))) return this.#instanceJson(this.#instance(Number(m[1])));
    if (c.method === 'GET' && (m = new RegExp(`^/${insts}/(\\d+)/tasks$`).exec(rest))) {
      const inst = this.#instance(Number(m[1]));
      this.#advance(inst);
      return { [this.version === '3.3' ? 'workflowInstanceState' : 'processInstanceState']: inst.state, taskList: inst.tasks.map(({ log: _l, ...t }) => t) };
    }
    throw new Reject(10001, `no such endpoint ${c.method} ${p}`);
  }

  #def(code: number): Definition {
    const d = this.definitions.get(code);
    if (!d) throw new Reject(CODE.PROCESS_DEFINE_NOT_EXIST, `process definition ${code} does not exist`);
    return d;
  }
  #schedule(id: number): Schedule {
    const s = this.schedules.get(id);
    if (!s) throw new Reject(10001, `schedule ${id} does not exist`);
    return s;
  }
  #instance(id: number): Instance {
    const i = this.instances.get(id);
    if (!i) throw new Reject(10001, `process instance ${id} does not exist`);
    return i;
  }
  #taskInstance(id: number): TaskInstance {
    for (const i of this.instances.values()) for (const t of i.tasks) if (t.id === id) return t;
    throw new Reject(10001, `task instance ${id} does not exist`);
  }

  #saveDefinition(pc: number, f: Record<string, string>, existing: Definition | undefined): unknown {
    const name = need(f, 'name');
    if (this.version === '3.1') need(f, 'tenantCode');
    if (existing && existing.releaseState !== 'OFFLINE') throw new Reject(CODE.PROCESS_DEFINE_NOT_ALLOWED_EDIT, `process definition ${existing.name} does not allow edit: it is ONLINE`);
    const clash = [...this.definitions.values()].find((d) => d.projectCode === pc && d.name === name && d !== existing);
    if (clash) throw new Reject(CODE.PROCESS_DEFINITION_NAME_EXIST, `process definition name ${name} already exists`);
    const tasks = jsonArray(f, 'taskDefinitionJson');
    const relations = jsonArray(f, 'taskRelationJson');
    const locations = f.locations ? jsonArray(f, 'locations') : [];
    if (f.globalParams) for (const g of jsonArray(f, 'globalParams')) if (typeof g.prop !== 'string' || !['IN', 'OUT'].includes(g.direct)) throw new Reject(10001, 'globalParams entries need prop and direct IN|OUT');
    if (f.executionType && !['PARALLEL', 'SERIAL_WAIT', 'SERIAL_DISCARD', 'SERIAL_PRIORITY'].includes(f.executionType)) throw new Reject(10001, `executionType ${f.executionType}`);
    if (tasks.length === 0) throw new Reject(50029, 'process dag is empty');
    const codes = new Map<number, Json>();
    for (const t of tasks) {
      const where = `task ${t.name}`;
      if (typeof t.code !== 'number' || t.code <= 0) throw new Reject(CODE.PROCESS_NODE_S_PARAMETER_INVALID, `${where}: code must be a positive number`);
      if (!this.issuedTaskCodes.has(t.code) && !existing?.allTaskCodes.has(t.code)) throw new Reject(CODE.TASK_DEFINE_NOT_EXIST, `${where}: task code ${t.code} was not generated by this server`);
      if (existing?.allTaskCodes.has(t.code) && existing.allTaskCodes.get(t.code) !== t.name) throw new Reject(CODE.PROCESS_NODE_S_PARAMETER_INVALID, `${where}: code ${t.code} belongs to task ${existing.allTaskCodes.get(t.code)}`);
      if (codes.has(t.code)) throw new Reject(CODE.PROCESS_NODE_S_PARAMETER_INVALID, `${where}: duplicate code ${t.code}`);
      if ([...codes.values()].some((x) => x.name === t.name)) throw new Reject(CODE.PROCESS_NODE_S_PARAMETER_INVALID, `duplicate task name ${t.name}`);
      codes.set(t.code, t);
      for (const [k, allowed] of Object.entries(ENUMS)) if (k in t && !allowed.includes(t[k])) throw new Reject(CODE.PROCESS_NODE_S_PARAMETER_INVALID, `${where}: ${k} must be one of ${allowed.join('|')}, got ${JSON.stringify(t[k])}`);
      if (t.environmentCode !== -1 && !this.environments.some((e) => e.code === t.environmentCode)) throw new Reject(CODE.PROCESS_NODE_S_PARAMETER_INVALID, `${where}: environment ${t.environmentCode} does not exist`);
      const ref = this.#shapes.get(t.taskType);
      if (!ref) throw new Reject(CODE.PROCESS_NODE_S_PARAMETER_INVALID, `${where}: DolphinScheduler ${this.version} has no task type ${t.taskType}`);
      const params = typeof t.taskParams === 'string' ? JSON.parse(t.taskParams) : t.taskParams;
      const bad = shapeMismatches(ref.element, { ...t, taskParams: params }, '', SHAPE_IGNORE);
      if (bad.length) throw new Reject(CODE.PROCESS_NODE_S_PARAMETER_INVALID, `${where}: unlike DolphinScheduler's own payloads: ${bad.join('; ')}`);
      this.#checkTaskParams(pc, where, t.taskType, params);
    }
    const ups = new Map<number, number[]>();
    const posts = new Set<number>();
    for (const r of relations) {
      for (const k of ['preTaskCode', 'postTaskCode', 'preTaskVersion', 'postTaskVersion']) if (typeof r[k] !== 'number') throw new Reject(10001, `taskRelationJson: ${k} must be a number (camelCase keys)`);
      if (r.postTaskCode === 0) throw new Reject(10001, 'taskRelationJson: postTaskCode 0');
      if (!codes.has(r.postTaskCode) || (r.preTaskCode !== 0 && !codes.has(r.preTaskCode))) throw new Reject(CODE.TASK_DEFINE_NOT_EXIST, `taskRelationJson: relation ${r.preTaskCode} -> ${r.postTaskCode} names a task that is not in taskDefinitionJson`);
      posts.add(r.postTaskCode);
      if (r.preTaskCode !== 0) ups.set(r.postTaskCode, [...(ups.get(r.postTaskCode) ?? []), r.preTaskCode]);
    }
    for (const t of tasks) if (!posts.has(t.code)) throw new Reject(10001, `task ${t.name} never appears as a postTaskCode, so it would not be in the DAG`);
    if (hasCycle([...codes.keys()], ups)) throw new Reject(CODE.PROCESS_NODE_HAS_CYCLE, 'process node has cycle');
    const spots = new Set<string>();
    for (const l of locations) {
      if (!codes.has(l.taskCode)) throw new Reject(10001, `locations: unknown taskCode ${l.taskCode}`);
      const k = `${l.x},${l.y}`;
      if (spots.has(k)) throw new Reject(10001, `locations: two nodes at ${k}`);
      spots.add(k);
    }
    const d: Definition = existing ?? { code: this.#next.def++, projectCode: pc, name, version: 0, releaseState: 'OFFLINE', form: {}, tasks: [], relations: [], locations: [], allTaskCodes: new Map() };
    d.name = name;
    d.version++;
    d.form = f;
    d.tasks = tasks;
    d.relations = relations;
    d.locations = locations;
    for (const t of tasks) d.allTaskCodes.set(t.code, t.name);
    if (existing && f.releaseState === 'ONLINE') this.#release(d, 'ONLINE');
    this.definitions.set(d.code, d);
    return { code: d.code, name: d.name, version: d.version, releaseState: d.releaseState, projectCode: pc };
  }

  #checkTaskParams(pc: number, where: string, type: string, p: Json): void {
    const bad = (msg: string) => new Reject(CODE.PROCESS_NODE_S_PARAMETER_INVALID, `${where}: ${msg}`);
    if (type === 'SUB_PROCESS' || type === 'SUB_WORKFLOW') {
      const code = p[type === 'SUB_WORKFLOW' ? 'workflowDefinitionCode' : 'processDefinitionCode'];
      if (!code) throw bad(`${type} needs ${type === 'SUB_WORKFLOW' ? 'workflowDefinitionCode' : 'processDefinitionCode'}`);
      const child = this.definitions.get(code);
      if (!child || child.projectCode !== pc) throw bad(`sub-workflow definition ${code} does not exist in this project`);
    }
    if (type === 'SAGEMAKER') {
      if (!p.sagemakerRequestJson) throw bad('sagemakerRequestJson is empty');
      if (this.version !== '3.1') {
        if (p.type !== 'SAGEMAKER') throw bad('taskParams.type must be "SAGEMAKER" (DbType.valueOf(null) fails on the worker)');
        if (!this.datasources.some((d) => d.id === p.datasource && d.type === 'SAGEMAKER')) throw bad(`datasource ${p.datasource} is not a SAGEMAKER datasource`);
      }
    }
    if (this.version === '3.3' && type === 'CONDITIONS') {
      if (!p.dependence?.dependTaskList?.length || !p.conditionResult?.successNode?.length || !p.conditionResult?.failedNode?.length) throw bad('CONDITIONS needs dependTaskList, successNode and failedNode');
    }
    if (this.version === '3.3' && type === 'SWITCH') {
      if (!p.switchResult || p.switchResult.dependTaskList.some((b: Json) => !b.nextNode)) throw bad('SWITCH needs a nextNode in every branch');
    }
  }

  #children(d: Definition): Definition[] {
    const out: Definition[] = [];
    for (const t of d.tasks) {
      if (t.taskType !== 'SUB_PROCESS' && t.taskType !== 'SUB_WORKFLOW') continue;
      const p = typeof t.taskParams === 'string' ? JSON.parse(t.taskParams) : t.taskParams;
      const c = this.definitions.get(p.processDefinitionCode ?? p.workflowDefinitionCode);
      if (c) out.push(c);
    }
    return out;
  }

  #release(d: Definition, state: string): null {
    if (state !== 'ONLINE' && state !== 'OFFLINE') throw new Reject(10001, `releaseState ${state}`);
    if (state === 'ONLINE') {
      const off = this.#children(d).find((c) => c.releaseState !== 'ONLINE');
      if (off) throw new Reject(CODE.PROCESS_DEFINE_NOT_RELEASE, `sub process definition ${off.name} is not online`);
    } else {
      for (const s of this.schedules.values()) if (s.definitionCode === d.code) s.releaseState = 'OFFLINE';
    }
    d.releaseState = state;
    return null;
  }

  #saveSchedule(f: Record<string, string>, existing: Schedule | undefined): unknown {
    const defCode = existing?.definitionCode ?? Number(need(f, this.#defField));
    const d = this.#def(defCode);
    if (d.releaseState !== 'ONLINE') throw new Reject(CODE.PROCESS_DEFINE_NOT_RELEASE, `process definition ${d.name} is not online`);
    if (existing?.releaseState === 'ONLINE') throw new Reject(CODE.SCHEDULE_CRON_ONLINE_FORBID_UPDATE, 'online status does not allow update operations');
    if (!existing && [...this.schedules.values()].some((s) => s.definitionCode === defCode)) throw new Reject(CODE.SCHEDULE_ALREADY_EXISTS, `schedule of process definition ${defCode} already exists`);
    const s = JSON.parse(need(f, 'schedule')) as Json;
    for (const k of ['startTime', 'endTime', 'crontab', 'timezoneId']) if (typeof s[k] !== 'string') throw new Reject(10001, `schedule.${k} is missing`);
    if (String(s.crontab).trim().split(/\s+/).length !== 7) throw new Reject(10001, `schedule.crontab must have 7 fields: ${s.crontab}`);
    if (!/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/.test(s.startTime) || !/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/.test(s.endTime)) throw new Reject(10001, 'schedule times must be yyyy-MM-dd HH:mm:ss');
    for (const k of ['failureStrategy', 'warningType']) if (f[k] && !START_ENUMS[k]!.includes(f[k]!)) throw new Reject(10001, `${k} ${f[k]}`);
    const sch: Schedule = existing ?? { id: this.#next.schedule++, definitionCode: defCode, releaseState: 'OFFLINE', form: {} };
    sch.form = { ...sch.form, ...f };
    this.schedules.set(sch.id, sch);
    return { id: sch.id, releaseState: sch.releaseState };
  }

  #start(pc: number, f: Record<string, string>): unknown {
    const d = this.#def(Number(need(f, this.#defField)));
    need(f, 'failureStrategy');
    need(f, 'warningType');
    if (this.version !== '3.3' && !('scheduleTime' in f)) throw new Reject(10001, 'request parameter scheduleTime is missing');
    for (const [k, allowed] of Object.entries(START_ENUMS)) if (k in f && !allowed.includes(f[k]!)) throw new Reject(10001, `${k} must be one of ${allowed.join('|')}, got ${f[k]}`);
    if (d.releaseState !== 'ONLINE') throw new Reject(CODE.PROCESS_DEFINE_NOT_RELEASE, `process definition ${d.name} not online`);
    const walk = (x: Definition) => {
      for (const c of this.#children(x)) {
        if (c.releaseState !== 'ONLINE') throw new Reject(CODE.PROCESS_DEFINE_NOT_RELEASE, `sub process definition ${c.name} not online`);
        walk(c);
      }
    };
    walk(d);
    const inst: Instance = { id: this.#next.instance++, definitionCode: d.code, projectCode: pc, name: `${d.name}-${d.version}-${Date.now()}`, state: 'SUBMITTED_SUCCESS', form: f, tasks: [], pending: topo(d), visibleAfter: Date.now() + 50, startTime: nowText() };
    this.instances.set(inst.id, inst);
    if (this.version === '3.3') return [inst.id];
    if (this.version === '3.2') {
      const trig = this.#next.trigger++;
      this.#triggers.set(trig, inst.id);
      return trig;
    }
    return null;
  }

  /** One step of the simulated master per task-list poll: start the next task, finish the running one. */
  #advance(inst: Instance): void {
    if (['SUCCESS', 'FAILURE'].includes(inst.state)) return;
    inst.state = 'RUNNING_EXECUTION';
    const running = inst.tasks.find((t) => t.state === 'RUNNING_EXECUTION');
    if (running) {
      const failed = this.failTasks.has(running.name);
      running.state = failed ? 'FAILURE' : 'SUCCESS';
      running.endTime = nowText();
      running.log.push(failed ? `[ERROR] task ${running.name} failed, exit code 1` : `[INFO] task ${running.name} succeeded, exit code 0`);
      if (failed) {
        inst.state = 'FAILURE';
        inst.endTime = nowText();
      }
      return;
    }
    const next = inst.pending.shift();
    if (!next) {
      inst.state = 'SUCCESS';
      inst.endTime = nowText();
      return;
    }
    const p = typeof next.taskParams === 'string' ? JSON.parse(next.taskParams) : next.taskParams;
    inst.tasks.push({
      id: this.#next.taskInst++,
      name: next.name,
      taskCode: next.code,
      taskType: next.taskType,
      state: 'RUNNING_EXECUTION',
      retryTimes: 0,
      flag: 'YES',
      host: '10.0.0.5:1234',
      startTime: nowText(),
      log: [`[INFO] begin to execute task ${next.name}`, ...(p.rawScript ? String(p.rawScript).split('\n').map((l: string) => `[INFO] script: ${l}`) : [])],
    });
  }

  #instanceJson(i: Instance): Json {
    return { id: i.id, name: i.name, state: i.state, [this.#defField]: i.definitionCode, startTime: i.startTime, endTime: i.endTime ?? null, runTimes: 1 };
  }
}

function need(f: Record<string, string>, k: string): string {
  const v = f[k];
  if (v === undefined || v === '' || v === 'null') throw new Reject(CODE.REQUEST_PARAMS_NOT_VALID_ERROR, `request parameter ${k} is not valid`);
  return v;
}

function jsonArray(f: Record<string, string>, k: string): Json[] {
  let v: unknown;
  try {
    v = JSON.parse(f[k] ?? '');
  } catch {
    throw new Reject(10001, `${k} is not JSON`);
  }
  if (!Array.isArray(v)) throw new Reject(10001, `${k} must be a JSON array`);
  return v as Json[];
}

function hasCycle(nodes: number[], ups: Map<number, number[]>): boolean {
  const state = new Map<number, number>();
  const visit = (n: number): boolean => {
    if (state.get(n) === 1) return true;
    if (state.get(n) === 2) return false;
    state.set(n, 1);
    for (const u of ups.get(n) ?? []) if (visit(u)) return true;
    state.set(n, 2);
    return false;
  };
  return nodes.some((n) => visit(n));
}

function topo(d: Definition): Json[] {
  const ups = new Map<number, number[]>();
  for (const r of d.relations) if (r.preTaskCode !== 0) ups.set(r.postTaskCode, [...(ups.get(r.postTaskCode) ?? []), r.preTaskCode]);
  const done = new Set<number>();
  const out: Json[] = [];
  while (out.length < d.tasks.length) {
    const next = d.tasks.find((t) => !done.has(t.code) && (ups.get(t.code) ?? []).every((u) => done.has(u)));
    if (!next) break;
    done.add(next.code);
    out.push(next);
  }
  return out;
}

export async function startDsServer(opts: DsServerOptions = {}): Promise<DsServer> {
  return new DsServer(opts).start();
}
