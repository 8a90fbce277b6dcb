/**
 * Exactness on synthetic bars: every CDL* function equals TA-Lib 0.6 (the `talib` binding) on
 * adversarial bars and on hand-built instances of the rarest patterns (the real-data half is
 * patterns-csi300.test.ts). Zero mismatches allowed; a failure names the
 * function, the series, the date/index and both values.
 */
import { describe, expect, it } from 'vitest';
import { PATTERN_NAMES, computeAllPatterns, computePattern, patternLookback } from '../../../src/analysis/candles/index.js';
import { adversarialBars, edgeCases, tickWalk, type OhlcSeries } from './bars-fixtures.js';
import { motifBars } from './motifs.js';
import { oracle, oraclePatternNames, plain } from './oracle.js';
import { compareSeries, newTally, report } from './shared.js';

describe('TA-Lib candlestick patterns', () => {
  it('implements exactly the names of TA-Lib pattern group, with its lookbacks', () => {
    expect(PATTERN_NAMES.length).toBe(61);
    expect([...PATTERN_NAMES]).toEqual(oraclePatternNames());
    const s = plain(tickWalk(1, 60));
    for (const name of PATTERN_NAMES) expect([name, patternLookback(name)]).toEqual([name, oracle(name, s).begIndex]);
  });

  it('matches TA-Lib on adversarial synthetic bars (flat bars, ties, gaps, doji runs, tiny ranges)', () => {
    const t = newTally();
    const all: OhlcSeries[] = [...edgeCases()];
    for (let seed = 1; seed <= 40; seed++) all.push(adversarialBars(seed, 2500));
    for (let seed = 1; seed <= 10; seed++) all.push(tickWalk(1000 + seed, 2000, 0.2 + seed));
    for (let seed = 1; seed <= 12; seed++) all.push(motifBars(seed, 250));
    for (const s of all) compareSeries(s, PATTERN_NAMES, t);
    expect(t.count, report(t)).toBe(0);
    // the synthetic bars must actually exercise the patterns (a comparison of zeros proves nothing)
    const silent = PATTERN_NAMES.filter((n) => (t.fires.get(n) ?? 0) === 0);
    expect(silent, `patterns that never fired on synthetic bars: ${silent.join(', ')}`).toEqual([]);
  }, 300_000);

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
