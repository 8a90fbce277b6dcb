/** The ma, bbands and kbar feature values equal ml.md's formulas on a hand-checked example. */
import { describe, expect, it } from 'vitest';
import { computeBbandsFeatures } from '../../../src/analysis/features/bbands.js';
import { computeKbar } from '../../../src/analysis/features/kbar.js';
import { computeMa, deltaSteps, maColumns } from '../../../src/analysis/features/ma.js';
import { emptyBars, type Bars } from '../../../src/market/bars.js';

function barsOf(close: number[], ohl?: { open: number[]; high: number[]; low: number[] }): Bars {
  const b = emptyBars('sh.600000', close.length);
  close.forEach((c, i) => {
    b.dates[i] = 20210101 + i;
    b.close[i] = c;
    b.open[i] = ohl?.open[i] ?? c;
    b.high[i] = ohl?.high[i] ?? c;
    b.low[i] = ohl?.low[i] ?? c;
    b.volume[i] = 100;
  });
  return b;
}

describe('ma feature set', () => {
  it('has exactly the distinct (n, p) columns of ml.md', () => {
    // p=2: r*p = .2,.6,.8,1 -> n=1; p=3: .3,.9,1.2,1.5 -> 1,2; p=5: .5,1.5,2,2.5 -> 1,2,3; p=8: .8,2.4,3.2,4 -> 1,3,4;
    // p=13: 1.3,3.9,5.2,6.5 -> 2,4,6,7; p=233: 23.3,69.9,93.2,116.5 -> 24,70,94,117.
    expect(deltaSteps(2)).toEqual([1]);
    expect(deltaSteps(3)).toEqual([1, 2]);
    expect(deltaSteps(5)).toEqual([1, 2, 3]);
    expect(deltaSteps(8)).toEqual([1, 3, 4]);
    expect(deltaSteps(13)).toEqual([2, 4, 6, 7]);
    expect(deltaSteps(144)).toEqual([15, 44, 58, 72]);
    expect(deltaSteps(233)).toEqual([24, 70, 94, 117]);
    const cols = maColumns();
    expect(cols.slice(0, 8)).toEqual(['ma_2', 'delta_1_ma_2', 'ma_3', 'delta_1_ma_3', 'delta_2_ma_3', 'ma_5', 'delta_1_ma_5', 'delta_2_ma_5']);
    expect(cols.filter((c) => c.startsWith('ma_'))).toEqual(['ma_2', 'ma_3', 'ma_5', 'ma_8', 'ma_13', 'ma_21', 'ma_34', 'ma_55', 'ma_89', 'ma_144', 'ma_233']);
    expect(cols.length).toBe(11 + 1 + 2 + 3 + 3 + 4 * 7);
    expect(new Set(cols).size).toBe(cols.length);
  });

  it('ma_<p> = (SMA_p - close)/close and delta_<n>_ma_<p> = (SMA_p[t] - SMA_p[t-n])/SMA_p[t-n]', () => {
    const b = barsOf([10, 11, 12, 13, 15, 14]);
    const f = computeMa(b);
    // SMA2: -, 10.5, 11.5, 12.5, 14, 14.5
    expect(Number.isNaN(f.ma_2![0]!)).toBe(true);
    expect(f.ma_2![1]).toBeCloseTo((10.5 - 11) / 11, 15);
    expect(f.ma_2![5]).toBeCloseTo((14.5 - 14) / 14, 15);
    expect(Number.isNaN(f.delta_1_ma_2![1]!)).toBe(true); // SMA2[0] does not exist
    expect(f.delta_1_ma_2![2]).toBeCloseTo((11.5 - 10.5) / 10.5, 15);
    expect(f.delta_1_ma_2![5]).toBeCloseTo((14.5 - 14) / 14, 15);
    // SMA3: -, -, 11, 12, 13.333.., 14; delta_2_ma_3[4] = (13.333 - 11)/11
    expect(f.ma_3![3]).toBeCloseTo((12 - 13) / 13, 15);
    expect(f.delta_2_ma_3![4]).toBeCloseTo((40 / 3 - 11) / 11, 14);
    expect(f.delta_1_ma_3![5]).toBeCloseTo((14 - 40 / 3) / (40 / 3), 14);
    // SMA5[4] = 12.2, SMA5[5] = 13; delta_1_ma_5[5] = (13 - 12.2)/12.2; delta_3_ma_5 needs t-3 >= 4
    expect(f.ma_5![4]).toBeCloseTo((12.2 - 15) / 15, 15);
    expect(f.delta_1_ma_5![5]).toBeCloseTo((13 - 12.2) / 12.2, 14);
    expect(Number.isNaN(f.delta_3_ma_5![5]!)).toBe(true);
    expect(f.ma_233!.every((v) => Number.isNaN(v))).toBe(true);
  });
});

describe('bbands feature set', () => {
  it('distances to Bollinger(20, 2, 2, SMA) bands with the population standard deviation', () => {
    const close = Array.from({ length: 21 }, (_, i) => i + 1); // 1..21
    const f = computeBbandsFeatures(barsOf(close));
    expect(Number.isNaN(f.upperband_distance![18]!)).toBe(true);
    // window 1..20: mean 10.5, population variance (20^2 - 1)/12 = 33.25
    const sd = Math.sqrt(33.25);
    const up = 10.5 + 2 * sd;
    const lo = 10.5 - 2 * sd;
    expect(f.upperband_distance![19]).toBeCloseTo((20 - up) / up, 12);
    expect(f.middleband_distance![19]).toBeCloseTo((20 - 10.5) / 10.5, 12);
    expect(f.lowerband_distance![19]).toBeCloseTo((20 - lo) / lo, 12);
    // window 2..21: mean 11.5, same variance
    expect(f.middleband_distance![20]).toBeCloseTo((21 - 11.5) / 11.5, 12);
    expect(f.upperband_distance![20]).toBeCloseTo((21 - (11.5 + 2 * sd)) / (11.5 + 2 * sd), 12);
  });
});

describe('kbar feature set', () => {
  it('Qlib KBAR values, finite on a one-price day', () => {
    const b = barsOf([10.5, 10], { open: [10, 10], high: [11, 10], low: [9.5, 10] });
    const k = computeKbar(b);
    // O=10 H=11 L=9.5 C=10.5
    expect(k.KMID![0]).toBeCloseTo(0.05, 15);
    expect(k.KLEN![0]).toBeCloseTo(0.15, 15);
    expect(k.KMID2![0]).toBeCloseTo(0.5 / 1.5, 11);
    expect(k.KUP![0]).toBeCloseTo(0.05, 15);
    expect(k.KUP2![0]).toBeCloseTo(0.5 / 1.5, 11);
    expect(k.KLOW![0]).toBeCloseTo(0.05, 15);
    expect(k.KLOW2![0]).toBeCloseTo(0.5 / 1.5, 11);
    expect(k.KSFT![0]).toBeCloseTo((21 - 11 - 9.5) / 10, 15);
    expect(k.KSFT2![0]).toBeCloseTo(0.5 / 1.5, 11);
    for (const name of Object.keys(k)) expect(k[name]![1], name).toBe(0); // O = H = L = C: 0/(0+1e-12) = 0
  });
});
