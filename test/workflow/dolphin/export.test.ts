import { describe, expect, it } from 'vitest';
import { exportBundle, exportJson } from '../../../src/workflow/dolphin/export.js';
import type { DsVersion } from '../../../src/workflow/dolphin/versions.js';
import { logicBundle, originalBundle, SAGEMAKER_JSON } from './bundle.js';
import { readPayload, shapeMismatches } from '../../support/ds-server.js';

type Json = Record<string, any>;
const parse = (form: Json, key: string): any => JSON.parse(form[key] as string);

function exported(version: DsVersion, datasource?: number) {
  return exportBundle(originalBundle(), { version, sagemakerDatasource: datasource });
}

describe('ds export of an original-style workflow', () => {
  for (const version of ['3.1', '3.2', '3.3'] as const) {
    it(`emits DolphinScheduler ${version} form fields, children first`, () => {
      const r = exported(version, 7);
      expect(r.workflows.map((w) => w.name)).toEqual(['prepare_datas', 'train_model', 'recommend_stock', 'run_system']);
      const codes = new Map(r.workflows.map((w) => [w.name, w.code]));
      for (const w of r.workflows) {
        const f = w.form as Json;
        expect(f.name).toBe(w.name);
        expect(f.executionType).toBe('PARALLEL');
        expect(f.timeout).toBe(0);
        expect(parse(f, 'globalParams')).toEqual([{ prop: 'project', direct: 'IN', type: 'VARCHAR', value: 'stock' }]);
        if (version === '3.1') expect(f.tenantCode).toBe('default');
        else expect(f).not.toHaveProperty('tenantCode');
        for (const t of parse(f, 'taskDefinitionJson')) {
          expect(t).toMatchObject({ version: 1, flag: 'YES', isCache: 'NO', taskPriority: 'MEDIUM', workerGroup: 'default', environmentCode: -1, failRetryTimes: 0, failRetryInterval: 1, delayTime: 0, taskGroupId: 0, taskGroupPriority: 0, taskExecuteType: 'BATCH' });
          expect(typeof t.code).toBe('number');
          expect(t.code).toBeGreaterThan(1e14);
          expect(t.code).toBeLessThan(2 ** 53);
        }
      }
      // The parent: three sub-workflow tasks carrying their children's codes, chained.
      const root = r.workflows[3]!.form as Json;
      const subs = parse(root, 'taskDefinitionJson');
      for (const s of subs) {
        if (version === '3.3') {
          expect(s.taskType).toBe('SUB_WORKFLOW');
          expect(s.taskParams.workflowDefinitionCode).toBe(codes.get(s.name));
          expect(s.taskParams).not.toHaveProperty('processDefinitionCode');
        } else {
          expect(s.taskType).toBe('SUB_PROCESS');
          expect(s.taskParams.processDefinitionCode).toBe(codes.get(s.name));
        }
        expect(s.taskParams.localParams).toEqual([]);
      }
      const rel = parse(root, 'taskRelationJson');
      const codeOf = (n: string) => subs.find((s: Json) => s.name === n).code;
      expect(rel).toEqual([
        { name: '', preTaskCode: 0, preTaskVersion: 0, postTaskCode: codeOf('prepare_datas'), postTaskVersion: 1, conditionType: 'NONE', conditionParams: {} },
        { name: '', preTaskCode: codeOf('prepare_datas'), preTaskVersion: 1, postTaskCode: codeOf('train_model'), postTaskVersion: 1, conditionType: 'NONE', conditionParams: {} },
        { name: '', preTaskCode: codeOf('train_model'), preTaskVersion: 1, postTaskCode: codeOf('recommend_stock'), postTaskVersion: 1, conditionType: 'NONE', conditionParams: {} },
      ]);
      // Shell tasks with local_params.
      const train = parse(r.workflows[1]!.form as Json, 'taskDefinitionJson');
      const shell = train.find((t: Json) => t.name === 'prepare_training_data');
      expect(shell.taskType).toBe('SHELL');
      expect(shell.timeoutFlag).toBe('CLOSE');
      expect(shell.timeout).toBe(0);
      expect(shell.timeoutNotifyStrategy).toBeNull();
      expect(shell.taskParams).toEqual({
        rawScript: 'quantflow ml dataset --out ${s3_training_data_path}',
        localParams: [
          { prop: 'project', direct: 'IN', type: 'VARCHAR', value: '${project}' },
          { prop: 's3_training_data_path', direct: 'IN', type: 'VARCHAR', value: 's3://ds-stock/dataset/dataset.csv' },
        ],
        resourceList: [],
        dependence: {},
        conditionResult: { successNode: [''], failedNode: [''] },
        waitStartTimeout: {},
      });
      // The SageMaker task.
      const sm = train.find((t: Json) => t.name === 'sagemaker');
      expect(sm.taskType).toBe('SAGEMAKER');
      expect(sm.taskParams.sagemakerRequestJson).toBe(SAGEMAKER_JSON);
      expect(sm.taskParams.localParams.map((p: Json) => p.prop)).toEqual(['s3_training_data_path', 's3_inference_data_path']);
      expect(sm.timeoutFlag).toBe('OPEN');
      expect(sm.timeout).toBe(120);
      if (version === '3.1') {
        expect(sm.taskParams).not.toHaveProperty('type');
        expect(sm.taskParams).not.toHaveProperty('datasource');
      } else {
        expect(sm.taskParams.type).toBe('SAGEMAKER');
        expect(sm.taskParams.datasource).toBe(7);
      }
      // The timeout with a notify strategy.
      const merge = parse(r.workflows[0]!.form as Json, 'taskDefinitionJson').find((t: Json) => t.name === 'merge');
      expect(merge).toMatchObject({ timeoutFlag: 'OPEN', timeout: 30, timeoutNotifyStrategy: 'FAILED' });
    });
  }

  it('puts every task in the DAG: each appears as a postTaskCode, roots have preTaskCode 0', () => {
    for (const w of exported('3.2').workflows) {
      const tasks = parse(w.form, 'taskDefinitionJson');
      const rel = parse(w.form, 'taskRelationJson');
      const posts = new Set(rel.map((x: Json) => x.postTaskCode));
      const codes = new Set(tasks.map((t: Json) => t.code));
      for (const t of tasks) expect(posts.has(t.code)).toBe(true);
      for (const x of rel) {
        expect(codes.has(x.postTaskCode)).toBe(true);
        if (x.preTaskCode !== 0) expect(codes.has(x.preTaskCode)).toBe(true);
      }
      const roots = rel.filter((x: Json) => x.preTaskCode === 0).map((x: Json) => x.postTaskCode);
      const withUpstream = new Set(rel.filter((x: Json) => x.preTaskCode !== 0).map((x: Json) => x.postTaskCode));
      for (const t of tasks) expect(roots.includes(t.code)).toBe(!withUpstream.has(t.code));
    }
    const prep = parse(exported('3.2').workflows[0]!.form, 'taskRelationJson');
    expect(prep).toHaveLength(5); // 1 root + 4 edges
  });

  it('exports the same codes on every run, distinct ones for different names', () => {
    const a = JSON.stringify(exportJson(exported('3.2')));
    const b = JSON.stringify(exportJson(exported('3.2')));
    expect(a).toBe(b);
    const all = exported('3.2').workflows.flatMap((w) => [w.code, ...w.tasks.map((t) => t.code)]);
    expect(new Set(all).size).toBe(all.length);
    // Another project gives other codes.
    const other = exportBundle(originalBundle(), { version: '3.2', project: 'elsewhere' });
    expect(other.workflows[0]!.code).not.toBe(exported('3.2').workflows[0]!.code);
  });

  it('lays the DAG out with no two nodes on one spot and upstream left of downstream', () => {
    for (const w of [...exported('3.2').workflows, ...exportBundle(logicBundle(), { version: '3.2' }).workflows]) {
      const loc = parse(w.form, 'locations');
      expect(loc).toHaveLength(w.tasks.length);
      expect(new Set(loc.map((l: Json) => `${l.x},${l.y}`)).size).toBe(loc.length);
      const x = new Map(loc.map((l: Json) => [l.taskCode, l.x]));
      for (const r of w.relations) if (r.preTaskCode !== 0) expect(x.get(r.preTaskCode)).toBeLessThan(x.get(r.postTaskCode) as number);
    }
  });

  it('warns about what DolphinScheduler does differently', () => {
    const r = exported('3.2');
    const msgs = r.warnings.map((w) => `${w.workflow}/${w.task ?? ''}: ${w.message}`);
    expect(msgs.some((m) => m.startsWith('train_model/sagemaker: timeout 120 min without timeout_notify_strategy'))).toBe(true);
    expect(msgs.some((m) => m.startsWith('prepare_datas/merge: timeout'))).toBe(false);
    expect(msgs.some((m) => m.startsWith('prepare_datas/:') && m.includes('$[yyyyMMdd-1]') && m.includes('${project}') && m.includes('(in download_data, calc_signals, calc_features, merge)') && m.includes('worker'))).toBe(true);
    expect(msgs.some((m) => m.includes("worker's task directory"))).toBe(true);
    expect(msgs.some((m) => m.includes('--sagemaker-datasource'))).toBe(true);
    expect(exported('3.2', 3).warnings.some((w) => w.message.includes('--sagemaker-datasource'))).toBe(false);
  });

  it('exports Switch, Condition, Python and NOOP (as SHELL true)', () => {
    for (const version of ['3.2', '3.3'] as const) {
      const r = exportBundle(logicBundle(), { version });
      const tasks = r.workflows[0]!.tasks as Json[];
      const code = (n: string) => tasks.find((t) => t.name === n)!.code;
      const cond = tasks.find((t) => t.name === 'condition')!;
      expect(cond.taskType).toBe('CONDITIONS');
      expect(cond.taskParams.dependence).toEqual({ relation: 'AND', dependTaskList: [{ relation: 'AND', dependItemList: [{ depTaskCode: code('coin'), status: 'SUCCESS' }] }] });
      expect(cond.taskParams.conditionResult).toEqual({ successNode: [code('head')], failedNode: [code('tail')] });
      const sw = tasks.find((t) => t.name === 'switch')!;
      expect(sw.taskParams.switchResult).toEqual({
        dependTaskList: [
          { condition: '${switchValue} == "A"', nextNode: code('taskA') },
          { condition: '${switchValue} == "B"', nextNode: code('taskB') },
        ],
        nextNode: code('other'),
      });
      expect(tasks.find((t) => t.name === 'taskB')).toMatchObject({ taskType: 'PYTHON', taskParams: { rawScript: 'print("B")' } });
      expect(tasks.find((t) => t.name === 'other')).toMatchObject({ taskType: 'SHELL', taskParams: { rawScript: 'true' } });
      expect(r.warnings.some((w) => w.task === 'other' && w.message.includes('NOOP'))).toBe(true);
    }
  });
});

describe('ds export matches the fields and JSON types of DolphinScheduler\'s own payloads', () => {
  const formKeysNotSent = new Set(['tenantCode', 'otherParamsJson', 'description', 'locations']);
  const byType = (tasks: Json[], type: string) => tasks.find((t) => t.taskType === type)!;

  it('SHELL, SUB_PROCESS, SWITCH and CONDITIONS tasks and relations (3.2 demo payloads, sent to a live server)', () => {
    const ours = exported('3.2');
    const logic = exportBundle(logicBundle(), { version: '3.2' }).workflows[0]!;
    const oursByType: Record<string, Json> = {
      SHELL: byType(ours.workflows[0]!.tasks, 'SHELL'),
      SUB_PROCESS: byType(ours.workflows[3]!.tasks, 'SUB_PROCESS'),
      SWITCH: byType(logic.tasks, 'SWITCH'),
      CONDITIONS: byType(logic.tasks, 'CONDITIONS'),
    };
    let compared = 0;
    for (const file of ['create-process-definition-3.2-demo-shell-localparams.json', 'create-process-definition-3.2-demo-sub-process.json', 'create-process-definition-3.2-demo-switch.json', 'create-process-definition-3.2-demo-conditions.json', 'create-process-definition-3.2-dag-two-shell.json']) {
      const form = readPayload(file).form as Json;
      for (const t of JSON.parse(form.taskDefinitionJson)) {
        // dag-two-shell (a unit-test constant) also carries an empty switchResult in SHELL params, which no live payload sends.
        expect(shapeMismatches(t, oursByType[t.taskType], t.taskType, new Set(['SHELL.taskParams.switchResult'])), file).toEqual([]);
        compared++;
      }
      const rel = JSON.parse(form.taskRelationJson);
      if (file.includes('demo')) expect(shapeMismatches(rel, ours.workflows[0]!.relations, 'relations'), file).toEqual([]);
      if (file.includes('demo')) {
        const f = ours.workflows[0]!.form as Json;
        for (const k of Object.keys(form)) if (!formKeysNotSent.has(k)) expect(jsonType2(f[k]), `${file} ${k}`).toBe(jsonType2(form[k]));
      }
    }
    expect(compared).toBeGreaterThanOrEqual(10);
  });

  it('CONDITIONS with a filled dependence (PyDS 3.1 fixture)', () => {
    const p = readPayload('task-conditions-3.1-pyds.json');
    const cond = byType(exportBundle(logicBundle(), { version: '3.1' }).workflows[0]!.tasks, 'CONDITIONS');
    expect(cond.taskType).toBe(p.taskType);
    expect(shapeMismatches(p.taskParams, cond.taskParams)).toEqual([]);
  });

  it('SAGEMAKER on 3.1 and 3.2 (plugin tests), credentials left to the datasource', () => {
    const p31 = readPayload('task-sagemaker-3.1.json');
    const sm31 = byType(exported('3.1').workflows[1]!.tasks, 'SAGEMAKER');
    expect(shapeMismatches(p31.taskParams, sm31.taskParams)).toEqual([]);
    const p32 = readPayload('task-sagemaker-3.2.json');
    const sm32 = byType(exported('3.2', 5).workflows[1]!.tasks, 'SAGEMAKER');
    // username/password/awsRegion are overwritten on the worker from the datasource: quantflow never puts secrets in a definition.
    expect(shapeMismatches(p32.taskParams, sm32.taskParams, '', new Set(['username', 'password', 'awsRegion']))).toEqual([]);
    expect(sm32.taskParams).not.toHaveProperty('password');
  });

  it('SUB_WORKFLOW on 3.3 and the 3.1/3.3 create forms', () => {
    const p = readPayload('task-sub-workflow-3.3.json');
    const sub = byType(exported('3.3').workflows[3]!.tasks, 'SUB_WORKFLOW');
    expect(shapeMismatches(p.taskParams, sub.taskParams)).toEqual([]);
    for (const [file, version] of [['create-process-definition-3.1-shell-localparams.json', '3.1'], ['create-workflow-definition-3.3-shell-localparams.json', '3.3']] as const) {
      const form = readPayload(file).form as Json;
      const ours = exported(version).workflows[0]!.form as Json;
      for (const k of Object.keys(form)) {
        if (k === 'otherParamsJson' || k === 'description') continue;
        expect(ours, `${file} ${k}`).toHaveProperty(k);
        expect(typeof ours[k], `${file} ${k}`).toBe(typeof form[k]);
      }
    }
  });
});

function jsonType2(v: unknown): string {
  return v === null || v === undefined ? 'null' : typeof v;
}
