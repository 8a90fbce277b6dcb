import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cpSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { repoRoot, tempDir } from '../../support/fs.js';
import { startDsServer, type DsServer } from '../../support/ds-server.js';
import { runCliAsync } from './cli-async.js';

const fixture = resolve(repoRoot, 'test/fixtures/ds/original/run_system.yaml');
const TOKEN = 'good-token';
const env = { STOCK_PROJECT: 'stock' };

type Json = Record<string, any>;
let server: DsServer;
let tmp: { dir: string; cleanup: () => void };

function push(extra: string[] = [], file = fixture, e: NodeJS.ProcessEnv = {}) {
  return runCliAsync(['ds', 'push', file, '--url', server.url, '--token', TOKEN, '--ds-version', server.version, ...extra], { env: { ...env, XDG_CONFIG_HOME: tmp.dir, ...e } });
}

const tasksOf = (name: string) => server.definitionByName(name)!.tasks as Json[];
const codesByName = (name: string) => Object.fromEntries(tasksOf(name).map((t) => [t.name, t.code]));
const defCalls = () => server.calls.filter((c) => /definition/.test(c.path) && c.method !== 'GET').map((c) => `${c.method} ${c.path.replace(/\d{6,}/g, '#')} ${c.form.releaseState ?? ''} ${c.form.name ?? ''}`.trim());

beforeEach(async () => {
  tmp = tempDir('qf-ds-');
  server = await startDsServer({ version: '3.2', datasources: [{ id: 4, name: 'aws', type: 'SAGEMAKER' }] });
});
afterEach(async () => {
  await server.close();
  tmp.cleanup();
});

describe('ds push against a local DolphinScheduler 3.2', () => {
  it('creates the project and every definition, children first and online before the parent', async () => {
    const r = await push();
    expect(r.stderr).not.toContain('quantflow:');
    expect(r.status).toBe(0);
    expect(server.rejections).toEqual([]);
    expect(r.stdout).toContain('created project project-pydolphin');
    expect([...server.projects.values()].map((p) => p.name)).toEqual(['project-pydolphin']);
    const creates = server.calls.filter((c) => c.method === 'POST' && c.path.endsWith('/process-definition')).map((c) => c.form.name);
    expect(creates).toEqual(['prepare_datas', 'train_model', 'recommend_stock', 'run_system']);
    for (const n of creates) expect(server.definitionByName(n!)!.releaseState).toBe('ONLINE');
    // The parent's SUB_PROCESS tasks carry the server's codes of the children.
    for (const t of tasksOf('run_system')) expect(t.taskParams.processDefinitionCode).toBe(server.definitionByName(t.name)!.code);
    // Task codes are the server's (gen-task-codes), not the local hashes.
    for (const n of creates) for (const t of tasksOf(n!)) expect(server.issuedTaskCodes.has(t.code)).toBe(true);
    // SageMaker got the only SAGEMAKER datasource.
    expect(tasksOf('train_model').find((t) => t.taskType === 'SAGEMAKER')!.taskParams).toMatchObject({ type: 'SAGEMAKER', datasource: 4 });
    // The schedule of run_system, online, Quartz with 7 fields.
    const sch = [...server.schedules.values()];
    expect(sch).toHaveLength(1);
    expect(sch[0]!.definitionCode).toBe(server.definitionByName('run_system')!.code);
    expect(sch[0]!.releaseState).toBe('ONLINE');
    expect(JSON.parse(sch[0]!.form.schedule!)).toMatchObject({ crontab: '0 30 18 ? * MON-FRI *', timezoneId: 'Asia/Shanghai', endTime: '9999-12-31 23:59:59' });
    // Form-encoded bodies, token only in the header and never printed.
    for (const c of server.calls) {
      expect(c.token).toBe(TOKEN);
      if (c.method !== 'GET' && Object.keys(c.form).length) expect(c.contentType).toBe('application/x-www-form-urlencoded');
    }
    expect(r.stdout + r.stderr).not.toContain(TOKEN);
  });

  it('updates in place on a second push: offline, update reusing task codes by name, online', async () => {
    expect((await push()).status).toBe(0);
    const before = Object.fromEntries(['prepare_datas', 'train_model', 'run_system'].map((n) => [n, codesByName(n)]));
    const defCode = server.definitionByName('train_model')!.code;
    const mark = server.calls.length;
    const r = await push();
    expect(r.status).toBe(0);
    expect(server.rejections).toEqual([]);
    expect(r.stdout).toMatch(/updated train_model \(code \d+, version 2, ONLINE\)/);
    expect(server.definitionByName('train_model')!.code).toBe(defCode);
    for (const n of Object.keys(before)) expect(codesByName(n)).toEqual(before[n]);
    const seq = server.calls.slice(mark).filter((c) => c.method !== 'GET' && c.path.includes('process-definition')).map((c) => `${c.method} ${c.path.endsWith('release') ? 'release ' + c.form.releaseState : 'definition'}`);
    expect(seq.slice(0, 3)).toEqual(['POST release OFFLINE', 'PUT definition', 'POST release ONLINE']);
    expect(server.calls.slice(mark).some((c) => c.path.endsWith('gen-task-codes'))).toBe(false);
    expect(server.schedules.size).toBe(1);
    expect([...server.schedules.values()][0]!.releaseState).toBe('ONLINE');
  });

  it('drops a task removed from the YAML and says DolphinScheduler keeps it as an orphan', async () => {
    expect((await push()).status).toBe(0);
    const kept = codesByName('prepare_datas');
    const dir = join(tmp.dir, 'wf');
    cpSync(resolve(repoRoot, 'test/fixtures/ds/original'), dir, { recursive: true });
    const p = join(dir, 'prepare_datas.yaml');
    const text = readFileSync(p, 'utf8');
    writeFileSync(p, text.slice(0, text.indexOf('  - name: calc_features')));
    const r = await push([], join(dir, 'run_system.yaml'));
    expect(r.status).toBe(0);
    expect(server.rejections).toEqual([]);
    expect(r.stdout).toContain('removed tasks calc_features (DolphinScheduler keeps them as orphan task definitions)');
    expect(codesByName('prepare_datas')).toEqual({ download_data: kept.download_data, calc_signals: kept.calc_signals });
    expect(server.definitionByName('prepare_datas')!.relations.map((x: Json) => x.postTaskCode).sort()).toEqual([kept.download_data, kept.calc_signals].sort());
  });

  it('resolves environment_name to the server\'s environment code', async () => {
    server.environments.push({ code: 77, name: 'py3' });
    const dir = join(tmp.dir, 'wf');
    cpSync(resolve(repoRoot, 'test/fixtures/ds/original'), dir, { recursive: true });
    const p = join(dir, 'recommend_stock.yaml');
    writeFileSync(p, readFileSync(p, 'utf8').replace('    task_type: Shell\n', '    task_type: Shell\n    environment_name: py3\n'));
    const r = await push(['--json'], join(dir, 'run_system.yaml'));
    expect(r.status).toBe(0);
    expect(tasksOf('recommend_stock')[0]!.environmentCode).toBe(77);
    expect(JSON.parse(r.stdout).workflows.map((w: Json) => `${w.name}:${w.action}:${w.releaseState}`)).toEqual([
      'prepare_datas:created:ONLINE', 'train_model:created:ONLINE', 'recommend_stock:created:ONLINE', 'run_system:created:ONLINE',
    ]);
    server.environments.length = 0;
    const m = await push([], join(dir, 'run_system.yaml'));
    expect(m.status).toBe(2);
    expect(m.stderr).toMatch(/recommend_stock\.yaml:\d+:\d+: task recommend: environment py3 does not exist on the server/);
  });

  it('reports an expired or wrong token on one line naming the call, without printing it', async () => {
    server.expired.add(TOKEN);
    const r = await push();
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('GET /projects/list: DolphinScheduler refused the token (HTTP 401): it is wrong or expired');
    expect(r.stderr + r.stdout).not.toContain(TOKEN);
    const w = await runCliAsync(['ds', 'push', fixture, '--url', server.url, '--token', 'nonsense-123'], { env });
    expect(w.status).toBe(2);
    expect(w.stderr).toContain('refused the token');
    expect(w.stderr).not.toContain('nonsense-123');
  });

  it('reports a server error (HTTP 502 and an error envelope) on one line naming the call', async () => {
    server.injectError(/\/process-definition$/, { http: 502 }, { method: 'POST' });
    const r = await push();
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split('\n').filter((l) => l.startsWith('quantflow:'))).toEqual([
      expect.stringMatching(/^quantflow: POST \/projects\/\d+\/process-definition: DolphinScheduler server error \(HTTP 502\): 502 Bad Gateway$/),
    ]);
    server.injectError(/\/process-definition$/, { code: 10149, msg: 'create process definition error\nsee the api-server log' }, { method: 'POST' });
    const e = await push();
    expect(e.status).toBe(1);
    expect(e.stderr).toMatch(/quantflow: POST \/projects\/\d+\/process-definition: DolphinScheduler error 10149: create process definition error see the api-server log\n/);
  });

  it('--run --follow starts with PyDolphinScheduler defaults and streams task states and logs', async () => {
    const r = await push(['--run', '--follow']);
    expect(r.stderr).not.toContain('quantflow:');
    expect(r.status).toBe(0);
    expect(server.rejections).toEqual([]);
    const start = server.calls.find((c) => c.path.endsWith('/executors/start-process-instance'))!;
    expect(start.form).toMatchObject({
      processDefinitionCode: String(server.definitionByName('run_system')!.code),
      failureStrategy: 'CONTINUE',
      warningType: 'NONE',
      taskDependType: 'TASK_POST',
      execType: 'START_PROCESS',
      runMode: 'RUN_MODE_SERIAL',
      processInstancePriority: 'MEDIUM',
      workerGroup: 'default',
      tenantCode: 'default',
      environmentCode: '-1',
      dryRun: '0',
      testFlag: '0',
      complementDependentMode: 'OFF_MODE',
      executionOrder: 'DESC_ORDER',
      version: '1',
    });
    expect(r.stdout).toMatch(/started run_system: instance \d+/);
    for (const t of ['prepare_datas', 'train_model', 'recommend_stock']) {
      expect(r.stdout).toContain(`${t}: RUNNING_EXECUTION`);
      expect(r.stdout).toContain(`${t}: SUCCESS`);
      expect(r.stdout).toContain(`  ${t} | [INFO] task ${t} succeeded, exit code 0`);
    }
    expect(r.stdout).toMatch(/instance \d+ run_system-1-\d+: SUCCESS/);
    const id = /started run_system: instance (\d+)/.exec(r.stdout)![1]!;
    const st = await runCliAsync(['ds', 'status', id, '--url', server.url, '--project', 'project-pydolphin', '--json'], { env: { QUANTFLOW_DS_TOKEN: TOKEN } });
    expect(st.status).toBe(0);
    const doc = JSON.parse(st.stdout);
    expect(doc.state).toBe('SUCCESS');
    expect(doc.tasks.map((t: Json) => `${t.name}=${t.state}`)).toEqual(['prepare_datas=SUCCESS', 'train_model=SUCCESS', 'recommend_stock=SUCCESS']);
  });

  it('--follow exits 1 when a task fails; status names a missing project', async () => {
    server.failTasks.add('train_model');
    const r = await push(['--run', '--follow']);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('train_model: FAILURE');
    expect(r.stdout).toMatch(/: FAILURE/);
    expect(r.stdout).not.toContain('recommend_stock: RUNNING_EXECUTION');
    const s = await runCliAsync(['ds', 'status', '100', '--url', server.url, '--token', TOKEN, '--project', 'nope'], { env });
    expect(s.status).toBe(2);
    expect(s.stderr).toContain('project nope does not exist');
  });

  it('the server refuses to start a definition that is not online (50004), and quantflow names the call', async () => {
    expect((await push(['--release', 'offline'])).status).toBe(0);
    expect(server.definitionByName('run_system')!.releaseState).toBe('OFFLINE');
    const { DsClient } = await import('../../../src/workflow/dolphin/client.js');
    const { startInstance } = await import('../../../src/workflow/dolphin/run.js');
    const { dialectOf } = await import('../../../src/workflow/dolphin/versions.js');
    const { loadBundle } = await import('../../../src/workflow/dolphin/load-bundle.js');
    process.env.STOCK_PROJECT = 'stock';
    const bundle = await loadBundle(fixture);
    const client = new DsClient({ url: server.url, token: TOKEN });
    const pc = [...server.projects.values()][0]!.code;
    const def = server.definitionByName('run_system')!;
    await expect(startInstance(client, dialectOf('3.2'), pc, { code: def.code, version: def.version, wf: bundle.root })).rejects.toThrow(
      /^POST \/projects\/\d+\/executors\/start-process-instance: DolphinScheduler error 50004: process definition run_system not online \(the definition or one of its sub-workflows is not online: push with --release online\)$/,
    );
    // The schedule was not pushed for an offline definition, with a warning.
    expect(server.schedules.size).toBe(0);
  });

  it('ds login checks the token and saves it (mode 0600) for later pushes', async () => {
    const l = await runCliAsync(['ds', 'login', '--url', server.url, '--token', TOKEN], { env: { XDG_CONFIG_HOME: tmp.dir } });
    expect(l.status).toBe(0);
    expect(l.stdout).not.toContain(TOKEN);
    const cfg = join(tmp.dir, 'quantflow', 'config.yaml');
    expect(statSync(cfg).mode & 0o777).toBe(0o600);
    const r = await runCliAsync(['ds', 'push', fixture], { env: { ...env, XDG_CONFIG_HOME: tmp.dir } });
    expect(r.stderr).not.toContain('quantflow:');
    expect(r.status).toBe(0);
    expect(server.definitionByName('run_system')).toBeDefined();
  });
});

describe('ds push against DolphinScheduler 3.1 and 3.3', () => {
  for (const version of ['3.1', '3.3'] as const) {
    it(`${version}: create, update, run and follow`, async () => {
      await server.close();
      server = await startDsServer({ version, datasources: [{ id: 4, name: 'aws', type: 'SAGEMAKER' }] });
      expect((await push()).status).toBe(0);
      const r = await push(['--run', '--follow', '--tenant', 'quant']);
      expect(r.stderr).not.toContain('quantflow:');
      expect(r.status).toBe(0);
      expect(server.rejections).toEqual([]);
      const defs = version === '3.3' ? 'workflow-definition' : 'process-definition';
      expect(server.calls.filter((c) => c.method === 'PUT' && c.path.includes(`/${defs}/`))).toHaveLength(4);
      const sub = tasksOf('run_system')[0]!;
      if (version === '3.3') {
        expect(sub.taskType).toBe('SUB_WORKFLOW');
        expect(sub.taskParams.workflowDefinitionCode).toBe(server.definitionByName('prepare_datas')!.code);
        const start = server.calls.find((c) => c.path.endsWith('/executors/start-workflow-instance'))!;
        expect(start.form).toMatchObject({ workflowDefinitionCode: String(server.definitionByName('run_system')!.code), workflowInstancePriority: 'MEDIUM', tenantCode: 'quant' });
        expect(start.form).not.toHaveProperty('version');
      } else {
        expect(sub.taskType).toBe('SUB_PROCESS');
        expect(server.definitionByName('run_system')!.form.tenantCode).toBe('quant');
        expect(tasksOf('train_model').find((t) => t.taskType === 'SAGEMAKER')!.taskParams).not.toHaveProperty('type');
      }
      expect(r.stdout).toMatch(/: SUCCESS/);
      expect(r.stdout).toContain('recommend_stock: SUCCESS');
    });
  }
});

describe('pushBundle in process: logic tasks pass the server\'s 3.3 checks', () => {
  it('Switch, Condition, Python and NOOP', async () => {
    await server.close();
    server = await startDsServer({ version: '3.3' });
    const { DsClient } = await import('../../../src/workflow/dolphin/client.js');
    const { pushBundle } = await import('../../../src/workflow/dolphin/push.js');
    const { startInstance, followInstance } = await import('../../../src/workflow/dolphin/run.js');
    const { dialectOf } = await import('../../../src/workflow/dolphin/versions.js');
    const { logicBundle } = await import('./bundle.js');
    const client = new DsClient({ url: server.url, token: TOKEN });
    const r = await pushBundle(client, logicBundle(), { version: '3.3', project: 'logic' });
    expect(server.rejections).toEqual([]);
    const w = r.workflows[0]!;
    const tasks = tasksOf('logic');
    const sw = tasks.find((t) => t.taskType === 'SWITCH')!;
    expect(sw.taskParams.switchResult.dependTaskList.map((b: Json) => b.nextNode)).toEqual([w.taskCodes.taskA, w.taskCodes.taskB]);
    expect(sw.taskParams.switchResult.nextNode).toBe(w.taskCodes.other);
    const cond = tasks.find((t) => t.taskType === 'CONDITIONS')!;
    expect(cond.taskParams.conditionResult).toEqual({ successNode: [w.taskCodes.head], failedNode: [w.taskCodes.tail] });
    const lines: string[] = [];
    const id = await startInstance(client, dialectOf('3.3'), r.project.code, { code: w.code, version: w.version, wf: w.def });
    const st = await followInstance(client, dialectOf('3.3'), r.project.code, id, (l) => lines.push(l), { intervalMs: 5 });
    expect(st.state).toBe('SUCCESS');
    expect(lines.some((l) => l.startsWith('other: SUCCESS'))).toBe(true);
    expect(lines).toContain('  other | [INFO] script: true');
  });
});

describe('the local DolphinScheduler server enforces the spec\'s rules', () => {
  it('refuses the 3.1 controller mock, codes it did not issue, edits of online definitions, tasks outside the DAG, ordinal enums, parents online before children', async () => {
    const { DsClient } = await import('../../../src/workflow/dolphin/client.js');
    const { exportBundle } = await import('../../../src/workflow/dolphin/export.js');
    const { originalBundle } = await import('./bundle.js');
    const client = new DsClient({ url: server.url, token: TOKEN });
    const pc = ((await client.post('/projects', { projectName: 'p' })) as Json).code;
    const { readPayload } = await import('../../support/ds-server.js');
    const mock = readPayload('create-process-definition-3.1-shell-localparams.json').form as Json;
    await expect(client.post(`/projects/${pc}/process-definition`, mock)).rejects.toThrow(/DolphinScheduler error 50021: task detail_up: code must be a positive number/);
    // A well-formed export whose codes were not generated by the server is refused too.
    const ex = exportBundle(originalBundle(), { version: '3.2', sagemakerDatasource: 4 });
    await expect(client.post(`/projects/${pc}/process-definition`, ex.workflows[0]!.form)).rejects.toThrow(/was not generated by this server/);
    // With server codes: create, then an update while ONLINE is refused (50008).
    const codes = (await client.get(`/projects/${pc}/task-definition/gen-task-codes`, { genNum: 4 })) as number[];
    const names = ['download_data', 'calc_signals', 'calc_features', 'merge'];
    const byName = new Map(names.map((n, i) => [n, codes[i]!]));
    const child = exportBundle(originalBundle(), { version: '3.2', codes: { workflow: () => 0, task: (_w, t) => byName.get(t)! } }).workflows[0]!;
    const created = (await client.post(`/projects/${pc}/process-definition`, child.form)) as Json;
    await client.post(`/projects/${pc}/process-definition/${created.code}/release`, { releaseState: 'ONLINE' });
    await expect(client.put(`/projects/${pc}/process-definition/${created.code}`, child.form)).rejects.toThrow(/DolphinScheduler error 50008/);
    // Missing root relation: a task that never appears as postTaskCode.
    const rel = JSON.parse(child.form.taskRelationJson as string).filter((r: Json) => r.preTaskCode !== 0);
    await client.post(`/projects/${pc}/process-definition/${created.code}/release`, { releaseState: 'OFFLINE' });
    await expect(client.put(`/projects/${pc}/process-definition/${created.code}`, { ...child.form, taskRelationJson: JSON.stringify(rel) })).rejects.toThrow(/never appears as a postTaskCode/);
    // Enums by number (flag 0 would mean NO, a disabled task) are refused.
    const ordinal = JSON.parse(child.form.taskDefinitionJson as string).map((t: Json) => ({ ...t, flag: 0 }));
    await expect(client.put(`/projects/${pc}/process-definition/${created.code}`, { ...child.form, taskDefinitionJson: JSON.stringify(ordinal) })).rejects.toThrow(/flag must be one of YES\|NO, got 0/);
    // A parent whose child is offline cannot go online (and could not run).
    const subCode = (await client.get(`/projects/${pc}/task-definition/gen-task-codes`, { genNum: 1 })) as number[];
    const parentBundle = originalBundle();
    const parentWf = { ...parentBundle.root, tasks: [parentBundle.root.tasks[0]!] };
    const parent = exportBundle({ ...parentBundle, order: [parentWf], root: parentWf }, { version: '3.2', codes: { workflow: () => created.code, task: () => subCode[0]! } }).workflows[0]!;
    const p = (await client.post(`/projects/${pc}/process-definition`, parent.form)) as Json;
    await expect(client.post(`/projects/${pc}/process-definition/${p.code}/release`, { releaseState: 'ONLINE' })).rejects.toThrow(/50004: sub process definition prepare_datas is not online/);
  });
});
