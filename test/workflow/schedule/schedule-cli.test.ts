import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../support/cli.js';
import { repoRoot, tempDir } from '../../support/fs.js';

const tmp = tempDir('qf-schedule-cli-');
afterAll(() => tmp.cleanup());

describe('quantflow schedule', () => {
  it('lists the next fire times of a workflow and its children', () => {
    const r = runCli(['schedule', 'test/fixtures/workflows/original/run_system.yaml', '--count', '3', '--from', '2024-03-01T00:00:00Z'], {
      cwd: repoRoot,
      env: { STOCK_PROJECT: '/srv/stock' },
    });
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(
      [
        'prepare_datas: no schedule',
        'train_model: no schedule',
        'recommend_stock: no schedule',
        'run_system: "0 30 18 ? * MON-FRI *" (Asia/Shanghai)',
        '  2024-03-01T18:30:00+08:00',
        '  2024-03-04T18:30:00+08:00',
        '  2024-03-05T18:30:00+08:00',
        '',
      ].join('\n'),
    );
  });

  it('reads every YAML file in ./workflows by default; --json; the start/end window applies', () => {
    const cwd = join(tmp.dir, 'project');
    mkdirSync(join(cwd, 'workflows', 'scripts'), { recursive: true });
    writeFileSync(
      join(cwd, 'workflows', 'ny.yaml'),
      'workflow:\n  name: ny\n  schedule: "0 30 2 * * ? *"\n  timezone: America/New_York\n  end_time: "2024-03-12 00:00:00"\ntasks: []\n',
    );
    writeFileSync(join(cwd, 'workflows', 'off.yml'), 'workflow:\n  name: off\n  schedule: "0 0 0 L * ? *"\n  online_schedule: false\n  timezone: UTC\ntasks: []\n');
    writeFileSync(join(cwd, 'workflows', 'scripts', 'ignored.yaml'), 'not: a workflow\n');
    const r = runCli(['schedule', '--json', '--count', '4', '--from', '2024-03-09T00:00:00Z'], { cwd });
    expect(r.status).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.workflows.map((w: { workflow: string }) => w.workflow)).toEqual(['ny', 'off']);
    // 2024-03-10 02:30 does not exist in New York; the window ends before the 12th.
    expect(doc.workflows[0]).toMatchObject({ schedule: '0 30 2 * * ? *', timezone: 'America/New_York', online: true, next: ['2024-03-09T02:30:00-05:00', '2024-03-11T02:30:00-04:00'] });
    expect(doc.workflows[1]).toMatchObject({ online: false, next: ['2024-03-31T00:00:00+00:00', '2024-04-30T00:00:00+00:00', '2024-05-31T00:00:00+00:00', '2024-06-30T00:00:00+00:00'] });
  });

  it('exit 2 with located errors for a bad schedule', () => {
    const r = runCli(['schedule', 'test/fixtures/workflows/errors/bad-schedule-field.yaml'], { cwd: repoRoot });
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('test/fixtures/workflows/errors/bad-schedule-field.yaml:3:18: workflow.schedule "0 0 25 * * ? *": hour field: 25 is out of range 0-23\n');
  });
});
