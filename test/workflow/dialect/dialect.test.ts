import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { formatDiagnostic, loadWorkflow, loadWorkflowFile } from '../../../src/workflow/dialect/load.js';
import { repoRoot, tempDir } from '../../support/fs.js';

const dir = resolve(repoRoot, 'test/fixtures/workflows/macros');
const tmp = tempDir('qf-dialect-');
afterAll(() => tmp.cleanup());

function yamlFile(name: string, text: string): string {
  const f = join(tmp.dir, name);
  writeFileSync(f, text);
  return f;
}

describe('anchors, aliases and merge keys', () => {
  const b = loadWorkflowFile(join(dir, 'anchors.yaml'), { cwd: repoRoot, env: {} });
  const wf = b.bundle!.root;
  const t = (name: string) => wf.tasks.find((x) => x.name === name)!;

  it('ignores top-level anchor holders and resolves aliases anywhere', () => {
    expect(wf.name).toBe('anchors');
    expect(wf.params).toEqual({ project: 'demo', repo: 'https://example.invalid/repo.git' });
    expect(t('a').localParams).toEqual([{ prop: 'project', direct: 'IN', type: 'VARCHAR', value: '${project}' }]);
  });

  it('merge keys fill keys not written; explicit keys win; lists merge in order', () => {
    expect([t('a').type, t('a').failRetryTimes, t('a').priority, t('a').timeoutNotifyStrategy]).toEqual(['SHELL', 2, 'HIGH', 'WARN']);
    expect([t('b').failRetryTimes, t('b').workerGroup, t('b').priority]).toEqual([0, 'gpu', 'HIGH']);
    expect([t('c').type, t('c').typeAsWritten, t('c').failRetryTimes]).toEqual(['SAGEMAKER', 'SageMaker', 2]);
  });

  it('matches task types case-insensitively, with aliases', () => {
    expect([t('d').type, t('d').childWorkflow]).toEqual(['SUB_PROCESS', 'someone_elses']);
    expect([t('e').type, t('e').typeAsWritten]).toEqual(['SAGEMAKER', 'sagemaker']);
    expect(t('f').type).toBe('NOOP');
  });

  it('input/output params: TYPE(value), types inferred from YAML scalars, values as strings', () => {
    expect(t('f').localParams).toEqual([
      { prop: 'n', direct: 'IN', type: 'INTEGER', value: '3' },
      { prop: 'ratio', direct: 'IN', type: 'FLOAT', value: '1.0' },
      { prop: 'ok', direct: 'IN', type: 'BOOLEAN', value: 'true' },
      { prop: 'empty', direct: 'IN', type: 'VARCHAR', value: '' },
      { prop: 'path', direct: 'IN', type: 'FILE', value: 'out.txt' },
      { prop: 'blank', direct: 'IN', type: 'VARCHAR', value: '' },
      { prop: 'result', direct: 'OUT', type: 'LONG', value: '0' },
    ]);
  });

  it('warns about a sub-workflow that is not loaded with the file', () => {
    expect(b.diagnostics.map(formatDiagnostic)).toEqual([
      'test/fixtures/workflows/macros/anchors.yaml:32:5: warning: task "d": sub-workflow "someone_elses" is not loaded with this file (write $WORKFLOW{"file.yaml"} to run it locally)',
    ]);
  });

  it('locates a bad value reached through an alias at the alias, and values inside it at the anchor', () => {
    const f = yamlFile(
      'alias-loc.yaml',
      [
        'holder:',
        '  cmd: &cmd [echo, hi]', // line 2
        '  lp: &lp {prop: x, direct: UP, type: VARCHAR}', // line 3
        'workflow: {name: alias_loc}',
        'tasks:',
        '  - name: t',
        '    task_type: Shell',
        '    command: *cmd', // line 8
        '    local_params: [*lp]',
        '',
      ].join('\n'),
    );
    expect(loadWorkflowFile(f, { cwd: tmp.dir }).diagnostics.map(formatDiagnostic)).toEqual([
      'alias-loc.yaml:3:29: task "t": local_params[0].direct expected one of IN, OUT, got "UP"',
      'alias-loc.yaml:8:14: task "t": command expected a string, got a list',
    ]);
  });

  it('an unknown TYPE(value) is an error, as in PyDolphinScheduler', () => {
    const f = yamlFile('typed.yaml', 'workflow: {name: typed}\ntasks:\n  - {name: t, task_type: NoOp, input_params: {x: "NUMBER(3)"}}\n');
    expect(loadWorkflowFile(f, { cwd: tmp.dir }).diagnostics.map(formatDiagnostic)).toEqual([
      'typed.yaml:3:50: task "t": input_params.x: "NUMBER(3)" reads as TYPE(value) but NUMBER is not a parameter type (VARCHAR, INTEGER, LONG, FLOAT, DOUBLE, DATE, TIME, TIMESTAMP, BOOLEAN, LIST, FILE)',
    ]);
  });

  it('keeps YES/NO as strings (YAML 1.2) and applies the task defaults', () => {
    const f = yamlFile('defaults.yaml', 'workflow: {name: d, worker_group: wg}\ntasks:\n  - {name: off, task_type: Shell, command: "true", flag: NO}\n  - {name: on, task_type: Shell, command: "true"}\n');
    const w = loadWorkflow(f, { cwd: tmp.dir }).root;
    expect(w.tasks[0].flag).toBe('NO');
    const on = w.tasks[1];
    expect([on.flag, on.priority, on.workerGroup, on.delayTime, on.failRetryTimes, on.failRetryInterval, on.timeout]).toEqual(['YES', 'MEDIUM', 'wg', 0, 0, 1, 0]);
    expect([w.project, w.timezone, w.executionType, w.releaseState, w.warningType, w.run, w.onlineSchedule]).toEqual([
      'project-pydolphin', 'Asia/Shanghai', 'PARALLEL', 'online', 'NONE', false, false,
    ]);
  });

  it('stops a YAML "billion laughs" instead of expanding it', () => {
    const lines = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 9; i++) lines.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(10).fill('*' + String.fromCharCode(96 + i)).join(', ')}]`);
    lines.push('workflow: {name: lol, param: {x: *i}}', 'tasks: []', '');
    const r = loadWorkflowFile(yamlFile('lol.yaml', lines.join('\n')), { cwd: tmp.dir });
    expect(r.bundle).toBeUndefined();
    expect(r.diagnostics).toHaveLength(1);
    expect(r.diagnostics.map(formatDiagnostic)[0]).toMatch(/^lol\.yaml:\d+:\d+: YAML expands to more than 250000 values through aliases$/);
  });

  it('warns when a workflow with a Switch has no param at all (PyDolphinScheduler refuses it)', () => {
    const f = yamlFile('sw.yaml', 'workflow: {name: sw}\ntasks:\n  - {name: s, task_type: Switch, condition: [{task: t}]}\n  - {name: t, task_type: NoOp}\n');
    const r = loadWorkflowFile(f, { cwd: tmp.dir });
    expect(r.bundle).toBeDefined();
    expect(r.diagnostics.map(formatDiagnostic)).toEqual([
      'sw.yaml:3:5: warning: task "s": a workflow with a Switch needs workflow.param or a local param (PyDolphinScheduler refuses to submit it)',
    ]);
  });

  it('normalizes start_time/end_time to yyyy-MM-dd HH:mm:ss', () => {
    const f = yamlFile('window.yaml', 'workflow: {name: w, schedule: "0 0 1 * * ? *", start_time: 2024/01/02, end_time: "20241231 235959"}\ntasks: []\n');
    const w = loadWorkflow(f, { cwd: tmp.dir }).root;
    expect([w.startTime, w.endTime, w.onlineSchedule]).toEqual(['2024-01-02 00:00:00', '2024-12-31 23:59:59', true]);
  });
});

describe('logic tasks', () => {
  const wf = loadWorkflow(join(dir, 'logic.yaml'), { cwd: repoRoot }).root;
  const t = (name: string) => wf.tasks.find((x) => x.name === name)!;

  it('Condition: the group tasks are upstream, success/failed tasks downstream', () => {
    expect(t('cond').type).toBe('CONDITIONS');
    expect(t('cond').deps).toEqual(['pre1', 'pre2']);
    expect(t('cond').condition).toEqual({
      successTask: 'on_success',
      failedTask: 'on_failure',
      op: 'AND',
      groups: [{ op: 'AND', items: [{ task: 'pre1', flag: true }, { task: 'pre2', flag: false }] }],
    });
    expect(t('on_success').deps).toEqual(['cond']);
    expect(t('on_failure').deps).toEqual(['cond']);
  });

  it('Switch: every branch task depends on the switch; the default branch has no condition', () => {
    expect(t('sw').switchBranches).toEqual([{ condition: '${n} > 1', task: 'big' }, { task: 'small' }]);
    expect(t('big').deps).toEqual(['sw']);
    expect(t('small').deps).toEqual(['sw']);
  });

  it('the other types parse with their DolphinScheduler taskType', () => {
    expect(['dep', 'web', 'query', 'spark', 'k8s'].map((n) => t(n).type)).toEqual(['DEPENDENT', 'HTTP', 'SQL', 'SPARK', 'K8S']);
  });

  it('rejects bad logic structures with locations', () => {
    const f = yamlFile(
      'bad-logic.yaml',
      [
        'workflow: {name: bl, param: {x: "1"}}',
        'tasks:',
        '  - name: sw',
        '    task_type: switch',
        '    condition:',
        "      - {task: a, condition: '${x} > 0'}",
        '      - {task: missing}', // line 7
        '  - name: a',
        '    task_type: NoOp',
        '  - name: c',
        '    task_type: Condition',
        '    success_task: a',
        '    failed_task: a',
        '    groups:',
        '      - groups: [{task: a, flag: maybe}]', // line 15
        '',
      ].join('\n'),
    );
    expect(loadWorkflowFile(f, { cwd: tmp.dir }).diagnostics.map(formatDiagnostic)).toEqual([
      'bad-logic.yaml:7:16: task "sw": switch branch: no task named "missing" in this workflow',
      'bad-logic.yaml:15:34: task "c": groups[0].groups[0].flag expected a boolean, got "maybe"',
    ]);
  });
});

describe('workflow keys', () => {
  it('rejects a bad time zone and a bad start_time, at their values', () => {
    const f = yamlFile('wf-keys.yaml', 'workflow:\n  name: k\n  timezone: Mars/Base\n  start_time: "2024-13-01"\n  run: yes\ntasks: []\n');
    expect(loadWorkflowFile(f, { cwd: tmp.dir }).diagnostics.map(formatDiagnostic)).toEqual([
      'wf-keys.yaml:3:13: workflow.timezone "Mars/Base" is not an IANA time zone (e.g. Asia/Shanghai, America/New_York)',
      'wf-keys.yaml:4:15: workflow.start_time "2024-13-01" is not a date (yyyy-MM-dd, yyyy/MM/dd or yyyyMMdd, optionally with " HH:mm:ss")',
      'wf-keys.yaml:5:8: workflow: run expected a boolean, got "yes"',
    ]);
    const g = yamlFile('wf-keys2.yaml', 'workflow:\n  name: k\n  timezone: Mars/Base\n  start_time: "2024-13-01"\ntasks: []\n');
    expect(loadWorkflowFile(g, { cwd: tmp.dir }).diagnostics.map(formatDiagnostic)).toEqual([
      'wf-keys2.yaml:3:13: workflow.timezone "Mars/Base" is not an IANA time zone (e.g. Asia/Shanghai, America/New_York)',
      'wf-keys2.yaml:4:15: workflow.start_time "2024-13-01" is not a date (yyyy-MM-dd, yyyy/MM/dd or yyyyMMdd, optionally with " HH:mm:ss")',
    ]);
  });
});

describe('PyDolphinScheduler gotchas', () => {
  it('warns about a command that PyDS would take for a resource file name', () => {
    const f = yamlFile('res.yaml', 'workflow: {name: res}\ntasks:\n  - {name: t, task_type: Shell, command: bash run.sh}\n');
    expect(loadWorkflowFile(f, { cwd: tmp.dir }).diagnostics.map(formatDiagnostic)).toEqual([
      'res.yaml:3:42: warning: task "t": command ends like a file name; PyDolphinScheduler would try to read it as a resource and fail (use $FILE{"..."} or add a trailing command)',
    ]);
  });

  it('checks Dependent dates (raw values or PyDS constant names)', () => {
    const f = yamlFile(
      'dep.yaml',
      [
        'workflow: {name: dep}',
        'tasks:',
        '  - name: d',
        '    task_type: Dependent',
        '    groups:',
        '      - groups:',
        '          - {workflow_name: w, dependent_task_name: "0", dependent_date: LAST_WEDNESDAY}',
        '          - {workflow_name: w, dependent_task_name: "0", dependent_date: last1Hour}',
        '          - {workflow_name: w, dependent_task_name: "0", dependent_date: yesterday}',
        '',
      ].join('\n'),
    );
    const d = loadWorkflowFile(f, { cwd: tmp.dir }).diagnostics.map(formatDiagnostic);
    expect(d).toHaveLength(1);
    expect(d[0]).toMatch(/^dep\.yaml:9:74: task "d": dependent_date "yesterday" is not one of currentHour, /);
  });
});

describe('one error, one message', () => {
  it('a task that fails to build is not reported again where others depend on it', () => {
    const f = yamlFile('ref.yaml', 'workflow: {name: x}\ntasks:\n  - {name: a, task_type: Shel, command: x}\n  - {name: b, task_type: Shell, command: x, deps: [a]}\n');
    expect(loadWorkflowFile(f, { cwd: tmp.dir }).diagnostics.map(formatDiagnostic)).toEqual([
      'ref.yaml:3:26: task "a": unknown task_type "Shel" (did you mean "Shell"?)',
    ]);
  });
});
