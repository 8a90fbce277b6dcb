/**
 * The `talib_pattern` feature set: the 61 TA-Lib CDL* functions (src/analysis/candles), one Int32
 * column per function named as the TA-Lib function, values 0/±80/±100/±200.
 */
import * as candles from '../candles/index.js';
import type { FeatureSet } from './types.js';

export async function loadCandles() {
  return candles;
}

/**
 * TA-Lib's CDL lookbacks are at most about 15 bars (5-bar patterns plus 10-bar candle averages);
 * an incremental pass re-reads at least 64 (or twice the longest lookback), and starts on the
 * rolling-sum anchor grid, so the candle averages have long settled.
 */
export const PATTERN_LOOKBACK = 64;

export async function talibPatternFeatureSet(): Promise<FeatureSet> {
  const c = await loadCandles();
  let buf = new Int32Array(0);
  return {
    name: 'talib_pattern',
    spec: 'talib_pattern:ta-lib-0.6',
    columns: [...c.PATTERN_NAMES],
    kind: 'int',
    lookback: Math.max(PATTERN_LOOKBACK, ...c.PATTERN_NAMES.map((n) => 2 * c.patternLookback(n))),
    incremental: true,
    compute: (bars) => c.computeAllPatterns(bars),
    computeTransient: (bars) => {
      const need = bars.close.length * c.PATTERN_NAMES.length;
      if (buf.length < need) buf = new Int32Array(need);
      return c.computeAllPatterns(bars, buf);
    },
  };
}
