/**
 * `quantflow run workflows/run_system.yaml` on the demo market, from an empty store, as a user runs
 * it (issue 5: at most 30 s). Prints each sub-workflow's time and the ratio to the target; as a
 * reference measured in the same run, the same chain's commands called one after another without
 * the engine, so the engine's share is visible.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

// bench/run.mjs runs every benchmark from the project root.
const root = resolve(process.cwd());
const bin = join(root, 'bin', 'quantflow.js');
const TARGET_S = 30;

function time(args: string[], env: NodeJS.ProcessEnv, cwd = root): { seconds: number; stdout: string } {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [bin, ...args], { cwd, env: { ...process.env, ...env }, encoding: 'utf8' });
  const seconds = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(`quantflow ${args.join(' ')} failed (${r.status}): ${r.stderr.slice(-500)}`);
  return { seconds, stdout: r.stdout };
}

const dir = mkdtempSync(join(tmpdir(), 'qf-bench-system-'));
try {
  const run = time(['run', join(root, 'workflows', 'run_system.yaml'), '--json'], { QUANTFLOW_DB: join(dir, 'engine.db') });
  const summary = JSON.parse(run.stdout) as { state: string; tasks: { name: string; startTime: string; endTime: string }[] };
  console.log(`run_system.yaml on the demo market: ${summary.state} in ${run.seconds.toFixed(1)} s (target ${TARGET_S} s, ratio ${(run.seconds / TARGET_S).toFixed(2)})`);
  for (const t of summary.tasks) console.log(`  ${t.name.padEnd(16)} ${((Date.parse(t.endTime) - Date.parse(t.startTime)) / 1000).toFixed(1)} s`);

  const env = { QUANTFLOW_DB: join(dir, 'direct.db') };
  const wf = join(root, 'workflows');
  const steps: [string, string[]][] = [
    ['download', ['data', 'download']],
    ['signals', ['signals', '--config', 'feature_signal.txt']],
    ['features', ['features', '--config', 'feature_signal.txt']],
    ['train dataset', ['dataset', 'build', '--kind', 'train', '--config', 'feature_signal.txt']],
    ['inference dataset', ['dataset', 'build', '--kind', 'inference', '--config', 'feature_signal.txt']],
    ['train', ['train']],
    ['evaluate', ['evaluate']],
    ['recommend', ['recommend']],
  ];
  let direct = 0;
  for (const [name, args] of steps) {
    const s = time(args, env, wf).seconds;
    direct += s;
    console.log(`  direct ${name.padEnd(18)} ${s.toFixed(1)} s`);
  }
  console.log(`the same commands one after another (no engine, no parallel branches): ${direct.toFixed(1)} s; engine run / direct = ${(run.seconds / direct).toFixed(2)}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
