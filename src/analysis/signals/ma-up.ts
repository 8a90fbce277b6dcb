/**
 * `ma_up` (ml.md §1): buy = 1 when SMA_fast > SMA_slow and the day's change
 * (close[t] - close[t-1]) / close[t-1] is below `maxChange` (9%: a stock at its +10% limit cannot be
 * bought at the close). The first bar has no change and is 0.
 */
import type { Bars } from '../../market/bars.js';
import { sma } from '../indicators/rolling.js';
import { above } from './ma-cross.js';
import type { SignalDef } from './types.js';

export function maUp(close: ArrayLike<number>, fast = 5, slow = 10, maxChange = 0.09, offset = 0): Uint8Array {
  const n = close.length;
  const f = sma(close, fast, offset);
  const s = sma(close, slow, offset);
  const buy = new Uint8Array(n);
  for (let t = 1; t < n; t++) {
    const change = (close[t]! - close[t - 1]!) / close[t - 1]!;
    if (above(f[t]!, s[t]!) && change < maxChange) buy[t] = 1;
  }
  return buy;
}

export function maUpSignal(fast = 5, slow = 10, maxChange = 0.09): SignalDef {
  return {
    name: 'ma_up',
    spec: `ma_up:${fast},${slow},${maxChange}`,
    lookback: Math.max(fast, slow),
    compute: (bars: Bars, offset: number) => maUp(bars.close, fast, slow, maxChange, offset),
  };
}
