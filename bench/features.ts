/**
 * `npm run bench -- features [STOCKS] [DAYS] [TALIB_FRACTION]`: all features (61 candlestick patterns
 * + ma + bbands + kbar) over 5,000 synthetic stocks x 500 days (2.5M bars), single-threaded compute
 * time; the store's write time (encode + SQLite, on disk) separately; the `talib` Node binding on the
 * same work as the reference (on a fraction of the stocks, extrapolated, and said so); the ratio;
 * TA-Lib C's documented figure (ml.md §4: 1.9 s for the 61 CDL, 33 ms SMA x 11, 14 ms BBANDS) for
 * comparison; and a both-cores figure with worker threads.
 *
 * ma and the 61 patterns are computed the way the market pass computes them (features/compute.ts,
 * `FeatureSet.computeTransient`): into buffers reused from one stock to the next, since each stock's
 * columns are encoded (copied) before the next stock is computed. bbands and kbar allocate per stock.
 */
import { createRequire } from 'node:module';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { PATTERN_NAMES } from '../src/analysis/candles/index.js';
import { computeBbandsFeatures, BBANDS_COLUMNS } from '../src/analysis/features/bbands.js';
import { computeKbar, KBAR_COLUMNS } from '../src/analysis/features/kbar.js';
import { maColumns, maFeatureSet, MA_PERIODS } from '../src/analysis/features/ma.js';
import { talibPatternFeatureSet } from '../src/analysis/features/talib-pattern.js';
import { encodeColumns, writeSets, barsFingerprint, type SetWrite } from '../src/analysis/store.js';
import { openDb } from '../src/core/db.js';
import { emptyBars, type Bars } from '../src/market/bars.js';

/** A deterministic synthetic stock: a random walk with gaps, wicks, flat days and 2-decimal prices. */
function synthStock(seed: number, days: number): Bars {
  let s = (seed * 2654435761 + 12345) >>> 0;
  const rnd = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
  const gauss = () => Math.sqrt(-2 * Math.log(rnd() + 1e-12)) * Math.cos(2 * Math.PI * rnd());
  const b = emptyBars(`s${seed}`, days);
  let prev = 5 + rnd() * 50;
  for (let i = 0; i < days; i++) {
    const r2 = (x: number) => Math.round(x * 100) / 100;
    const open = r2(prev * (1 + gauss() * 0.006));
    const close = r2(open * (1 + gauss() * 0.02));
    const flat = rnd() < 0.01;
    const high = flat ? close : r2(Math.max(open, close) * (1 + Math.abs(gauss()) * 0.008));
    const low = flat ? close : r2(Math.min(open, close) * (1 - Math.abs(gauss()) * 0.008));
    b.dates[i] = 20200101 + i;
    b.open[i] = flat ? close : open;
    b.high[i] = high;
    b.low[i] = low;
    b.close[i] = close;
    b.volume[i] = 1e5 + rnd() * 1e6;
    prev = close;
  }
  return b;
}

// The feature sets' reusable-buffer entry points, as the market pass calls them (see the header).
const maSet = maFeatureSet();
const patSet = await talibPatternFeatureSet();
const computeMa = (b: Bars) => maSet.computeTransient!(b, 0);
const computeAllPatterns = (b: Bars) => patSet.computeTransient!(b, 0);

function computeAll(b: Bars) {
  return { ma: computeMa(b), bbands: computeBbandsFeatures(b), kbar: computeKbar(b), pat: computeAllPatterns(b) };
}

if (!isMainThread) {
  const { from, to, days } = workerData as { from: number; to: number; days: number };
  const stocks: Bars[] = [];
  for (let i = from; i < to; i++) stocks.push(synthStock(i, days));
  for (let i = 0; i < Math.min(50, stocks.length); i++) computeAll(stocks[i]!); // JIT warm-up, as on the main thread
  parentPort!.postMessage('ready');
  parentPort!.once('message', () => {
    let sink = 0;
    for (const b of stocks) sink += computeAll(b).pat.CDLDOJI![b.dates.length - 1]!;
    parentPort!.postMessage({ sink });
  });
} else {
  await main();
}

async function main() {
  const [nArg, dArg, fArg] = process.argv.slice(2);
  const N = Number(nArg ?? 5000);
  const D = Number(dArg ?? 500);
  const frac = Number(fArg ?? 0.05);
  const fmt = (ms: number) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`);
  console.log(`features bench: ${N} synthetic stocks x ${D} days = ${((N * D) / 1e6).toFixed(2)}M bars (node ${process.version}, ${availableParallelism()} cores)`);
  const load = () => loadavg().map((x) => x.toFixed(1)).join(' ');
  console.log(`load average ${load()} (wall times are inflated when other work shares the cores)`);

  const stocks: Bars[] = [];
  for (let i = 0; i < N; i++) stocks.push(synthStock(i, D));
  // Warm-up (JIT) on a few stocks, not timed.
  for (let i = 0; i < Math.min(50, N); i++) computeAll(stocks[i]!);

  // 1. Single-threaded compute, per family and total.
  const t = { ma: 0, bbands: 0, kbar: 0, pat: 0 };
  // Results are not kept (as in the real pass, where each stock is encoded and dropped): holding
  // 2.5M x 121 values would measure the GC, not the features.
  let sink = 0;
  const t0 = performance.now();
  for (const b of stocks) {
    let a = performance.now();
    const ma = computeMa(b);
    let c = performance.now();
    t.ma += c - a;
    a = c;
    const bb = computeBbandsFeatures(b);
    c = performance.now();
    t.bbands += c - a;
    a = c;
    const kb = computeKbar(b);
    c = performance.now();
    t.kbar += c - a;
    a = c;
    const pat = computeAllPatterns(b);
    c = performance.now();
    t.pat += c - a;
    sink += ma.ma_5![D - 1]! + bb.upperband_distance![D - 1]! + kb.KMID![D - 1]! + pat.CDLDOJI![D - 1]!;
  }
  if (Number.isNaN(sink)) console.log('');
  const total = performance.now() - t0;
  console.log(`compute, one thread: ${fmt(total)} total (target <= 4 s for 2.5M bars)`);
  console.log(`  ma (${maColumns().length} cols) ${fmt(t.ma)} | bbands ${fmt(t.bbands)} | kbar ${fmt(t.kbar)} | 61 CDL ${fmt(t.pat)}`);

  // 2. Store write: encode (Float32 / Int16 / sparse) + SQLite on disk, in transactions of 100 stocks
  //    (the features are computed again here, outside the clock).
  const dir = mkdtempSync(join(tmpdir(), 'qf-bench-'));
  const db = openDb(join(dir, 'bench.db'));
  const w0 = performance.now();
  let enc = 0;
  let excluded = 0;
  let bytes = 0;
  let batch: SetWrite[] = [];
  for (let i = 0; i < N; i++) {
    const b = stocks[i]!;
    const c0 = performance.now();
    const r = computeAll(b);
    const e0 = performance.now();
    excluded += e0 - c0;
    const fp = barsFingerprint(b, b.dates.length);
    for (const [name, cols, names, kind] of [
      ['ma', r.ma, maColumns(), 'float'],
      ['bbands', r.bbands, BBANDS_COLUMNS, 'float'],
      ['kbar', r.kbar, KBAR_COLUMNS, 'float'],
      ['talib_pattern', r.pat, PATTERN_NAMES, 'int'],
    ] as const) {
      const { meta, data } = encodeColumns(cols, names, kind, b.dates.length);
      bytes += data.byteLength + b.dates.byteLength;
      batch.push({ code: b.code, setName: name, spec: name, meta, dates: b.dates, data, fingerprint: fp });
    }
    enc += performance.now() - e0;
    if (batch.length >= 400) {
      writeSets(db, batch);
      batch = [];
    }
  }
  writeSets(db, batch);
  const write = performance.now() - w0 - excluded;
  db.close();
  rmSync(dir, { recursive: true, force: true });
  console.log(`store write (separate): ${fmt(write)} (encode ${fmt(enc)}, SQLite ${fmt(write - enc)}), ${(bytes / 1e6).toFixed(0)} MB`);

  // 3. The talib binding on the same work, on a fraction of the stocks, extrapolated.
  const talib = createRequire(import.meta.url)('talib') as { execute(o: Record<string, unknown>): unknown };
  // TA-Lib's defaults; the binding crashes when these functions get no optInPenetration.
  const pen: Record<string, number> = { CDLABANDONEDBABY: 0.3, CDLDARKCLOUDCOVER: 0.5, CDLEVENINGDOJISTAR: 0.3, CDLEVENINGSTAR: 0.3, CDLMATHOLD: 0.5, CDLMORNINGDOJISTAR: 0.3, CDLMORNINGSTAR: 0.3 };
  const m = Math.max(1, Math.round(N * frac));
  const r = { sma: 0, bb: 0, cdl: 0 };
  for (let i = 0; i < m; i++) {
    const b = stocks[i]!;
    let a = performance.now();
    const o = Array.from(b.open);
    const h = Array.from(b.high);
    const l = Array.from(b.low);
    const c = Array.from(b.close);
    const conv = performance.now() - a;
    a = performance.now();
    for (const p of MA_PERIODS) talib.execute({ name: 'SMA', startIdx: 0, endIdx: D - 1, inReal: c, optInTimePeriod: p });
    let z = performance.now();
    r.sma += z - a + conv / 3;
    a = z;
    talib.execute({ name: 'BBANDS', startIdx: 0, endIdx: D - 1, inReal: c, optInTimePeriod: 20, optInNbDevUp: 2, optInNbDevDn: 2, optInMAType: 0 });
    z = performance.now();
    r.bb += z - a + conv / 3;
    a = z;
    for (const name of PATTERN_NAMES) talib.execute({ name, startIdx: 0, endIdx: D - 1, open: o, high: h, low: l, close: c, ...(name in pen ? { optInPenetration: pen[name] } : {}) });
    r.cdl += performance.now() - a + conv / 3;
  }
  const k = N / m;
  const ref = { sma: r.sma * k, bb: r.bb * k, cdl: r.cdl * k };
  const refTotal = ref.sma + ref.bb + ref.cdl;
  const oursComparable = t.pat + t.bbands + t.ma;
  console.log(`talib binding (measured on ${m} stocks = ${(100 / k).toFixed(1)}%, extrapolated x${k.toFixed(1)}): SMA x11 ${fmt(ref.sma)} | BBANDS ${fmt(ref.bb)} | 61 CDL ${fmt(ref.cdl)} | total ${fmt(refTotal)}`);
  console.log(`  ratio talib binding / ours: 61 CDL ${(ref.cdl / t.pat).toFixed(1)}x | SMA ${(ref.sma / t.ma).toFixed(1)}x (ours computes the 48 ma columns) | BBANDS ${(ref.bb / t.bbands).toFixed(1)}x | all ${(refTotal / oursComparable).toFixed(1)}x`);
  const cScale = (N * D) / 2.5e6;
  console.log(
    `  vs TA-Lib C (documented for 2.5M bars in ml.md §4, scaled to ${((N * D) / 1e6).toFixed(2)}M, not measured here): ` +
      `61 CDL ${fmt(1900 * cScale)} -> ours/C ${(t.pat / (1900 * cScale)).toFixed(2)}x; SMA x11 ${fmt(33 * cScale)}; BBANDS ${fmt(14 * cScale)} -> ours/C ${(t.bbands / (14 * cScale)).toFixed(2)}x`,
  );

  // 4. Both cores: worker threads, each with half the stocks (generated before the clock starts).
  const nw = Math.min(2, availableParallelism());
  const workers: Worker[] = [];
  await Promise.all(
    Array.from({ length: nw }, (_, i) => {
      const w = new Worker(new URL(import.meta.url), { workerData: { from: Math.floor((i * N) / nw), to: Math.floor(((i + 1) * N) / nw), days: D } });
      workers.push(w);
      return new Promise<void>((res) => w.once('message', () => res()));
    }),
  );
  const p0 = performance.now();
  await Promise.all(
    workers.map(
      (w) =>
        new Promise<void>((res) => {
          w.once('message', () => res());
          w.postMessage('go');
        }),
    ),
  );
  const par = performance.now() - p0;
  for (const w of workers) await w.terminate();
  console.log(`compute, ${nw} worker threads: ${fmt(par)} (speed-up ${(total / par).toFixed(2)}x over one thread; load average now ${load()})`);
}
