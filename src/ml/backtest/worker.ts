/** Worker side of the backtest's parallel refits: one RefitJob in, its scores out. */
import { parentPort } from 'node:worker_threads';
import { runRefit, type RefitJob } from './refit.js';

parentPort!.on('message', (job: RefitJob) => {
  const r = runRefit(job);
  parentPort!.postMessage(r, [r.scores.buffer as ArrayBuffer]);
});
