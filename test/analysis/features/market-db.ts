/** Test helper: a market store filled with CSI 300 bars (optionally only up to a date). */
import { openDb, type Db } from '../../../src/core/db.js';
import { sliceBars } from '../../../src/market/bars.js';
import { MarketStore } from '../../../src/market/store.js';
import { readCsiBars } from './csi300.js';

export function importCsi(db: Db, codes: string[], opts: { to?: number; from?: number } = {}): void {
  const store = new MarketStore(db);
  const items = codes.map((code) => {
    const b = readCsiBars(code);
    let lo = 0;
    let hi = b.dates.length;
    if (opts.from !== undefined) while (lo < hi && b.dates[lo]! < opts.from) lo++;
    if (opts.to !== undefined) while (hi > lo && b.dates[hi - 1]! > opts.to) hi--;
    return { meta: { code }, bars: sliceBars(b, lo, hi), provider: 'csv' };
  });
  store.importBatch(items);
}

export function csiDb(path: string, codes: string[], opts: { to?: number; from?: number } = {}): Db {
  const db = openDb(path);
  importCsi(db, codes, opts);
  return db;
}
