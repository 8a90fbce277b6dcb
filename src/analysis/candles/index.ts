/**
 * The 61 TA-Lib 0.6 candlestick pattern functions (CDL*), computed natively and bit-exactly
 * (verified against the `talib` binding in test/analysis/candles). Outputs are Int32Arrays aligned
 * with the input: 0 for the first `lookback` bars and wherever the pattern does not fire, else
 * ±80 / ±100 / ±200 as TA-Lib reports.
 */
import type { Bars } from '../../market/bars.js';
import { CandleContext, type PatternDef } from './candle-settings.js';
import * as single from './single-bar.js';
import * as two from './two-bar.js';
import * as stars from './three-bar-stars.js';
import * as lines from './three-bar-lines.js';
import * as multi from './multi-bar.js';

export { CandleContext } from './candle-settings.js';
export type { PatternDef } from './candle-settings.js';

const REGISTRY: Record<string, PatternDef> = { ...single, ...two, ...stars, ...lines, ...multi };

/** The TA-Lib function names, sorted as TA-Lib lists them (CDL2CROWS ... CDLXSIDEGAP3METHODS). */
export const PATTERN_NAMES: readonly string[] = Object.freeze(Object.keys(REGISTRY).sort());

export function patternDef(name: string): PatternDef {
  const d = REGISTRY[name];
  if (!d) throw new Error(`unknown candlestick pattern ${name}`);
  return d;
}

/** TA-Lib's lookback (outBegIdx) of a pattern under the default candle settings. */
export function patternLookback(name: string): number {
  return patternDef(name).lookback;
}

/** Runs one pattern on a prepared context (share the context across patterns of the same bars). */
export function runPattern(name: string, ctx: CandleContext, out: Int32Array = new Int32Array(ctx.n)): Int32Array {
  return runDef(patternDef(name), ctx, out);
}

function runDef(d: PatternDef, ctx: CandleContext, out: Int32Array): Int32Array {
  if (out.length < ctx.n) throw new Error('output shorter than the bars');
  out.fill(0, 0, ctx.n);
  if (ctx.n > d.lookback) d.run(ctx, out);
  return out;
}

const shared = { ctx: undefined as CandleContext | undefined };
const DEFS: readonly PatternDef[] = PATTERN_NAMES.map(patternDef);
/** The 61 views of the last `into` buffer, kept while it and n do not change (making views is not free). */
const intoViews = { buf: undefined as Int32Array | undefined, n: -1, views: [] as Int32Array[], res: {} as Record<string, Int32Array> };

/** A context reset to these bars, reused across calls (JS is single-threaded; results never alias it). */
function sharedContext(open: Float64Array, high: Float64Array, low: Float64Array, close: Float64Array): CandleContext {
  if (!shared.ctx) shared.ctx = new CandleContext(open, high, low, close);
  else shared.ctx.reset(open, high, low, close);
  return shared.ctx;
}

export function computePattern(
  name: string,
  open: Float64Array,
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
): Int32Array {
  return runPattern(name, sharedContext(open, high, low, close));
}

/**
 * All 61 patterns of one stock, sharing the body/range/shadow arrays and the rolling averages.
 * The 61 outputs are views of one Int32Array: a fresh one (one allocation per stock), or `into`
 * when given (at least 61 x n long; its old content is overwritten) for a caller that is done with
 * the outputs before it reuses the buffer.
 */
export function computeAllPatterns(bars: Pick<Bars, 'open' | 'high' | 'low' | 'close'>, into?: Int32Array): Record<string, Int32Array> {
  const ctx = sharedContext(bars.open, bars.high, bars.low, bars.close);
  const n = ctx.n;
  if (into && into.length < n * PATTERN_NAMES.length) throw new Error('pattern buffer shorter than 61 x the bars');
  if (into && intoViews.buf === into && intoViews.n === n) {
    for (let k = 0; k < DEFS.length; k++) runDef(DEFS[k]!, ctx, intoViews.views[k]!);
    return intoViews.res;
  }
  const buf = into ?? new Int32Array(n * PATTERN_NAMES.length);
  const res: Record<string, Int32Array> = {};
  const views = DEFS.map((d, k) => (res[PATTERN_NAMES[k]!] = runDef(d, ctx, buf.subarray(k * n, (k + 1) * n))));
  if (into) Object.assign(intoViews, { buf: into, n, views, res });
  return res;
}
