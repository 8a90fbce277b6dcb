/**
 * `ma_cross` (ml.md §1): buy = 1 on day t when SMA_fast[t] > SMA_slow[t] and
 * SMA_fast[t-1] <= SMA_slow[t-1] (a golden cross), else 0. Days without both averages on t-1 are 0
 * (NaN comparisons are false, as in the original's pandas code). Defaults 5 and 10.
 */
import type { Bars } from '../../market/bars.js';
import { sma } from '../indicators/rolling.js';
import type { SignalDef } from './types.js';

export function maCross(close: ArrayLike<number>, fast = 5, slow = 10, offset = 0): Uint8Array {
  const n = close.length;
  const f = sma(close, fast, offset);
  const s = sma(close, slow, offset);
  const buy = new Uint8Array(n);
  for (let t = 1; t < n; t++) {
    if (f[t]! > s[t]! && f[t - 1]! <= s[t - 1]!) buy[t] = 1;
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
