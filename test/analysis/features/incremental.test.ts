/**
 * Incremental recomputation: computing, adding days, computing again gives exactly (bit for bit)
 * what a full computation over all days gives — for every feature set (ma, bbands, kbar, the 61
 * patterns, tulind indicators) and signal; a changed history is recomputed in full; the worker-thread
 * pass stores the same values as the single-threaded one.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { parseConfigText } from '../../../src/analysis/config.js';
import { computeMarket } from '../../../src/analysis/features/market.js';
import { readFeatures, readSignals } from '../../../src/analysis/store.js';
import type { Db } from '../../../src/core/db.js';
import { MarketStore } from '../../../src/market/store.js';
import { repoRoot, tempDir } from '../../support/fs.js';
import { readCsiBars } from './csi300.js';
import { csiDb, importCsi } from './market-db.js';

const CODES = ['sh.600000', 'sh.600519', 'sz.000001', 'sz.000002', 'sh.601318', 'sz.300059', 'sh.600340', 'sh.000300', 'sz.399106'];
const CONFIG = parseConfigText(`signal: ma_cross
signal: ma_up
feature: ma
feature: bbands
feature: talib_pattern
feature: kbar
feature: indicator rsi 14
feature: indicator macd 12 26 9
`);

function same(a: Float64Array, b: Float64Array): number {
  if (a.length !== b.length) return -2;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return i;
  return -1;
}

function expectSameStore(x: Db, y: Db, codes: string[]) {
  for (const code of codes) {
    const fx = readFeatures(x, code);
    const fy = readFeatures(y, code);
    expect(Array.from(fx.dates)).toEqual(Array.from(fy.dates));
    expect(Object.keys(fx.columns)).toEqual(Object.keys(fy.columns));
    for (const col of Object.keys(fy.columns)) expect(same(fx.columns[col]!, fy.columns[col]!), `${code} ${col}`).toBe(-1);
  }
  for (const sig of ['ma_cross', 'ma_up']) expect(readSignals(x, sig)).toEqual(readSignals(y, sig));
}

describe('incremental recomputation', () => {
  const tmp = tempDir('qf-inc-');
  afterAll(() => tmp.cleanup());
  const full = csiDb(join(tmp.dir, 'full.db'), CODES);

  it('after adding days equals a full recomputation, and only the new days are computed', async () => {
    const s0 = await computeMarket(full, CONFIG, undefined, { workers: 0 });
    expect(s0.features.ma).toMatchObject({ full: CODES.length, columns: 48 });
    expect(s0.features.talib_pattern!.columns).toBe(61);

    const inc = csiDb(join(tmp.dir, 'inc.db'), CODES, { to: 20190630 });
    const s1 = await computeMarket(inc, CONFIG, undefined, { workers: 0 });
    expect(s1.features.ma!.full).toBe(CODES.length);
    importCsi(inc, CODES, { from: 20190701, to: 20200331 });
    const s2 = await computeMarket(inc, CONFIG, undefined, { workers: 0 });
    expect(s2.features.ma).toMatchObject({ append: CODES.length, full: 0 });
    expect(s2.features.talib_pattern).toMatchObject({ append: CODES.length, full: 0 });
    expect(s2.features.indicator).toMatchObject({ full: CODES.length }); // EMA-seeded: always in full
    expect(s2.signals.ma_cross).toMatchObject({ append: CODES.length - 2, full: 0 }); // indices have no signals
    importCsi(inc, CODES, { from: 20200401 }); // a second step, up to 2021-09-30
    const s3 = await computeMarket(inc, CONFIG, undefined, { workers: 0 });
    expect(s3.features.bbands!.append).toBe(CODES.length);
    const s4 = await computeMarket(inc, CONFIG, undefined, { workers: 0 });
    expect(s4.features.ma!.skip).toBe(CODES.length);
    expect(s4.signals.ma_cross!.skip).toBe(CODES.length - 2);

    expectSameStore(inc, full, CODES);
    // The stored values are the features: spot-check one against the bars.
    const b = readCsiBars('sh.600000');
    const f = readFeatures(inc, 'sh.600000', ['ma_5', 'KMID']);
    const t = b.dates.length - 1;
    const sma5 = (b.close[t]! + b.close[t - 1]! + b.close[t - 2]! + b.close[t - 3]! + b.close[t - 4]!) / 5;
    expect(f.columns.ma_5![t]).toBeCloseTo((sma5 - b.close[t]!) / b.close[t]!, 6);
    expect(f.columns.KMID![t]).toBeCloseTo((b.close[t]! - b.open[t]!) / b.open[t]!, 6);
    expect(f.dates[t]).toBe(20210930);
    inc.close();
  }, 180_000);

  it('recomputes a stock in full when its stored history changed', async () => {
    const db = csiDb(join(tmp.dir, 'chg.db'), CODES.slice(0, 3));
    await computeMarket(db, CONFIG, undefined, { workers: 0 });
    const before = readFeatures(db, 'sh.600000', ['ma_233']).columns.ma_233!;
    const b = readCsiBars('sh.600000');
    b.close[100] = b.close[100]! * 1.5; // a re-adjusted price far back in history
    new MarketStore(db).importBatch([{ meta: { code: 'sh.600000' }, bars: b, provider: 'csv' }]);
    const s = await computeMarket(db, CONFIG, undefined, { workers: 0 });
    expect(s.features.ma).toMatchObject({ full: 1, skip: 2 });
    expect(s.signals.ma_cross).toMatchObject({ full: 1, skip: 2 });
    const after = readFeatures(db, 'sh.600000', ['ma_233']).columns.ma_233!;
    expect(after[300]).not.toBe(before[300]);
    expect(after[400]).toBe(before[400]);
    db.close();
  });

  const workerJs = join(repoRoot, 'dist', 'analysis', 'features', 'worker.js');
  it.runIf(existsSync(workerJs))('the two-worker pass stores the same values as one thread', async () => {
    const db = csiDb(join(tmp.dir, 'w.db'), CODES);
    const s = await computeMarket(db, CONFIG, undefined, { workers: 2, workerUrl: pathToFileURL(workerJs) });
    expect(s.workers).toBe(2);
    expect(s.features.ma!.full).toBe(CODES.length);
    expectSameStore(db, full, CODES);
    db.close();
  });
});
