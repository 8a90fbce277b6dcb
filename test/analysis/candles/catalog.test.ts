/** The pattern catalog describes every function, and its directions/values match what the functions output. */
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { PATTERN_CATALOG, signalDirection } from '../../../src/analysis/candles/catalog.js';
import { PATTERN_NAMES, computeAllPatterns, patternLookback } from '../../../src/analysis/candles/index.js';
import { adversarialBars } from './bars-fixtures.js';
import { motifBars } from './motifs.js';

const talib = createRequire(import.meta.url)('talib');

describe('pattern catalog', () => {
  it('has an entry for each of the 61 functions, with TA-Lib’s English name', () => {
    expect(Object.keys(PATTERN_CATALOG).sort()).toEqual([...PATTERN_NAMES]);
    for (const name of PATTERN_NAMES) {
      const e = PATTERN_CATALOG[name]!;
      expect(e.name).toBe(name);
      expect(e.english).toBe(String(talib.explain(name).hint).trim());
      expect(e.chinese).toMatch(/[\u4e00-\u9fff]/);
      expect(e.description.length).toBeGreaterThan(20);
      expect(e.bars).toBeGreaterThanOrEqual(1);
      expect(e.bars).toBeLessThanOrEqual(patternLookback(name) + 1);
    }
  });

  it('lists the values and direction each function actually outputs', () => {
    const seen = new Map<string, Set<number>>();
    const series = [...Array.from({ length: 6 }, (_, k) => adversarialBars(100 + k, 3000)), ...Array.from({ length: 6 }, (_, k) => motifBars(200 + k, 300))];
    for (const s of series) {
      const all = computeAllPatterns(s);
      for (const name of PATTERN_NAMES) {
        const set = seen.get(name) ?? new Set<number>();
        for (const v of all[name]!) if (v !== 0) set.add(v);
        seen.set(name, set);
      }
    }
    for (const name of PATTERN_NAMES) {
      const e = PATTERN_CATALOG[name]!;
      const vals = [...seen.get(name)!].sort((a, b) => a - b);
      for (const v of vals) expect(e.values, `${name} output ${v}`).toContain(v);
      if (e.direction === 'bullish' || e.direction === 'neutral') expect(vals.every((v) => v > 0), name).toBe(true);
      if (e.direction === 'bearish') expect(vals.every((v) => v < 0), name).toBe(true);
    }
    expect(signalDirection('CDLENGULFING', -80)).toBe('bearish');
    expect(signalDirection('CDLDOJI', 100)).toBe('neutral');
  });
});
