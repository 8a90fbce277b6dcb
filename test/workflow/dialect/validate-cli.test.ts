import { describe, expect, it } from 'vitest';
import { runCli } from '../../support/cli.js';
import { repoRoot } from '../../support/fs.js';

const opts = { cwd: repoRoot, env: { STOCK_PROJECT: '/srv/stock' } };
const errors = 'test/fixtures/workflows/errors';

describe('quantflow validate', () => {
  it('exit 0 and "ok NAME (N tasks)" for the workflow and each child, children first', () => {
    const r = runCli(['validate', 'test/fixtures/workflows/original/run_system.yaml'], opts);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('ok prepare_datas (3 tasks)\nok train_model (2 tasks)\nok recommend_stock (2 tasks)\nok run_system (3 tasks)\n');
    expect(r.stderr).toBe('');
  });

  it('exit 2 with every error as path:line:col: message, one per line; warnings on stderr too', () => {
    const r = runCli(['validate', `${errors}/many-errors.yaml`, `${errors}/unknown-keys.yaml`], opts);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('ok unknown_keys (1 task)\n');
    const lines = r.stderr.trim().split('\n');
    expect(lines).toEqual([
      `${errors}/many-errors.yaml:3:13: workflow.schedule "0 0 0 * *": a Quartz schedule has 7 fields (second minute hour day-of-month month day-of-week year), got 5`,
      `${errors}/many-errors.yaml:7:12: task "a": deps: no task named "ghost" in this workflow`,
      `${errors}/many-errors.yaml:9:11: duplicate task name "a" (first defined at line 5)`,
      `${errors}/many-errors.yaml:10:16: task "a": unknown task_type "Bash"`,
      `${errors}/many-errors.yaml:14:14: task "b": timeout expected a number, got "ten"`,
      `${errors}/unknown-keys.yaml:3:3: warning: unknown key "schedual" in workflow, ignored (did you mean "schedule"?)`,
      `${errors}/unknown-keys.yaml:7:5: warning: task "t": unknown key "comand" for a Shell task, ignored (did you mean "command"?)`,
      `${errors}/unknown-keys.yaml:9:5: warning: task "t": unknown key "fail_retry_time" for a Shell task, ignored (did you mean "fail_retry_times"?)`,
    ]);
  });

  it('strict by default; --compat lets a missing $ENV through as $NAME', () => {
    const strict = runCli(['validate', 'test/fixtures/workflows/original/run_system.yaml'], { cwd: repoRoot, env: { STOCK_PROJECT: undefined } });
    expect(strict.status).toBe(2);
    expect(strict.stderr).toContain('test/fixtures/workflows/original/run_system.yaml:5:14: workflow: param.project: environment variable $ENV{STOCK_PROJECT} not set');
    const compat = runCli(['validate', '--compat', 'test/fixtures/workflows/original/run_system.yaml'], { cwd: repoRoot, env: { STOCK_PROJECT: undefined } });
    expect(compat.status).toBe(0);
  });

  it('--json prints one document', () => {
    const r = runCli(['validate', '--json', `${errors}/cycle.yaml`], opts);
    expect(r.status).toBe(2);
    expect(JSON.parse(r.stdout)).toEqual({
      ok: false,
      workflows: [],
      diagnostics: [{ severity: 'error', file: `${errors}/cycle.yaml`, line: 6, col: 12, message: 'cycle in workflow "cyclic": a -> b -> c -> a' }],
    });
  });
});

describe('quantflow graph', () => {
  it('prints the DAG as topological rows with type and deps', () => {
    const r = runCli(['graph', 'test/fixtures/workflows/original/prepare_datas.yaml'], opts);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(
      [
        'workflow prepare_datas (3 tasks, 2 levels)',
        '  level  task           type   deps',
        '  0      download_data  SHELL  -',
        '  1      calc_signals   SHELL  download_data',
        '  1      calc_features  SHELL  download_data',
        '',
      ].join('\n'),
    );
  });

  it('exits 2 with the errors of a bad file', () => {
    const r = runCli(['graph', `${errors}/cycle.yaml`], opts);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(`${errors}/cycle.yaml:6:12: cycle in workflow "cyclic": a -> b -> c -> a\n`);
  });
});
