/**
 * Exactness: every CDL* function equals TA-Lib 0.6 (the `talib` binding) on every bar of every
 * CSI 300 symbol and on adversarial synthetic bars. Zero mismatches allowed; a failure names the
 * function, the series, the date/index and both values.
 */
import { describe, expect, it } from 'vitest';
import { CandleContext, PATTERN_NAMES, computeAllPatterns, computePattern, patternLookback, runPattern } from '../../../src/analysis/candles/index.js';
import { adversarialBars, csiFiles, edgeCases, readCsiCsv, tickWalk, type OhlcSeries } from './bars-fixtures.js';
import { oracle, oraclePatternNames, plain } from './oracle.js';

interface Tally {
  mismatches: string[];
  count: number;
  fires: Map<string, number>;
  bars: number;
}

function newTally(): Tally {
  return { mismatches: [], count: 0, fires: new Map(), bars: 0 };
}

function compareSeries(s: OhlcSeries, names: readonly string[], t: Tally): void {
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

function report(t: Tally): string {
  return `${t.count} mismatches; first ones:\n${t.mismatches.join('\n')}`;
}

describe('TA-Lib candlestick patterns', () => {
  it('implements exactly the names of TA-Lib pattern group, with its lookbacks', () => {
    expect([...PATTERN_NAMES]).toEqual(oraclePatternNames().filter((n) => PATTERN_NAMES.includes(n)));
    const s = plain(tickWalk(1, 60));
    for (const name of PATTERN_NAMES) expect([name, patternLookback(name)]).toEqual([name, oracle(name, s).begIndex]);
  });

  it('matches TA-Lib on every CSI 300 symbol (volume-0 days dropped)', () => {
    const t = newTally();
    for (const f of csiFiles()) {
      const label = f.slice(f.lastIndexOf('/') + 1, -4);
      compareSeries(readCsiCsv(f, label), PATTERN_NAMES, t);
    }
    expect(t.bars).toBeGreaterThan(800_000);
    expect(t.count, report(t)).toBe(0);
  }, 120_000);

  it('matches TA-Lib on adversarial synthetic bars (flat bars, ties, gaps, doji runs, tiny ranges)', () => {
    const t = newTally();
    const all: OhlcSeries[] = [...edgeCases()];
    for (let seed = 1; seed <= 40; seed++) all.push(adversarialBars(seed, 2500));
    for (let seed = 1; seed <= 10; seed++) all.push(tickWalk(1000 + seed, 2000, 0.2 + seed));
    for (const s of all) compareSeries(s, PATTERN_NAMES, t);
    expect(t.count, report(t)).toBe(0);
    // the synthetic bars must actually exercise the patterns (a comparison of zeros proves nothing)
    const silent = PATTERN_NAMES.filter((n) => (t.fires.get(n) ?? 0) === 0);
    expect(silent, `patterns that never fired on synthetic bars: ${silent.join(', ')}`).toEqual([]);
  }, 120_000);

  it('computeAllPatterns and computePattern agree and pad the lookback with zeros', () => {
    const s = adversarialBars(7, 300);
    const all = computeAllPatterns(s);
    expect(Object.keys(all).sort()).toEqual([...PATTERN_NAMES]);
    for (const name of PATTERN_NAMES) {
      const one = computePattern(name, s.open, s.high, s.low, s.close);
      expect(Array.from(all[name]!)).toEqual(Array.from(one));
      expect(Array.from(one.subarray(0, patternLookback(name))).every((v) => v === 0)).toBe(true);
    }
  });
});
