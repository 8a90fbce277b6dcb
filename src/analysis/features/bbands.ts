/**
 * The `bbands` feature set (ml.md §1): Bollinger(20, 2, 2, SMA) as TA-Lib's BBANDS, then
 *   upperband_distance = (close - upper) / upper, middleband_distance and lowerband_distance likewise.
 */
import type { Bars } from '../../market/bars.js';
import { bbands } from '../indicators/rolling.js';
import type { FeatureSet } from './types.js';

export const BBANDS_COLUMNS = ['upperband_distance', 'middleband_distance', 'lowerband_distance'] as const;

export function computeBbandsFeatures(bars: Bars, offset = 0, period = 20, devUp = 2, devDn = 2): Record<string, Float64Array> {
  const close = bars.close;
  const n = close.length;
  const { upper, middle, lower } = bbands(close, period, devUp, devDn, offset);
  const up = new Float64Array(n);
  const mid = new Float64Array(n);
  const lo = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const c = close[i]!;
    up[i] = (c - upper[i]!) / upper[i]!;
    mid[i] = (c - middle[i]!) / middle[i]!;
    lo[i] = (c - lower[i]!) / lower[i]!;
  }
  return { upperband_distance: up, middleband_distance: mid, lowerband_distance: lo };
}

export function bbandsFeatureSet(): FeatureSet {
  return {
    name: 'bbands',
    spec: 'bbands:20,2,2,sma',
    columns: BBANDS_COLUMNS,
    kind: 'float',
    lookback: 19,
    incremental: true,
    compute: (bars, offset) => computeBbandsFeatures(bars, offset),
  };
}
