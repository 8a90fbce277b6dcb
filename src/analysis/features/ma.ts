/**
 * The `ma` feature set of the original system (ml.md §1): for p in 2,3,5,8,13,21,34,55,89,144,233
 *   ma_<p>           = (SMA_p - close) / close
 *   delta_<n>_ma_<p> = (SMA_p[t] - SMA_p[t-n]) / SMA_p[t-n],  n = ceil(r*p) for r in 0.1,0.3,0.4,0.5 (n > 0)
 * The original wrote the delta columns into a DataFrame by name, so two ratios giving the same n
 * produced one column: the set is the distinct (n, p) pairs, in first-seen order.
 */
import type { Bars } from '../../market/bars.js';
import { sma } from '../indicators/rolling.js';
import type { FeatureSet } from './types.js';

export const MA_PERIODS = [2, 3, 5, 8, 13, 21, 34, 55, 89, 144, 233] as const;
export const MA_DELTA_RATIOS = [0.1, 0.3, 0.4, 0.5] as const;

/** The distinct delta steps n for period p, in the order the ratios produce them. */
export function deltaSteps(p: number): number[] {
  const out: number[] = [];
  for (const r of MA_DELTA_RATIOS) {
    const n = Math.ceil(r * p);
    if (n > 0 && !out.includes(n)) out.push(n);
  }
  return out;
}

export function maColumns(): string[] {
  const cols: string[] = [];
  for (const p of MA_PERIODS) {
    cols.push(`ma_${p}`);
    for (const n of deltaSteps(p)) cols.push(`delta_${n}_ma_${p}`);
  }
  return cols;
}

/** The column layout, computed once: per period, its ma column and delta steps, in column order. */
const LAYOUT = MA_PERIODS.map((p) => ({ p, name: `ma_${p}`, deltas: deltaSteps(p).map((n) => ({ n, name: `delta_${n}_ma_${p}` })) }));
const NAMES = maColumns();

/**
 * A reusable output block for `computeMa`, for a caller that consumes each stock's columns before
 * computing the next one (the market pass encodes them at once; the bench drops them): the columns
 * returned with a workspace are views of its block and are OVERWRITTEN by the next call with the
 * same workspace. Saves a fresh 48-column block per stock (its zeroing and the GC of 192 KB a stock
 * of 500 days). Without a workspace `computeMa` returns freshly allocated columns.
 */
export class MaWorkspace {
  private len = -1;
  private cols: Record<string, Float64Array> = {};
  private sma: Float64Array<ArrayBuffer> = new Float64Array(0);

  /** The column views (and SMA scratch) for `len` bars; reused while `len` does not change. */
  take(len: number): { cols: Record<string, Float64Array>; sma: Float64Array<ArrayBuffer> } {
    if (len !== this.len) {
      const fresh = allocate(len);
      this.cols = fresh.cols;
      this.sma = fresh.sma;
      this.len = len;
    }
    return { cols: this.cols, sma: this.sma };
  }
}

function allocate(len: number): { cols: Record<string, Float64Array>; sma: Float64Array<ArrayBuffer> } {
  // One allocation for all columns (views into it): far fewer objects for the GC on a market pass.
  const block = new Float64Array(len * NAMES.length);
  const cols: Record<string, Float64Array> = {};
  NAMES.forEach((name, k) => (cols[name] = block.subarray(len * k, len * (k + 1))));
  return { cols, sma: new Float64Array(len) };
}

/**
 * The `ma` columns of `bars` (see the header). `offset` is the absolute index of bars[0] (rolling-sum
 * anchors); with `ws` the columns are views of the workspace's block, valid until its next use.
 */
export function computeMa(bars: Bars, offset = 0, ws?: MaWorkspace): Record<string, Float64Array> {
  const close = bars.close;
  const len = close.length;
  const { cols: out, sma: s } = ws ? ws.take(len) : allocate(len);
  for (const { p, name, deltas } of LAYOUT) {
    sma(close, p, offset, s);
    // SMA_p is NaN before bar p-1 (see sma), so the formulas give NaN there: written directly
    const warm = Math.min(p - 1, len);
    const ma = out[name]!;
    ma.fill(NaN, 0, warm);
    for (let i = warm; i < len; i++) ma[i] = (s[i]! - close[i]!) / close[i]!;
    for (const { n, name: dName } of deltas) {
      const d = out[dName]!;
      // NaN where SMA_p[t-n] does not exist (t < n) or is NaN (t - n < p - 1)
      const m = Math.min(n + p - 1, len);
      d.fill(NaN, 0, m);
      for (let i = m; i < len; i++) {
        const prev = s[i - n]!;
        d[i] = (s[i]! - prev) / prev;
      }
    }
  }
  return out;
}

export function maFeatureSet(): FeatureSet {
  const maxP = MA_PERIODS[MA_PERIODS.length - 1]!;
  const ws = new MaWorkspace();
  return {
    name: 'ma',
    spec: 'ma:v1',
    columns: maColumns(),
    kind: 'float',
    lookback: maxP - 1 + Math.max(...deltaSteps(maxP)),
    incremental: true,
    compute: (bars, offset) => computeMa(bars, offset),
    computeTransient: (bars, offset) => computeMa(bars, offset, ws),
  };
}
