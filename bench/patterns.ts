/**
 * The 61 TA-Lib candlestick patterns over 5,000 synthetic stocks x 500 days (2.5M bars):
 *   1. computeAllPatterns, single-threaded (shared body/range/shadow arrays and rolling averages);
 *   2. the `talib` npm binding (TA-Lib 0.6 C behind V8 marshalling) on a fraction of the stocks,
 *      extrapolated to the full set;
 *   3. computeAllPatternsParallel on worker threads, a whole-market pass.
 * Prints the figures and the ratios. TA-Lib C's own speed (~1.9 s for the 61 over these bars, from
 * ../shared/specs/candles-talib.md) cannot be measured from Node and is quoted as a reference.
 *
 *   npm run bench -- patterns [--stocks 5000] [--days 500] [--talib-stocks 250] [--threads N]
 */
import { build } from 'esbuild';
import { createRequire } from 'node:module';
import { availableParallelism, loadavg } from 'node:os';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CandleContext, PATTERN_NAMES, computeAllPatterns, runPattern } from '../src/analysis/candles/index.js';
import { createPatternPool, type OhlcColumns } from '../src/analysis/candles/parallel.js';
import { Rng } from '../src/market/synthetic.js';

function arg(name: string, dflt: number): number {
  const k = process.argv.indexOf(`--${name}`);
  return k > 0 ? Number(process.argv[k + 1]) : dflt;
}
const STOCKS = arg('stocks', 5000);
const DAYS = arg('days', 500);
const TALIB_STOCKS = Math.min(STOCKS, arg('talib-stocks', 250));
const THREADS = arg('threads', availableParallelism());
const TALIB_C_SECONDS = 1.9; // quoted reference for 61 patterns x 2.5M bars

function mulberry(seed: number): () => number {
  const g = new Rng(seed);
  return () => g.next();
}

/** A-share-like daily bars: log-normal walk on a 0.01 tick, gaps, some dojis and limit-like flat days. */
function synthStock(seed: number, n: number): OhlcColumns {
  const r = mulberry(seed);
  const open = new Float64Array(n);
  const high = new Float64Array(n);
  const low = new Float64Array(n);
  const close = new Float64Array(n);
  let p = 5 + r() * 45;
  const vol = 0.01 + r() * 0.03;
  const t = (x: number): number => Math.max(0.01, Math.round(x * 100) / 100);
  for (let i = 0; i < n; i++) {
    const g = (r() - 0.5) * vol * (r() < 0.1 ? 3 : 0.6);
    const o = t(p * (1 + g));
    const flat = r() < 0.01;
    const c = flat ? o : r() < 0.04 ? o : t(o * (1 + (r() - 0.5) * 2 * vol));
    const h = flat ? o : t(Math.max(o, c) * (1 + r() * vol * 0.7));
    const l = flat ? o : t(Math.min(o, c) * (1 - r() * vol * 0.7));
    open[i] = o;
    high[i] = h;
    low[i] = l;
    close[i] = c;
    p = c;
  }
  return { open, high, low, close };
}

const ms = (t0: bigint): number => Number(process.hrtime.bigint() - t0) / 1e6;
const cpuMs = (u0: NodeJS.CpuUsage): number => {
  const u = process.cpuUsage(u0);
  return (u.user + u.system) / 1000;
};
const fmt = (x: number, d = 0): string => x.toFixed(d);

const stocks = Array.from({ length: STOCKS }, (_, s) => synthStock(s + 1, DAYS));
const bars = STOCKS * DAYS;
console.log(`patterns bench: ${STOCKS} stocks x ${DAYS} days = ${(bars / 1e6).toFixed(2)}M bars, ${PATTERN_NAMES.length} patterns`);
console.log(`machine: ${availableParallelism()} cores, load average ${loadavg().map((x) => x.toFixed(1)).join(' ')} (wall times are inflated when other work shares the cores; CPU times less so)`);

// warm-up (JIT) on a few stocks
for (let k = 0; k < 3; k++) for (let s = 0; s < 50; s++) computeAllPatterns(stocks[s]!);

// 1. single-threaded
let fired = 0;
const t1 = process.hrtime.bigint();
const c1 = process.cpuUsage();
for (const s of stocks) {
  const r = computeAllPatterns(s);
  const v = r.CDLENGULFING!;
  for (let i = 0; i < v.length; i++) if (v[i] !== 0) fired++;
}
const single = ms(t1);
const singleCpu = cpuMs(c1);
const nsBarPattern = (singleCpu * 1e6) / bars / PATTERN_NAMES.length;
console.log(`quantflow single thread : ${fmt(single)} ms wall, ${fmt(singleCpu)} ms CPU (${fmt(nsBarPattern, 1)} ns CPU per bar per pattern; ENGULFING fired ${fired} times)`);

// 2. the talib binding, on a fraction, extrapolated
const talib = createRequire(import.meta.url)('talib');
const pen: Record<string, number> = { CDLABANDONEDBABY: 0.3, CDLDARKCLOUDCOVER: 0.5, CDLEVENINGDOJISTAR: 0.3, CDLEVENINGSTAR: 0.3, CDLMATHOLD: 0.5, CDLMORNINGDOJISTAR: 0.3, CDLMORNINGSTAR: 0.3 };
let mismatches = 0;
const t2 = process.hrtime.bigint();
const c2 = process.cpuUsage();
let checkCpu = 0;
for (let s = 0; s < TALIB_STOCKS; s++) {
  const st = stocks[s]!;
  const p = { open: Array.from(st.open), high: Array.from(st.high), low: Array.from(st.low), close: Array.from(st.close) };
  for (const name of PATTERN_NAMES) {
    const res = talib.execute({ name, startIdx: 0, endIdx: DAYS - 1, ...p, ...(name in pen ? { optInPenetration: pen[name] } : {}) });
    if (s < 20) {
      // spot check of exactness; its CPU time is subtracted below
      const cc = process.cpuUsage();
      const mine = runPattern(name, new CandleContext(st.open, st.high, st.low, st.close));
      const out: number[] = res.result.outInteger;
      for (let j = 0; j < res.nbElement; j++) if (out[j] !== mine[res.begIndex + j]) mismatches++;
      checkCpu += cpuMs(cc);
    }
  }
}
const talibPart = ms(t2);
const talibCpuPart = cpuMs(c2) - checkCpu;
const talibFull = (talibPart * STOCKS) / TALIB_STOCKS;
const talibCpuFull = (talibCpuPart * STOCKS) / TALIB_STOCKS;
console.log(
  `talib binding           : ${fmt(talibPart)} ms wall, ${fmt(talibCpuPart)} ms CPU for ${TALIB_STOCKS} stocks -> ~${fmt(talibFull)} ms wall, ~${fmt(talibCpuFull)} ms CPU extrapolated to ${STOCKS} (includes Array.from per stock; ${mismatches} mismatches on the first 20 stocks)`,
);

// 3. worker threads
const workerFile = resolve('node_modules/.cache/quantflow-bench/pattern-worker.mjs');
await build({
  entryPoints: [resolve('src/analysis/candles/pattern-worker.ts')],
  outfile: workerFile,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  logLevel: 'warning',
});
const workerUrl = pathToFileURL(workerFile);
const pool = createPatternPool({ threads: THREADS, workerUrl });
await pool.run(stocks.slice(0, 300)); // worker start-up and JIT warm-up, not timed
let pfired = 0;
const t3 = process.hrtime.bigint();
const c3 = process.cpuUsage();
await pool.run(stocks, {
  onResult: (_i, r) => {
    const v = r.CDLENGULFING!;
    for (let i = 0; i < v.length; i++) if (v[i] !== 0) pfired++;
  },
});
const par = ms(t3);
await pool.close();
const parCpu = cpuMs(c3);
console.log(`quantflow ${THREADS} worker threads: ${fmt(par)} ms wall, ${fmt(parCpu)} ms CPU over all threads  (whole-market pass incl. copy to shared memory; ENGULFING fired ${pfired} times${pfired === fired ? ', same as single' : ', DIFFERENT from single!'})`);

console.log('ratios:');
console.log(`  talib binding / quantflow single  = ${fmt(talibFull / single, 1)}x wall, ${fmt(talibCpuFull / singleCpu, 1)}x CPU`);
console.log(`  quantflow single / TA-Lib C (quoted ${TALIB_C_SECONDS} s, not measured here) = ${fmt(single / 1000 / TALIB_C_SECONDS, 2)}x wall, ${fmt(singleCpu / 1000 / TALIB_C_SECONDS, 2)}x CPU`);
console.log(`  quantflow single / ${THREADS} threads    = ${fmt(single / par, 2)}x speed-up`);
console.log(`  talib binding / quantflow ${THREADS} threads = ${fmt(talibFull / par, 1)}x`);
