/**
 * The reusable-buffer entry point of the ma and talib_pattern sets (`computeTransient`, used by the
 * market pass) gives the same values as `compute`, and never changes what `compute` returned earlier.
 */
import { describe, expect, it } from 'vitest';
import { maFeatureSet } from '../../../src/analysis/features/ma.js';
import { talibPatternFeatureSet } from '../../../src/analysis/features/talib-pattern.js';
import type { FeatureColumn, FeatureSet } from '../../../src/analysis/features/types.js';
import { emptyBars, type Bars } from '../../../src/market/bars.js';
import { adversarialBars } from '../candles/bars-fixtures.js';

function bars(seed: number, n: number): Bars {
  const s = adversarialBars(seed, n);
  const b = emptyBars(`sz.${seed}`, n);
  b.open.set(s.open);
  b.high.set(s.high);
  b.low.set(s.low);
  b.close.set(s.close);
  for (let i = 0; i < n; i++) {
    b.dates[i] = 20200101 + i;
    b.volume[i] = 100;
  }
  return b;
}

const copy = (cols: Record<string, FeatureColumn>) => Object.fromEntries(Object.entries(cols).map(([k, v]) => [k, Array.from(v)]));

describe.each([
  ['ma', async () => maFeatureSet()],
  ['talib_pattern', () => talibPatternFeatureSet()],
] as const)('%s computeTransient', (_name, make) => {
  it('equals compute on stocks of different lengths, and leaves compute results alone', async () => {
    const set: FeatureSet = await make();
    const a = bars(1, 600);
    const b = bars(2, 300);
    const keptA = set.compute(a, 0);
    const snapA = copy(keptA);
    const tA = set.computeTransient!(a, 0);
    expect(copy(tA)).toEqual(snapA);
    const tB = set.computeTransient!(b, 0);
    expect(copy(tB)).toEqual(copy(set.compute(b, 0)));
    const tA2 = set.computeTransient!(a, 0);
    expect(copy(tA2)).toEqual(snapA);
    // the earlier compute() result is not a view of the reused buffer
    expect(copy(keptA)).toEqual(snapA);
    expect(Object.keys(tA).sort()).toEqual([...set.columns].sort());
  });
});
