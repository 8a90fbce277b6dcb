/**
 * One refit of the walk-forward backtest: train on a window of rows, score the rows of the days
 * the model will pick on. Pure (plain arrays in, scores out) so it runs the same in a worker thread.
 */
import { trainGbdt } from '../gbdt/train.js';
import { predict } from '../gbdt/model.js';
import type { GbdtParams } from '../gbdt/params.js';

export interface RefitJob {
  id: number;
  /** Column-major features of the training rows ([buy, ...features]). */
  trainX: Float32Array[];
  trainY: Float32Array;
  /** Column-major features of the rows to score. */
  scoreX: Float32Array[];
  params: Partial<GbdtParams>;
}

export interface RefitResult {
  id: number;
  scores: Float64Array;
}

export function runRefit(job: RefitJob): RefitResult {
  const { model } = trainGbdt(job.trainX, job.trainY, job.params);
  return { id: job.id, scores: predict(model, job.scoreX) };
}
