/**
 * `ma_cross` (ml.md §1): buy = 1 on day t when SMA_fast[t] > SMA_slow[t] and
 * SMA_fast[t-1] <= SMA_slow[t-1] (a golden cross), else 0; equality within 1e-10 relative (see `above`). Days without both averages on t-1 are 0
 * (NaN comparisons are false, as in the original's pandas code). Defaults 5 and 10.
 */
import type { Bars } from '../../market/bars.js';
import { sma } from '../indicators/rolling.js';
import type { SignalDef } from './types.js';

/**
 * fast > slow, treating a difference below 1e-10 of the price as equal. On flat stretches (a stock
 * at the same close for days) the two averages are mathematically equal, and whether rolling-sum
 * rounding leaves SMA5 a few ulps above or below SMA10 is noise: without the tolerance 174 of the
 * CSI 300 stocks show spurious "crosses" out of flat runs. Real differences of averages of 4-decimal
 * prices are at least 1e-5 / period, far above 1e-10 of any price.
 */
export function above(fast: number, slow: number): boolean {
  return fast - slow > 1e-10 * Math.abs(slow);
}

export function maCross(close: ArrayLike<number>, fast = 5, slow = 10, offset = 0): Uint8Array {
  const n = close.length;
  const f = sma(close, fast, offset);
  const s = sma(close, slow, offset);
  const buy = new Uint8Array(n);
  for (let t = 1; t < n; t++) {
    if (above(f[t]!, s[t]!) && !above(f[t - 1]!, s[t - 1]!) && f[t - 1] === f[t - 1] && s[t - 1] === s[t - 1]) buy[t] = 1;
  }
  return buy;
}

export function maCrossSignal(fast = 5, slow = 10): SignalDef {
  return {
    name: 'ma_cross',
    spec: `ma_cross:${fast},${slow}`,
    lookback: Math.max(fast, slow),
    compute: (bars: Bars, offset: number) => maCross(bars.close, fast, slow, offset),
  };
}
