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

export function computeMa(bars: Bars, offset = 0): Record<string, Float64Array> {
  const close = bars.close;
  const len = close.length;
  const out: Record<string, Float64Array> = {};
  const names = maColumns();
  // One allocation for all columns (views into it): far fewer objects for the GC on a market pass.
  const block = new Float64Array(len * names.length);
  let k = 0;
  const next = () => block.subarray(len * k, len * ++k);
  const s = new Float64Array(len);
  for (const p of MA_PERIODS) {
    sma(close, p, offset, s);
    const ma = next();
    for (let i = 0; i < len; i++) ma[i] = (s[i]! - close[i]!) / close[i]!;
    out[`ma_${p}`] = ma;
    for (const n of deltaSteps(p)) {
      const d = next();
      const m = n < len ? n : len;
      for (let i = 0; i < m; i++) d[i] = NaN;
      for (let i = n; i < len; i++) {
        const prev = s[i - n]!;
        d[i] = (s[i]! - prev) / prev;
      }
      out[`delta_${n}_ma_${p}`] = d;
    }
  }
  return out;
}

export function maFeatureSet(): FeatureSet {
  const maxP = MA_PERIODS[MA_PERIODS.length - 1]!;
  return {
    name: 'ma',
    spec: 'ma:v1',
    columns: maColumns(),
    kind: 'float',
    lookback: maxP - 1 + Math.max(...deltaSteps(maxP)),
    incremental: true,
    compute: computeMa,
  };
}
