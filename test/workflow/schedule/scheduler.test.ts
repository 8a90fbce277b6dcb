import { spawn } from 'node:child_process';
import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openRunStore } from '../../../src/workflow/runner/index.js';
import { Scheduler } from '../../../src/workflow/schedule/scheduler.js';
import { runCli } from '../../support/cli.js';
import { binPath, tempDir } from '../../support/fs.js';

const tmp = tempDir('qf-scheduler-');
afterAll(() => tmp.cleanup());

function flow(dir: string, name: string, command: string, schedule = '* * * * * ? *'): void {
  writeFileSync(
    join(dir, `${name}.yaml`),
    `workflow:\n  name: ${name}\n  schedule: "${schedule}"\n  timezone: UTC\ntasks:\n  - name: work\n    task_type: Shell\n    command: ${JSON.stringify(command)}\n`,
  );
}

describe('scheduler', () => {
  it('starts runs at fire times, never two of one workflow at once, and survives failing runs', async () => {
    const dir = join(tmp.dir, 'flows');
    mkdirSync(dir);
    flow(dir, 'slow', 'sleep 1.6');
    flow(dir, 'broken', 'exit 3');
    flow(dir, 'unscheduled', 'true', '0 0 0 1 1 ? 2099');
    writeFileSync(join(dir, 'invalid.yaml'), 'workflow: {name: invalid}\ntasks: [{name: t, task_type: Nope}]\n');
    const dbPath = join(tmp.dir, 'sched.db');
    const lines: string[] = [];
    const s = new Scheduler({ dbPath, dir, log: (l) => lines.push(l), rescanMs: 500 });
    const done = s.run();
    await new Promise((r) => setTimeout(r, 4500));
    s.stop(false);
    await done;

    const store = openRunStore(dbPath);
    const runs = store.listRuns(100);
    const slow = runs.filter((r) => r.name === 'slow').sort((a, b) => a.startTime - b.startTime);
    const broken = runs.filter((r) => r.name === 'broken');
    expect(slow.length).toBeGreaterThanOrEqual(2);
    for (let i = 1; i < slow.length; i++) expect(slow[i].startTime).toBeGreaterThanOrEqual(slow[i - 1].endTime!);
    expect(slow.every((r) => r.state === 'SUCCESS' && r.commandType === 'SCHEDULER')).toBe(true);
    expect(broken.length).toBeGreaterThanOrEqual(3);
    expect(broken.every((r) => r.state === 'FAILURE')).toBe(true);
    expect(runs.some((r) => r.name === 'unscheduled' || r.name === 'invalid')).toBe(false);
    expect(lines.some((l) => /skip slow at .*: its previous run is still going/.test(l))).toBe(true);
    expect(lines.filter((l) => l.includes('skip ') && l.includes('invalid.yaml'))).toHaveLength(1);
    expect(s.stats.failed).toBe(broken.length);
  }, 30_000);

  it('quantflow scheduler skips and logs a workflow whose lock another process holds', () => {
    const dir = join(tmp.dir, 'locked');
    mkdirSync(dir);
    flow(dir, 'nightly', 'true');
    flow(dir, 'free', 'true');
    const dbPath = join(tmp.dir, 'locked.db');
    const store = openRunStore(dbPath);
    expect(store.tryLock('schedule:nightly', 'another-scheduler')).toBe(true);
    try {
      const r = runCli(['--db', dbPath, 'scheduler', '--workflows', dir, '--exit-after', '3']);
      expect(r.status).toBe(0);
      expect(r.stderr).toMatch(new RegExp(`skip nightly at .*: already running \\(lock held by pid ${process.pid} `));
      expect(r.stderr).toMatch(/start free at /);
      expect(r.stderr).toMatch(/scheduler stopped: \d+ started/);
      const runs = openRunStore(dbPath).listRuns(100);
      expect(runs.some((x) => x.name === 'nightly')).toBe(false);
      expect(runs.filter((x) => x.name === 'free').length).toBeGreaterThanOrEqual(1);
    } finally {
      store.unlock('schedule:nightly', 'another-scheduler');
    }
  }, 60_000);

  it('Ctrl-C stops the scheduler and the run it started (KILL, exit 130)', async () => {
    const dir = join(tmp.dir, 'interrupt');
    mkdirSync(dir);
    flow(dir, 'long', 'sleep 30');
    const dbPath = join(tmp.dir, 'interrupt.db');
    const child = spawn(process.execPath, [binPath, '--db', dbPath, 'scheduler', '--workflows', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    const started = new Promise<void>((res) => {
      child.stderr.on('data', (b: Buffer) => {
        stderr += b.toString();
        if (/start long at .*: run \d+/.test(stderr)) res();
      });
    });
    const exited = new Promise<number | null>((res) => child.on('exit', (code) => res(code)));
    await started;
    await new Promise((r) => setTimeout(r, 500));
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    const runs = openRunStore(dbPath).listRuns(10);
    expect(runs).toHaveLength(1);
    expect(runs[0].state).toBe('KILL');
    expect(stderr).toMatch(/end long run \d+: KILL/);
  }, 60_000);
});
