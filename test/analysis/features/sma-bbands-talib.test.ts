/** SMA (the 11 periods of the ma set) and BBANDS(20,2,2,SMA) against TA-Lib (`talib` 1.1.6) on every CSI 300 symbol. */
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { MA_PERIODS } from '../../../src/analysis/features/ma.js';
import { bbands, sma } from '../../../src/analysis/indicators/rolling.js';
import { allCsiBars } from './csi300.js';

const talib = createRequire(import.meta.url)('talib') as {
  execute(o: Record<string, unknown>): { begIndex: number; nbElement: number; result: Record<string, number[]> };
};

function worstRel(ours: Float64Array, theirs: number[], beg: number, state: { worst: number; checked: number; nanBefore: boolean }) {
  for (let i = 0; i < beg; i++) if (!Number.isNaN(ours[i]!)) state.nanBefore = false;
  for (let k = 0; k < theirs.length; k++) {
    const a = ours[k + beg]!;
    const b = theirs[k]!;
    const rel = a === b ? 0 : Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b));
    if (!(rel <= state.worst)) state.worst = Number.isNaN(rel) ? Infinity : rel;
    state.checked++;
  }
}

describe('SMA and BBANDS match TA-Lib to 1e-9 relative on the CSI 300 data', () => {
  const bars = allCsiBars();

  it('SMA at 2,3,5,8,13,21,34,55,89,144,233 (and 10)', () => {
    const st = { worst: 0, checked: 0, nanBefore: true };
    for (const b of bars) {
      const c = Array.from(b.close);
      for (const p of [...MA_PERIODS, 10]) {
        if (c.length < p) continue;
        const r = talib.execute({ name: 'SMA', startIdx: 0, endIdx: c.length - 1, inReal: c, optInTimePeriod: p });
        expect(r.begIndex).toBe(p - 1);
        worstRel(sma(b.close, p), r.result.outReal!, r.begIndex, st);
      }
    }
    expect(st.checked).toBeGreaterThan(8_000_000);
    expect(st.nanBefore).toBe(true);
    expect(st.worst).toBeLessThan(1e-9);
  });

  it('BBANDS(20, 2, 2, SMA): upper, middle and lower bands', () => {
    const st = { worst: 0, checked: 0, nanBefore: true };
    for (const b of bars) {
      const c = Array.from(b.close);
      const r = talib.execute({ name: 'BBANDS', startIdx: 0, endIdx: c.length - 1, inReal: c, optInTimePeriod: 20, optInNbDevUp: 2, optInNbDevDn: 2, optInMAType: 0 });
      const m = bbands(b.close, 20, 2, 2);
      worstRel(m.upper, r.result.outRealUpperBand!, r.begIndex, st);
      worstRel(m.middle, r.result.outRealMiddleBand!, r.begIndex, st);
      worstRel(m.lower, r.result.outRealLowerBand!, r.begIndex, st);
    }
    expect(st.checked).toBeGreaterThan(2_000_000);
    expect(st.nanBefore).toBe(true);
    expect(st.worst).toBeLessThan(1e-9);
  });

  it('flat and nearly flat prices (variance = rounding noise) give TA-Lib\'s bands: same summation order', () => {
    const x = new Float64Array(60).fill(7.13);
    x[39] = 7.1300001;
    const r = talib.execute({ name: 'BBANDS', startIdx: 0, endIdx: 39, inReal: Array.from(x), optInTimePeriod: 20, optInNbDevUp: 2, optInNbDevDn: 2, optInMAType: 0 });
    const m = bbands(x, 20, 2, 2);
    for (let k = 0; k < r.nbElement; k++) {
      expect(m.upper[k + 19]).toBeCloseTo(r.result.outRealUpperBand![k]!, 12);
      expect(m.lower[k + 19]).toBeCloseTo(r.result.outRealLowerBand![k]!, 12);
    }
  });
});
