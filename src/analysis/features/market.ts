/**
 * The whole-market pass: every symbol of the market store, its configured feature sets (stocks and
 * indices) and signals (stocks only), incrementally. With a store on disk and more than a handful of
 * symbols it uses worker threads (one a core, at most `workers`): workers read bars and stored values
 * on their own read connections and compute; this thread is the single SQLite writer and commits
 * each batch of stocks in one transaction.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Db } from '../../core/db.js';
import { silentProgress, type Progress } from '../../core/progress.js';
import { MarketStore } from '../../market/store.js';
import type { AnalysisConfig } from '../config.js';
import { buildSignals } from '../signals/registry.js';
import { migrateAnalysis, writeSets, writeSignals } from '../store.js';
import { computeSymbol, type Mode, type SymbolResult } from './compute.js';
import { buildFeatureSets } from './registry.js';

export interface Selection {
  /** Which feature sets: all configured (undefined), one by name, or none (false). */
  features?: string | false;
  signals?: string | false;
}

export interface ComputeOptions extends Selection {
  /** Only these codes (default: every symbol in the market store). */
  codes?: string[];
  /** Worker threads; 0 = this thread only. Default: the cores, at most 2, for on-disk stores. */
  workers?: number;
  /** The compiled worker entry (default ./worker.js next to this module). */
  workerUrl?: URL;
}

export interface ComputeSummary {
  symbols: number;
  bars: number;
  workers: number;
  ms: number;
  features: Record<string, { columns: number; full: number; append: number; skip: number }>;
  signals: Record<string, { full: number; append: number; skip: number; buys: number }>;
}

export interface WorkerInit {
  dbPath: string;
  config: AnalysisConfig;
  selection: Selection;
}

export async function prepare(config: AnalysisConfig, sel: Selection) {
  const sets = sel.features === false ? [] : await buildFeatureSets(config, sel.features);
  const signals = sel.signals === false ? [] : buildSignals(config, sel.signals);
  return { sets, signals };
}

export async function computeMarket(db: Db, config: AnalysisConfig, progress: Progress = silentProgress, opts: ComputeOptions = {}): Promise<ComputeSummary> {
  const t0 = performance.now();
  migrateAnalysis(db);
  const market = new MarketStore(db);
  const all = market.listSymbols();
  const wanted = opts.codes ? new Set(opts.codes) : undefined;
  const symbols = all.filter((s) => s.bars > 0 && (!wanted || wanted.has(s.code)));
  const { sets, signals } = await prepare(config, opts);
  const summary: ComputeSummary = { symbols: symbols.length, bars: 0, workers: 0, ms: 0, features: {}, signals: {} };
  for (const s of sets) summary.features[s.name] = { columns: s.columns.length, full: 0, append: 0, skip: 0 };
  for (const s of signals) summary.signals[s.name] = { full: 0, append: 0, skip: 0, buys: 0 };
  progress.total(symbols.length);

  const record = (results: SymbolResult[]) => {
    db.transaction(() => {
      writeSets(db, results.flatMap((r) => r.sets));
      writeSignals(db, results.flatMap((r) => r.signals));
    }).immediate();
    for (const r of results) {
      summary.bars += r.bars;
      for (const [k, mode] of Object.entries(r.modes) as [string, Mode][]) {
        if (k.startsWith('signal:')) summary.signals[k.slice(7)]![mode]++;
        else summary.features[k]![mode]++;
      }
      for (const w of r.signals) for (let i = 0; i < w.buy.length; i++) summary.signals[w.name]!.buys += w.buy[i]!;
    }
    progress.tick(results.length, results[results.length - 1]?.code);
  };

  const url = opts.workerUrl ?? new URL('./worker.js', import.meta.url);
  const onDisk = db.name !== ':memory:' && db.name !== '';
  let nWorkers = opts.workers ?? (symbols.length >= 16 ? Math.min(2, availableParallelism()) : 0);
  if (!onDisk || url.protocol !== 'file:' || !existsSync(fileURLToPath(url)) || !fileURLToPath(url).endsWith('.js')) nWorkers = 0;

  if (nWorkers === 0) {
    let batch: SymbolResult[] = [];
    for (const s of symbols) {
      batch.push(computeSymbol(db, market.readBars(s.code), s.kind === 'index', sets, signals));
      if (batch.length >= 20) {
        record(batch);
        batch = [];
      }
    }
    if (batch.length > 0) record(batch);
  } else {
    summary.workers = nWorkers;
    // tulind's native addon cannot be loaded in worker threads ("did not self-register"), so the
    // `indicator` set is computed here, on this thread, as each worker batch arrives.
    const mainSets = sets.filter((s) => s.name === 'indicator');
    const workerConfig: AnalysisConfig = { ...config, features: config.features.filter((f) => f !== 'indicator'), indicators: [] };
    const workerSel: Selection = { features: opts.features === 'indicator' ? false : opts.features, signals: opts.signals };
    const kinds = new Map(symbols.map((s) => [s.code, s.kind]));
    const onBatch = (results: SymbolResult[]) => {
      if (mainSets.length > 0) {
        for (const r of results) {
          const extra = computeSymbol(db, market.readBars(r.code), kinds.get(r.code) === 'index', mainSets, []);
          r.sets.push(...extra.sets);
          Object.assign(r.modes, extra.modes);
        }
      }
      record(results);
    };
    await runWorkers(url, nWorkers, { dbPath: db.name, config: workerConfig, selection: workerSel }, symbols.map((s) => ({ code: s.code, isIndex: s.kind === 'index' })), onBatch);
  }
  progress.done();
  summary.ms = Math.round(performance.now() - t0);
  return summary;
}

type Job = { code: string; isIndex: boolean };

function runWorkers(url: URL, n: number, init: WorkerInit, jobs: Job[], record: (r: SymbolResult[]) => void): Promise<void> {
  const chunk = 8;
  let next = 0;
  let active = 0;
  return new Promise((resolve, reject) => {
    let failed = false;
    const workers: Worker[] = [];
    const fail = (e: unknown) => {
      if (failed) return;
      failed = true;
      for (const w of workers) void w.terminate();
      reject(e instanceof Error ? e : new Error(String(e)));
    };
    const feed = (w: Worker) => {
      if (next >= jobs.length) return false;
      const part = jobs.slice(next, next + chunk);
      next += part.length;
      active++;
      w.postMessage({ type: 'work', jobs: part });
      return true;
    };
    for (let i = 0; i < n; i++) {
      const w = new Worker(url, { workerData: init });
      workers.push(w);
      w.on('message', (m: { type: 'result'; results: SymbolResult[] } | { type: 'error'; message: string }) => {
        if (m.type === 'error') return fail(new Error(m.message));
        active--;
        try {
          record(m.results);
        } catch (e) {
          return fail(e);
        }
        feed(w);
        if (active === 0 && next >= jobs.length) {
          for (const x of workers) void x.terminate();
          resolve();
        }
      });
      w.on('error', fail);
      // Two chunks in flight per worker so it never waits for this thread's writes.
      feed(w);
      feed(w);
    }
    if (jobs.length === 0) {
      for (const x of workers) void x.terminate();
      resolve();
    }
  });
}
