import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { formatDiagnostic, loadWorkflow, loadWorkflowFile } from '../../../src/workflow/dialect/load.js';
import { repoRoot, tempDir } from '../../support/fs.js';

const dir = resolve(repoRoot, 'test/fixtures/workflows/macros');
const env = { QF_A: 'alpha', QF_B: 'beta' };
const tmp = tempDir('qf-macros-');
afterAll(() => tmp.cleanup());

describe('$ENV', () => {
  it('strict resolves every $ENV{} of a string and leaves ${...}, $[...] and $HOME alone', () => {
    const wf = loadWorkflow(join(dir, 'env.yaml'), { env, cwd: repoRoot }).root;
    expect(wf.params.both).toBe('alpha-beta-alpha');
    expect(wf.tasks[0].script).toBe('echo "alpha ${keep_me} $[yyyyMMdd] $HOME"');
  });

  it('compat resolves only the first key of a string (all its occurrences), as PyDolphinScheduler does', () => {
    const wf = loadWorkflow(join(dir, 'env.yaml'), { env, cwd: repoRoot, compat: true }).root;
    expect(wf.params.both).toBe('alpha-$ENV{QF_B}-alpha');
  });

  it('a missing variable: strict error at the value; compat leaves $NAME for the shell', () => {
    const strict = loadWorkflowFile(join(dir, 'env.yaml'), { env: { QF_A: 'alpha' }, cwd: repoRoot });
    expect(strict.bundle).toBeUndefined();
    expect(strict.diagnostics.map(formatDiagnostic)).toEqual([
      'test/fixtures/workflows/macros/env.yaml:4:11: workflow: param.both: environment variable $ENV{QF_B} not set (use --compat to leave it as $QF_B)',
    ]);
    const compat = loadWorkflow(join(dir, 'env.yaml'), { env: { QF_B: 'beta' }, cwd: repoRoot, compat: true }).root;
    expect(compat.params.both).toBe('$QF_A-$ENV{QF_B}-$QF_A');
    expect(compat.tasks[0].script).toBe('echo "$QF_A ${keep_me} $[yyyyMMdd] $HOME"');
  });
});

describe('$FILE', () => {
  it('replaces the whole value when the string starts with it; the content then goes through $ENV', () => {
    const wf = loadWorkflow(join(dir, 'file.yaml'), { env, cwd: repoRoot }).root;
    const [fromFile, notAtStart, sm, py] = wf.tasks;
    expect(fromFile.script).toBe('echo "step for alpha in ${project}"\n');
    expect(notAtStart.script).toBe('echo $FILE{"data/step.sh"}');
    expect(JSON.parse(sm.sagemakerRequestJson!)).toEqual({ PipelineName: 'alpha-pipeline', PipelineParameters: [{ Name: 'day', Value: '${day}' }] });
    // Python: a definition starting with `def f(` gets the call appended, as PyDS does.
    expect(py.script).toBe("def main():\n    print('${setValue(done=1)}')\nmain()");
  });

  it('a $ENV inside the file content that is missing is an error at the $FILE value', () => {
    const r = loadWorkflowFile(join(dir, 'file.yaml'), { env: {}, cwd: repoRoot });
    expect(r.diagnostics.map(formatDiagnostic)).toEqual([
      'test/fixtures/workflows/macros/file.yaml:6:14: task "from_file": command: environment variable $ENV{QF_A} not set (use --compat to leave it as $QF_A)',
      'test/fixtures/workflows/macros/file.yaml:12:29: task "sagemaker": sagemaker_request_json: environment variable $ENV{QF_A} not set (use --compat to leave it as $QF_A)',
    ]);
  });

  it('resolves paths against the CWD first, then the YAML file folder', () => {
    const cwd = join(tmp.dir, 'cwd');
    const wfDir = join(tmp.dir, 'flows');
    mkdirSync(cwd, { recursive: true });
    mkdirSync(wfDir, { recursive: true });
    writeFileSync(join(wfDir, 'both.sh'), 'echo from-yaml-dir');
    writeFileSync(join(cwd, 'both.sh'), 'echo from-cwd');
    writeFileSync(join(wfDir, 'only-here.sh'), 'echo only-yaml-dir');
    writeFileSync(
      join(wfDir, 'w.yaml'),
      ['workflow: {name: w}', 'tasks:', '  - {name: a, task_type: Shell, command: \'$FILE{"both.sh"}\'}', '  - {name: b, task_type: Shell, command: \'$FILE{"only-here.sh"}\'}', ''].join('\n'),
    );
    const r = loadWorkflowFile(join(wfDir, 'w.yaml'), { cwd, env: {} });
    expect(r.bundle!.root.tasks.map((t) => t.script)).toEqual(['echo from-cwd', 'echo only-yaml-dir']);
    // The shadowed copy next to the YAML file is worth a warning.
    expect(r.diagnostics.map(formatDiagnostic)).toEqual([
      `../flows/w.yaml:3:42: warning: task "a": command: "both.sh" is read from the current folder (${join(cwd, 'both.sh')}), not from next to the YAML file (${join(wfDir, 'both.sh')}), as PyDolphinScheduler does`,
    ]);
  });
});

describe('$WORKFLOW', () => {
  it('loads children once per file (comments included), nested ones relative to their parent, children first', () => {
    const b = loadWorkflow(join(dir, 'parent.yaml'), { env, cwd: repoRoot });
    expect(b.order.map((w) => w.name)).toEqual(['grandchild', 'child', 'parent']);
    expect(b.root.tasks.map((t) => t.childWorkflow)).toEqual(['child', 'child', 'grandchild']);
    expect(b.byName.get('child')!.tasks[0].childWorkflow).toBe('grandchild');
    expect(b.byName.get('child')!.file).toBe(join(dir, 'sub/child.yaml'));
    expect([...b.byName.keys()].sort()).toEqual(['child', 'grandchild', 'parent']);
  });

  it('keeps positions right on a line after a replaced token', () => {
    // "$WORKFLOW{"sub/child.yaml"}" became "child": an error after it on the same line must still point at the original column.
    const f = join(tmp.dir, 'pos.yaml');
    mkdirSync(join(tmp.dir, 'k'), { recursive: true });
    writeFileSync(join(tmp.dir, 'k', 'kid.yaml'), 'workflow: {name: kid}\ntasks: []\n');
    writeFileSync(f, 'workflow: {name: pos}\ntasks:\n  - {name: s, task_type: SubProcess, process_definition_name: $WORKFLOW{"k/kid.yaml"}, deps: [nope]}\n');
    const r = loadWorkflowFile(f, { cwd: tmp.dir, env: {} });
    expect(r.diagnostics.map(formatDiagnostic)).toEqual(['pos.yaml:3:95: task "s": deps: no task named "nope" in this workflow']);
  });
});

describe('${CONFIG.key} (PyDolphinScheduler configuration)', () => {
  const yaml = `workflow:
  name: cfg
  project: \${CONFIG.WORKFLOW_PROJECT}
  param:
    tenant: "\${CONFIG.default.user.tenant}"
    mixed: "p-\${CONFIG.WORKFLOW_PROJECT}-x"
tasks:
  - name: t
    task_type: Shell
    command: echo \${CONFIG.default.workflow.queue} \${keep}
`;
  const file = join(tmp.dir, 'config-macro.yaml');
  writeFileSync(file, yaml);
  const noPyds = { HOME: tmp.dir, PYDS_HOME: join(tmp.dir, 'no-such-home') };

  it('reads PyDS\'s built-in defaults without a config file; strict replaces each token, compat the whole string', () => {
    const strict = loadWorkflow(file, { env: noPyds, cwd: tmp.dir }).root;
    expect(strict.project).toBe('project-pydolphin');
    expect(strict.params).toEqual({ tenant: 'tenant_pydolphin', mixed: 'p-project-pydolphin-x' });
    expect(strict.tasks[0].script).toBe('echo queuePythonGateway ${keep}');
    const compat = loadWorkflow(file, { env: noPyds, cwd: tmp.dir, compat: true }).root;
    expect(compat.params.mixed).toBe('project-pydolphin');
    expect(compat.tasks[0].script).toBe('queuePythonGateway');
  });

  it('reads $PYDS_HOME/config.yaml; PYDS_<ATTRIBUTE> overrides the attribute form only', () => {
    const home = join(tmp.dir, 'pyds-home');
    mkdirSync(home, { recursive: true });
    writeFileSync(join(home, 'config.yaml'), 'default:\n  user:\n    tenant: quant\n  workflow:\n    project: research\n    queue: q1\n');
    const wf = loadWorkflow(file, { env: { PYDS_HOME: home, PYDS_WORKFLOW_PROJECT: 'from-env' }, cwd: tmp.dir }).root;
    expect(wf.project).toBe('from-env');
    expect(wf.params).toEqual({ tenant: 'quant', mixed: 'p-from-env-x' });
    expect(wf.tasks[0].script).toBe('echo q1 ${keep}');
  });

  it('an unknown setting is an error at its value (PyDS raises too)', () => {
    const bad = join(tmp.dir, 'config-bad.yaml');
    writeFileSync(bad, 'workflow:\n  name: bad\n  project: ${CONFIG.NO_SUCH}\ntasks:\n  - {name: t, task_type: Shell, command: "true"}\n');
    const r = loadWorkflowFile(bad, { env: noPyds, cwd: tmp.dir });
    expect(r.bundle).toBeUndefined();
    expect(r.diagnostics.map(formatDiagnostic).join('\n')).toMatch(/config-bad\.yaml:3:12: workflow: project: \$\{CONFIG\.NO_SUCH\}: no such PyDolphinScheduler setting in PyDolphinScheduler's default config/);
  });
});
