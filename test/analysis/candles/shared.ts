/** Comparison helpers shared by the candlestick exactness suites. */
import { CandleContext, runPattern } from '../../../src/analysis/candles/index.js';
import type { OhlcSeries } from './bars-fixtures.js';
import { oracle, plain } from './oracle.js';

export interface Tally {
  mismatches: string[];
  count: number;
  fires: Map<string, number>;
  bars: number;
}

export function newTally(): Tally {
  return { mismatches: [], count: 0, fires: new Map(), bars: 0 };
}

/** Runs every pattern of `names` on `s` natively and through TA-Lib; records any difference. */
export function compareSeries(s: OhlcSeries, names: readonly string[], t: Tally): void {
  const p = plain(s);
  const ctx = new CandleContext(s.open, s.high, s.low, s.close);
  t.bars += s.open.length;
  for (const name of names) {
    const mine = runPattern(name, ctx);
    const { out: ref } = oracle(name, p);
    let fires = 0;
    for (let i = 0; i < ref.length; i++) {
      if (ref[i] !== 0) fires++;
      if (mine[i] !== ref[i]) {
        t.count++;
        if (t.mismatches.length < 25)
          t.mismatches.push(`${name} ${s.label} ${s.dates[i]} (index ${i}): quantflow ${mine[i]} talib ${ref[i]}`);
      }
    }
    t.fires.set(name, (t.fires.get(name) ?? 0) + fires);
  }
}

export function report(t: Tally): string {
  return `${t.count} mismatches over ${t.bars} bars; first ones:\n${t.mismatches.join('\n')}`;
}
