/**
 * Engine overhead of the local workflow runner.
 * 1. A generated 2,000-task DAG of NOOP tasks: wall time per task (budget: 1 ms), against a bare
 *    SQLite reference doing the same number of row writes (insert + 2 state updates per task).
 * 2. A 200-task DAG of `true` Shell tasks with parallel 2, against bare `spawn('bash', ['-c', 'true'])`
 *    x200 with concurrency 2 measured in the same run: the ratio and the overhead beyond process start-up.
 * Usage: npm run bench -- engine [NOOP_TASKS] [SHELL_TASKS]
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleOf, taskDef, workflowDef } from '../test/support/workflow-defs.js';
import Database from 'better-sqlite3';
import { startRun } from '../src/workflow/runner/index.js';
import { closeSharedDbs } from '../src/core/db.js';
import type { TaskDef, TaskType, WorkflowBundle } from '../src/workflow/model.js';

const noopTasks = Number(process.argv[2] ?? 2000);
const shellTasks = Number(process.argv[3] ?? 200);

/** A deterministic pseudo-random layered DAG: each task depends on up to 3 earlier tasks. */
function generate(n: number, type: TaskType, script: string | undefined, dir: string): WorkflowBundle {
  let seed = 42;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  const tasks: TaskDef[] = [];
  for (let i = 0; i < n; i++) {
    const deps = new Set<string>();
    if (i > 0) {
      const k = 1 + Math.floor(rnd() * 3);
      for (let j = 0; j < k; j++) deps.add(`t${Math.max(0, i - 1 - Math.floor(rnd() * 20))}`);
    }
    tasks.push(taskDef(`t${i}`, { type, typeAsWritten: type, deps: [...deps], script, loc: { file: join(dir, 'bench.yaml'), line: 1, col: 1 } }));
  }
  const root = workflowDef(`bench_${type.toLowerCase()}_${n}`, join(dir, 'bench.yaml'), tasks, { project: 'bench', timezone: 'UTC', params: { p: 'v' } });
  return bundleOf(root);
}

function bareSqlite(dbPath: string, n: number): number {
  const db = new Database(dbPath);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT, state TEXT, start_time INTEGER, end_time INTEGER, params TEXT)');
  const ins = db.prepare('INSERT INTO t (name, state) VALUES (?, ?)');
  const upd = db.prepare('UPDATE t SET state = ?, start_time = ?, params = ? WHERE id = ?');
  const fin = db.prepare('UPDATE t SET state = ?, end_time = ? WHERE id = ?');
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    const id = Number(ins.run(`t${i}`, 'SUBMITTED_SUCCESS').lastInsertRowid);
    upd.run('RUNNING_EXECUTION', Date.now(), '{"p":"v"}', id);
    fin.run('SUCCESS', Date.now(), id);
  }
  const ms = performance.now() - t0;
  db.close();
  return ms;
}

async function bareSpawns(n: number, concurrency: number): Promise<number> {
  const t0 = performance.now();
  let next = 0;
  const worker = async () => {
    while (next < n) {
      next++;
      await new Promise<void>((resolve, reject) => {
        const c = spawn('bash', ['-c', 'true'], { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
        c.on('error', reject);
        c.on('close', () => resolve());
      });
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return performance.now() - t0;
}

async function timeRun(bundle: WorkflowBundle, dbPath: string, parallel: number): Promise<{ ms: number; state: string }> {
  const t0 = performance.now();
  const s = await startRun({ dbPath, bundle, parallel }).done;
  return { ms: performance.now() - t0, state: s.state };
}

const dir = mkdtempSync(join(tmpdir(), 'qf-bench-engine-'));
try {
  // 1. NOOP DAG
  const noop = generate(noopTasks, 'NOOP', undefined, dir);
  await timeRun(generate(50, 'NOOP', undefined, dir), join(dir, 'warm.db'), 4); // warm-up (JIT, migrations)
  const r1 = await timeRun(noop, join(dir, 'noop.db'), 4);
  const ref1 = bareSqlite(join(dir, 'bare.db'), noopTasks);
  const perTask = r1.ms / noopTasks;
  console.log(`NOOP DAG: ${noopTasks} tasks in ${r1.ms.toFixed(0)} ms (${r1.state}) = ${perTask.toFixed(3)} ms/task engine overhead (budget 1 ms/task: ${(perTask / 1).toFixed(2)}x of budget)`);
  console.log(`  reference: bare SQLite, the same 3 row writes per task: ${ref1.toFixed(0)} ms = ${(ref1 / noopTasks).toFixed(3)} ms/task; engine/reference = ${(r1.ms / ref1).toFixed(2)}x`);

  // 2. Shell DAG of `true`, parallel 2
  const shell = generate(shellTasks, 'SHELL', 'true', dir);
  const ref2 = await bareSpawns(shellTasks, 2);
  const r2 = await timeRun(shell, join(dir, 'shell.db'), 2);
  const over = (r2.ms - ref2) / shellTasks;
  console.log(`Shell DAG: ${shellTasks} \`true\` tasks, parallel 2, in ${r2.ms.toFixed(0)} ms (${r2.state}) = ${(r2.ms / shellTasks).toFixed(2)} ms/task`);
  console.log(`  reference: bare spawn('bash',['-c','true']) x${shellTasks}, concurrency 2: ${ref2.toFixed(0)} ms = ${(ref2 / shellTasks).toFixed(2)} ms/task`);
  console.log(`  engine/reference = ${(r2.ms / ref2).toFixed(2)}x; overhead beyond process start-up = ${over.toFixed(2)} ms/task`);
} finally {
  closeSharedDbs();
  rmSync(dir, { recursive: true, force: true });
}
