import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { WorkflowLoadError, formatDiagnostic, loadWorkflow, loadWorkflowFile } from '../../../src/workflow/dialect/load.js';
import { repoRoot } from '../../support/fs.js';

const rel = 'test/fixtures/workflows/errors';

/** Every diagnostic of a fixture, formatted as the CLI prints it. */
function diags(name: string): string[] {
  return loadWorkflowFile(`${rel}/${name}`, { cwd: repoRoot, env: {} }).diagnostics.map(formatDiagnostic);
}

describe('validation errors, each with its line and column', () => {
  it('unknown deps names, with a did-you-mean', () => {
    expect(diags('unknown-deps.yaml')).toEqual([
      `${rel}/unknown-deps.yaml:9:21: task "load": deps: no task named "transfrom" in this workflow`,
    ]);
  });

  it('duplicate task names', () => {
    expect(diags('duplicate-names.yaml')).toEqual([`${rel}/duplicate-names.yaml:7:11: duplicate task name "step" (first defined at line 4)`]);
  });

  it('cycles print the cycle and point at the deps entry closing it', () => {
    expect(diags('cycle.yaml')).toEqual([`${rel}/cycle.yaml:6:12: cycle in workflow "cyclic": a -> b -> c -> a`]);
  });

  it('unknown task types', () => {
    expect(diags('unknown-type.yaml')).toEqual([`${rel}/unknown-type.yaml:5:16: task "hello": unknown task_type "Shel" (did you mean "Shell"?)`]);
  });

  it('wrong value types, all of them at once', () => {
    expect(diags('wrong-types.yaml')).toEqual([
      `${rel}/wrong-types.yaml:3:17: workflow: warning_type expected one of NONE, SUCCESS, FAILURE, ALL, got "SOMETIMES"`,
      `${rel}/wrong-types.yaml:7:23: task "retry": fail_retry_times expected a number, got "many"`,
      `${rel}/wrong-types.yaml:11:14: task "list_command": command expected a string, got a list`,
      `${rel}/wrong-types.yaml:14:11: task "deps_string": deps expected a list, got "retry"`,
      `${rel}/wrong-types.yaml:20:28: task "bad_param": local_params[0].direct expected one of IN, OUT, got "SIDEWAYS"`,
    ]);
  });

  it('a Quartz schedule that is not 7 fields, or has a bad field', () => {
    expect(diags('bad-schedule.yaml')).toEqual([
      `${rel}/bad-schedule.yaml:3:13: workflow.schedule "0 0 0 * * ?": a Quartz schedule has 7 fields (second minute hour day-of-month month day-of-week year), got 6`,
    ]);
    expect(diags('bad-schedule-field.yaml')).toEqual([
      `${rel}/bad-schedule-field.yaml:3:18: workflow.schedule "0 0 25 * * ? *": hour field: 25 is out of range 0-23`,
    ]);
  });

  it('timeout without timeout_notify_strategy is a warning; the workflow still loads', () => {
    const r = loadWorkflowFile(`${rel}/timeout-warning.yaml`, { cwd: repoRoot });
    expect(r.bundle?.root.tasks[0].timeout).toBe(5);
    expect(r.diagnostics.map(formatDiagnostic)).toEqual([
      `${rel}/timeout-warning.yaml:6:5: warning: task "slow": timeout without timeout_notify_strategy: DolphinScheduler does nothing when it times out (set WARN, FAILED or WARNFAILED)`,
    ]);
  });

  it('unknown keys are warnings with a did-you-mean', () => {
    const r = loadWorkflowFile(`${rel}/unknown-keys.yaml`, { cwd: repoRoot });
    expect(r.bundle).toBeDefined();
    expect(r.diagnostics.map(formatDiagnostic)).toEqual([
      `${rel}/unknown-keys.yaml:3:3: warning: unknown key "schedual" in workflow, ignored (did you mean "schedule"?)`,
      `${rel}/unknown-keys.yaml:7:5: warning: task "t": unknown key "comand" for a Shell task, ignored (did you mean "command"?)`,
      `${rel}/unknown-keys.yaml:9:5: warning: task "t": unknown key "fail_retry_time" for a Shell task, ignored (did you mean "fail_retry_times"?)`,
    ]);
  });

  it('YAML syntax errors with their position', () => {
    expect(diags('bad-indent.yaml')).toEqual([`${rel}/bad-indent.yaml:6:1: YAML syntax error: Sequence item without - indicator`]);
    expect(diags('syntax-error.yaml')).toEqual([`${rel}/syntax-error.yaml:7:1: YAML syntax error: Missing closing "quote`]);
  });

  it('reports every problem of a file at once, in line order', () => {
    expect(diags('many-errors.yaml')).toEqual([
      `${rel}/many-errors.yaml:3:13: workflow.schedule "0 0 0 * *": a Quartz schedule has 7 fields (second minute hour day-of-month month day-of-week year), got 5`,
      `${rel}/many-errors.yaml:7:12: task "a": deps: no task named "ghost" in this workflow`,
      `${rel}/many-errors.yaml:9:11: duplicate task name "a" (first defined at line 5)`,
      `${rel}/many-errors.yaml:10:16: task "a": unknown task_type "Bash"`,
      `${rel}/many-errors.yaml:14:14: task "b": timeout expected a number, got "ten"`,
    ]);
  });

  it('missing $FILE and $WORKFLOW files are errors at the macro', () => {
    const d = diags('missing-file.yaml');
    expect(d).toHaveLength(2);
    expect(d[0]).toMatch(new RegExp(`^${rel}/missing-file.yaml:6:14: task "t": command: \\$FILE\\{"scripts/nope.sh"\\}: file not found`));
    expect(d[1]).toMatch(new RegExp(`^${rel}/missing-file.yaml:9:30: \\$WORKFLOW\\{"nope.yaml"\\}: file not found`));
  });

  it('cycles between workflow files are reported with the chain', () => {
    expect(diags('child-cycle-a.yaml')).toEqual([
      `${rel}/child-cycle-b.yaml:6:20: $WORKFLOW{"child-cycle-a.yaml"}: workflow files include each other: ${rel}/child-cycle-a.yaml -> ${rel}/child-cycle-b.yaml -> ${rel}/child-cycle-a.yaml`,
    ]);
  });

  it('loadWorkflow throws one QuantflowError (exit 2) listing every error, first one located', () => {
    let caught: unknown;
    try {
      loadWorkflow(resolve(repoRoot, rel, 'many-errors.yaml'), { cwd: repoRoot });
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(WorkflowLoadError);
    const e = caught as WorkflowLoadError;
    expect(e.exitCode).toBe(2);
    expect(e.message.split('\n')).toHaveLength(5);
    expect(e.message.split('\n')[0]).toMatch(new RegExp(`^${rel}/many-errors.yaml:3:13: `));
    expect(e.diagnostics.filter((d) => d.severity === 'error')).toHaveLength(5);
  });

  it('a missing root file is one located error', () => {
    expect(diags('does-not-exist.yaml')).toEqual([`${rel}/does-not-exist.yaml:1:1: cannot read ${rel}/does-not-exist.yaml: no such file`]);
  });
});
