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

export interface PatternPool {
  readonly threads: number;
  /** Like `stocks.map(computeAllPatterns)`, on the pool's threads (one run at a time). */
  run(stocks: readonly OhlcColumns[], opts?: Pick<ParallelOptions, 'chunk' | 'onResult'>): Promise<Record<string, Int32Array>[]>;
  close(): Promise<void>;
}

/**
 * A pool of pattern workers kept alive across runs, so repeated whole-market passes do not pay for
 * worker start-up and JIT warm-up each time.
 */
export function createPatternPool(opts: Pick<ParallelOptions, 'threads' | 'workerUrl'> = {}): PatternPool {
  const threads = Math.max(1, opts.threads ?? availableParallelism());
  const url = opts.workerUrl ?? defaultWorkerUrl();
  const workers = Array.from({ length: threads }, () => new Worker(url));
  for (const w of workers) w.unref();
  let busy = false;
  const P = PATTERN_NAMES.length;

  async function run(
    stocks: readonly OhlcColumns[],
    ropts: Pick<ParallelOptions, 'chunk' | 'onResult'> = {},
  ): Promise<Record<string, Int32Array>[]> {
    if (busy) throw new Error('pattern pool is already running');
    busy = true;
    for (const w of workers) w.ref(); // keep the process alive while results are due
    const keep = !ropts.onResult;
    const results: Record<string, Int32Array>[] = keep ? new Array(stocks.length) : [];
    const offsets = new Int32Array(stocks.length + 1);
    for (let s = 0; s < stocks.length; s++) offsets[s + 1] = offsets[s]! + stocks[s]!.open.length;
    const total = offsets[stocks.length]!;
    const shared = (): Float64Array => new Float64Array(new SharedArrayBuffer(Math.max(1, total) * 8));
    const cols = { open: shared(), high: shared(), low: shared(), close: shared() };
    for (let s = 0; s < stocks.length; s++) {
      const st = stocks[s]!;
      const at = offsets[s]!;
      cols.open.set(st.open, at);
      cols.high.set(st.high, at);
      cols.low.set(st.low, at);
      cols.close.set(st.close, at);
    }
    const chunk = Math.max(1, ropts.chunk ?? 64);
    let next = 0;
    const cleanups: (() => void)[] = [];
    try {
      if (stocks.length === 0) return results;
      await new Promise<void>((resolve, reject) => {
        let pending = Math.ceil(stocks.length / chunk);
        const feed = (w: Worker): void => {
          if (next >= stocks.length) return;
          const from = next;
          next = Math.min(stocks.length, next + chunk);
          w.postMessage({ type: 'chunk', from, to: next });
        };
        for (const w of workers) {
          const onMessage = (msg: { from: number; to: number; buf: Int32Array }): void => {
            let pos = 0;
            for (let s = msg.from; s < msg.to; s++) {
              const n = offsets[s + 1]! - offsets[s]!;
              const r: Record<string, Int32Array> = {};
              for (let k = 0; k < P; k++) {
                r[PATTERN_NAMES[k]!] = msg.buf.subarray(pos, pos + n);
                pos += n;
              }
              if (keep) results[s] = r;
              else ropts.onResult!(s, r);
            }
            if (--pending === 0) resolve();
            else feed(w);
          };
          const onExit = (code: number): void => reject(new Error(`pattern worker exited with code ${code}`));
          w.on('message', onMessage);
          w.on('error', reject);
          w.on('exit', onExit);
          cleanups.push(() => {
            w.off('message', onMessage);
            w.off('error', reject);
            w.off('exit', onExit);
          });
          w.postMessage({ type: 'init', ...cols, offsets });
          feed(w);
          feed(w); // two chunks in flight per worker keeps it busy while results travel
        }
      });
      return results;
    } finally {
      for (const c of cleanups) c();
      for (const w of workers) w.unref(); // an idle pool does not keep the process alive
      busy = false;
    }
  }

  return {
    threads,
    run,
    close: async () => {
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}

/** Like `stocks.map(computeAllPatterns)`, on `threads` worker threads (a pool for this one call). */
export async function computeAllPatternsParallel(
  stocks: readonly OhlcColumns[],
  opts: ParallelOptions = {},
): Promise<Record<string, Int32Array>[]> {
  const threads = Math.max(1, Math.min(opts.threads ?? availableParallelism(), stocks.length));
  if (threads === 1) {
    const results: Record<string, Int32Array>[] = [];
    stocks.forEach((s, i) => {
      const r = computeAllPatterns(s);
      if (opts.onResult) opts.onResult(i, r);
      else results[i] = r;
    });
    return results;
  }
  const pool = createPatternPool({ threads, workerUrl: opts.workerUrl });
  try {
    return await pool.run(stocks, opts);
  } finally {
    await pool.close();
  }
}
