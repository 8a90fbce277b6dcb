/**
 * Runs refits on worker threads (both cores by default). Workers run the compiled dist/ code; when
 * it is not there (running from TypeScript sources), refits run on this thread instead.
 */
import { Worker } from 'node:worker_threads';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { availableParallelism } from 'node:os';
import { runRefit, type RefitJob, type RefitResult } from './refit.js';

export async function runRefits(jobs: RefitJob[], threads = Math.min(2, availableParallelism())): Promise<{ results: RefitResult[]; threads: number }> {
  const url = new URL('./worker.js', import.meta.url);
  const usable = url.protocol === 'file:' && existsSync(fileURLToPath(url));
  if (!usable || threads <= 1 || jobs.length <= 1) return { results: jobs.map(runRefit), threads: 1 };
  const n = Math.min(threads, jobs.length);
  const results: RefitResult[] = new Array(jobs.length);
  let next = 0;
  await new Promise<void>((resolve, reject) => {
    let live = n;
    const workers: Worker[] = [];
    const feed = (w: Worker) => {
      if (next >= jobs.length) {
        void w.terminate();
        if (--live === 0) resolve();
        return;
      }
      w.postMessage(jobs[next++]!);
    };
    for (let i = 0; i < n; i++) {
      const w = new Worker(url);
      workers.push(w);
      w.on('message', (r: RefitResult) => {
        results[r.id] = r;
        feed(w);
      });
      w.on('error', (e) => {
        for (const x of workers) void x.terminate();
        reject(e);
      });
      feed(w);
    }
  });
  return { results, threads: n };
}
