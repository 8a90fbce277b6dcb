/**
 * All 61 patterns for a whole market on several cores (worker_threads). The market's OHLC is
 * copied once into shared memory; workers pull chunks of stocks and transfer back packed results,
 * which are handed out as per-pattern Int32Array views (no further copy).
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { PATTERN_NAMES, computeAllPatterns } from './index.js';

export interface OhlcColumns {
  open: Float64Array;
  high: Float64Array;
  low: Float64Array;
  close: Float64Array;
}

export interface ParallelOptions {
  /** worker count; default: the machine's available parallelism. 1 computes on this thread. */
  threads?: number;
  /** stocks per work unit (default 64) */
  chunk?: number;
  /** the compiled worker module (default ./pattern-worker.js next to this file) */
  workerUrl?: URL | string;
  /** called once per stock as results arrive (any order); when given, results are not kept */
  onResult?: (index: number, patterns: Record<string, Int32Array>) => void;
}

function defaultWorkerUrl(): URL {
  const url = new URL('./pattern-worker.js', import.meta.url);
  if (!existsSync(fileURLToPath(url))) {
    throw new Error(`pattern worker not found at ${fileURLToPath(url)} (build with tsc, or pass workerUrl)`);
  }
  return url;
}

/** Like `stocks.map(computeAllPatterns)`, on `threads` worker threads. */
export async function computeAllPatternsParallel(
  stocks: readonly OhlcColumns[],
  opts: ParallelOptions = {},
): Promise<Record<string, Int32Array>[]> {
  const keep = !opts.onResult;
  const results: Record<string, Int32Array>[] = keep ? new Array(stocks.length) : [];
  const emit = (i: number, r: Record<string, Int32Array>): void => {
    if (keep) results[i] = r;
    else opts.onResult!(i, r);
  };
  const threads = Math.max(1, Math.min(opts.threads ?? availableParallelism(), stocks.length));
  if (threads === 1) {
    stocks.forEach((s, i) => emit(i, computeAllPatterns(s)));
    return results;
  }
  const offsets = new Int32Array(stocks.length + 1);
  for (let s = 0; s < stocks.length; s++) offsets[s + 1] = offsets[s]! + stocks[s]!.open.length;
  const total = offsets[stocks.length]!;
  const shared = (): Float64Array => new Float64Array(new SharedArrayBuffer(total * 8));
  const cols = { open: shared(), high: shared(), low: shared(), close: shared() };
  for (let s = 0; s < stocks.length; s++) {
    const st = stocks[s]!;
    const at = offsets[s]!;
    cols.open.set(st.open, at);
    cols.high.set(st.high, at);
    cols.low.set(st.low, at);
    cols.close.set(st.close, at);
  }
  const chunk = Math.max(1, opts.chunk ?? 64);
  const url = opts.workerUrl ?? defaultWorkerUrl();
  const P = PATTERN_NAMES.length;
  let next = 0;
  const workers: Worker[] = [];
  try {
    await new Promise<void>((resolve, reject) => {
      let pending = Math.ceil(stocks.length / chunk);
      const feed = (w: Worker): void => {
        if (next >= stocks.length) return;
        const from = next;
        next = Math.min(stocks.length, next + chunk);
        w.postMessage({ type: 'chunk', from, to: next });
      };
      for (let t = 0; t < threads; t++) {
        const w = new Worker(url);
        workers.push(w);
        w.on('error', reject);
        w.on('exit', (code) => {
          if (code !== 0 && pending > 0) reject(new Error(`pattern worker exited with code ${code}`));
        });
        w.on('message', (msg: { from: number; to: number; buf: Int32Array }) => {
          let pos = 0;
          for (let s = msg.from; s < msg.to; s++) {
            const n = offsets[s + 1]! - offsets[s]!;
            const r: Record<string, Int32Array> = {};
            for (let k = 0; k < P; k++) {
              r[PATTERN_NAMES[k]!] = msg.buf.subarray(pos, pos + n);
              pos += n;
            }
            emit(s, r);
          }
          if (--pending === 0) resolve();
          else feed(w);
        });
        w.postMessage({ type: 'init', ...cols, offsets });
        feed(w);
        feed(w); // two chunks in flight per worker keeps it busy while results travel
      }
    });
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return results;
}
