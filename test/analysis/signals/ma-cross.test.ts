/**
 * ma_cross (and ma_up) over the whole CSI 300 data set, checked against a straightforward
 * re-implementation in this test (window sums recomputed for every day, no running totals), both
 * for the pure function and for what `computeMarket` stores and `readSignals` returns.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { parseConfigText } from '../../../src/analysis/config.js';
import { computeMarket } from '../../../src/analysis/features/market.js';
import { maCross } from '../../../src/analysis/signals/ma-cross.js';
import { maUp } from '../../../src/analysis/signals/ma-up.js';
import { readSignals, signalSummary } from '../../../src/analysis/store.js';
import { tempDir } from '../../support/fs.js';
import { CSI300_INDICES, allCsiBars, csi300Codes } from '../features/csi300.js';
import { csiDb } from '../features/market-db.js';

/**
 * Exact arithmetic: prices have 4 decimals, so in units of 0.0001 they are integers, and
 * SMA5 > SMA10  <=>  2 * sum5 > sum10 (10 * SMA5 vs 10 * SMA10) compares integers without rounding.
 */
function windowSum(c: Float64Array, t: number, p: number): number {
  let s = 0;
  for (let j = t - p + 1; j <= t; j++) s += Math.round(c[j]! * 10000);
  return s;
}
function fastAbove(c: Float64Array, t: number): boolean {
  return t >= 9 && 2 * windowSum(c, t, 5) > windowSum(c, t, 10);
}

function naiveCrosses(c: Float64Array): number[] {
  const out: number[] = [];
  for (let t = 10; t < c.length; t++) if (fastAbove(c, t) && !fastAbove(c, t - 1)) out.push(t);
  return out;
}

describe('ma_cross over the CSI 300 data', () => {
  const tmp = tempDir('qf-sig-');
  afterAll(() => tmp.cleanup());
  const stocks = allCsiBars().filter((b) => !CSI300_INDICES.includes(b.code));

  it('the pure function finds the same golden crosses as a naive re-implementation', () => {
    let total = 0;
    let mismatches = 0;
    for (const b of stocks) {
      const expected = naiveCrosses(b.close);
      const got = maCross(b.close, 5, 10);
      const days: number[] = [];
      got.forEach((v, i) => v === 1 && days.push(i));
      if (days.join() !== expected.join()) mismatches++;
      total += expected.length;
    }
    expect(stocks.length).toBe(300);
    expect(mismatches).toBe(0);
    // About one golden cross every ~19 trading days on this data.
    expect(total).toBeGreaterThan(30_000);
    expect(total).toBeLessThan(60_000);
  });

  it('computeMarket stores the buys per (code, date), indices excluded, and readSignals returns them', async () => {
    const db = csiDb(`${tmp.dir}/m.db`, csi300Codes());
    const cfg = parseConfigText('signal: ma_cross\nsignal: ma_up\n');
    const sum = await computeMarket(db, cfg, undefined, { features: false, workers: 0 });
    let expectedCross = 0;
    let expectedUp = 0;
    let bars = 0;
    for (const b of stocks) {
      expectedCross += naiveCrosses(b.close).length;
      const c = b.close;
      for (let t = 1; t < c.length; t++) if (fastAbove(c, t) && (c[t]! - c[t - 1]!) / c[t - 1]! < 0.09) expectedUp++;
      bars += b.close.length;
    }
    expect(sum.signals.ma_cross).toMatchObject({ full: 300, buys: expectedCross });
    const rows = readSignals(db, 'ma_cross');
    expect(rows.length).toBe(expectedCross);
    expect(rows.every((r) => r.buy === 1)).toBe(true);
    expect(new Set(rows.map((r) => r.code)).has('sh.000300')).toBe(false);
    // dates ascending, then codes
    for (let i = 1; i < rows.length; i++) expect(rows[i - 1]!.date <= rows[i]!.date).toBe(true);
    const summary = signalSummary(db);
    expect(summary.find((s) => s.name === 'ma_cross')).toMatchObject({ symbols: 300, days: bars, buys: expectedCross });
    expect(summary.find((s) => s.name === 'ma_up')!.buys).toBe(expectedUp);
    expect(readSignals(db, 'ma_up').length).toBe(expectedUp);
    // One stock, one date window, buy=0 rows too.
    const one = readSignals(db, 'ma_cross', { code: 'sh.600000', from: 20210101, to: 20210930, all: true });
    expect(one.length).toBeGreaterThan(150);
    expect(one.filter((r) => r.buy === 1).length).toBe(maCross(stocks.find((b) => b.code === 'sh.600000')!.close.subarray(0)).reduce((a, v, i) => a + (v && stocks.find((b) => b.code === 'sh.600000')!.dates[i]! >= 20210101 ? 1 : 0), 0));
    // A second pass finds nothing to do.
    const again = await computeMarket(db, cfg, undefined, { features: false, workers: 0 });
    expect(again.signals.ma_cross).toMatchObject({ skip: 300, full: 0, append: 0 });
    db.close();
  }, 240_000); // imports all 830k bars into SQLite first (~15 s alone on an idle 2-core box)

  it('windows are configurable', () => {
    const b = stocks[0]!;
    const fast = maCross(b.close, 3, 8);
    const std = maCross(b.close, 5, 10);
    expect(fast.reduce((a, v) => a + v, 0)).toBeGreaterThan(std.reduce((a, v) => a + v, 0));
    expect(maUp(b.close, 5, 10, 0.5).reduce((a, v) => a + v, 0)).toBeGreaterThanOrEqual(maUp(b.close).reduce((a, v) => a + v, 0));
  });
});
