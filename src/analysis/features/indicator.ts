/**
 * The generic `indicator` feature set: any tulind indicator with its options, as named columns
 * from the configuration (`feature: indicator rsi 14` -> column rsi_14; macd 12 26 9 -> macd_12_26_9_macd,
 * macd_12_26_9_signal, macd_12_26_9_histogram), so a quant adds a feature without code.
 * Values are the raw indicator values. Recomputed in full each time (EMA-seeded indicators depend on
 * the whole history, so an incremental tail would not equal a full pass).
 * How tulind differs from TA-Lib for the same indicator is measured in test/analysis/features/indicator.test.ts
 * and summarised in ../indicators/tulind.ts.
 */
import { indicatorColumns, indicatorInfo, runIndicator } from '../indicators/tulind.js';
import type { FeatureSet } from './types.js';

export interface IndicatorEntry {
  indicator: string;
  options: number[];
}

export function indicatorFeatureSet(entries: IndicatorEntry[]): FeatureSet {
  const columns: string[] = [];
  let lookback = 0;
  for (const e of entries) {
    for (const c of indicatorColumns(e.indicator, e.options)) {
      if (!columns.includes(c)) columns.push(c);
    }
    lookback = Math.max(lookback, indicatorInfo(e.indicator).start(e.options));
  }
  return {
    name: 'indicator',
    spec: 'indicator:' + entries.map((e) => `${e.indicator.toLowerCase()}(${e.options.join(',')})`).join(';'),
    columns,
    kind: 'float',
    lookback,
    incremental: false,
    compute: (bars) => {
      const out: Record<string, Float64Array> = {};
      for (const e of entries) Object.assign(out, runIndicator(bars, e.indicator, e.options));
      return out;
    },
  };
}
