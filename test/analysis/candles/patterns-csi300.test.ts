/**
 * Exactness on real data: all 61 CDL* functions equal TA-Lib 0.6 (the `talib` binding) on every
 * bar of every CSI 300 symbol, suspended (volume-0) days dropped as the market store does.
 * The binding marshals every element through V8 (about 0.3 us per bar per call on an idle core),
 * so this suite takes ~15-20 s of CPU: 830k bars x 61 functions.
 */
import { describe, expect, it } from 'vitest';
import { PATTERN_NAMES } from '../../../src/analysis/candles/index.js';
import { csiFiles, readCsiCsv } from './bars-fixtures.js';
import { compareSeries, newTally, report } from './shared.js';

describe('TA-Lib candlestick patterns on CSI 300', () => {
  it('match TA-Lib on every bar of every symbol, for every function', () => {
    const t = newTally();
    const files = csiFiles();
    expect(files.length).toBe(303);
    for (const f of files) compareSeries(readCsiCsv(f, f.slice(f.lastIndexOf('/') + 1, -4)), PATTERN_NAMES, t);
    expect(t.bars).toBeGreaterThan(820_000);
    expect(t.count, report(t)).toBe(0);
    // real data exercises most patterns; the rare ones are covered by the synthetic suite
    const fired = PATTERN_NAMES.filter((n) => (t.fires.get(n) ?? 0) > 0);
    expect(fired.length).toBeGreaterThan(50);
  }, 900_000);
});
