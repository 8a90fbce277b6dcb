import type { Bars } from '../../market/bars.js';

/** A buy/no-buy signal per stock and day (the original's `signal_<name>(code, date, buy)`). */
export interface SignalDef {
  name: string;
  /** Canonical options; a change recomputes the stored rows in full. */
  spec: string;
  lookback: number;
  /** buy[i] in {0, 1} for each bar; `offset` = absolute index of bars[0] (rolling-sum anchor grid). */
  compute(bars: Bars, offset: number): Uint8Array;
}
