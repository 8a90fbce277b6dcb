/**
 * The candlestick patterns that fired for one stock, newest first: from the stored `talib_pattern`
 * set when it is there, else computed from the stock's bars on the fly.
 */
import type { Db } from '../../core/db.js';
import { badInput } from '../../core/errors.js';
import { yyyymmddToIso } from '../../core/time.js';
import { MarketStore } from '../../market/store.js';
import { computeAllPatterns, PATTERN_NAMES } from '../candles/index.js';
import { PATTERN_CATALOG, signalDirection } from '../candles/catalog.js';
import { readFeatures, readSetHeads } from '../store.js';

export interface FiredPattern {
  date: string;
  pattern: string;
  value: number;
  name: string;
  direction: 'bullish' | 'bearish' | 'neutral';
}

export function firedPatterns(db: Db, code: string, last = 20): { code: string; source: 'store' | 'computed'; patterns: FiredPattern[] } {
  let dates: Int32Array;
  let cols: Record<string, ArrayLike<number>>;
  let source: 'store' | 'computed';
  if (readSetHeads(db, code).some((h) => h.setName === 'talib_pattern')) {
    const f = readFeatures(db, code, PATTERN_NAMES);
    dates = f.dates;
    cols = f.columns;
    source = 'store';
  } else {
    const market = new MarketStore(db);
    if (!market.getSymbol(code)) throw badInput(`unknown symbol ${code} (see quantflow data list)`);
    const bars = market.readBars(code);
    dates = bars.dates;
    cols = computeAllPatterns(bars);
    source = 'computed';
  }
  const out: FiredPattern[] = [];
  for (let i = dates.length - 1; i >= 0 && out.length < last; i--) {
    for (const p of PATTERN_NAMES) {
      const v = cols[p]![i]!;
      if (v !== 0 && v === v) out.push({ date: yyyymmddToIso(dates[i]!), pattern: p, value: v, name: PATTERN_CATALOG[p]?.english ?? p, direction: signalDirection(p, v) });
    }
  }
  return { code, source, patterns: out.slice(0, last) };
}
