/**
 * tulind (Tulip Indicators, the design card's choice for indicators) behind a small typed surface.
 * tulind's callback runs synchronously, so `runIndicator` is a plain function. Outputs are shorter
 * than the input by `start(options)` bars; they are returned padded with NaN to the input length.
 *
 * tulind vs TA-Lib for the same indicator (measured against the `talib` package on sh.600000's
 * 3,900 real bars in test/analysis/features/indicator.test.ts; "agree" = within 1e-9 of the mean value):
 * - SMA, RSI, WILLR, STOCH(5,3,3) slow %K: agree on every bar, same first bar (RSI 14: bar 14).
 * - CCI(14): agrees where both have values, but tulind's first value is at bar 26 (2*(p-1)), TA-Lib's at 13.
 * - EMA(p): tulind seeds with the first close and has a value from bar 0; TA-Lib seeds with the SMA of
 *   the first p closes (first value at p-1). Different early values (> 1e-4), converged after ~300 bars.
 * - ATR(14): tulind starts at bar 13, TA-Lib at 14, different seeds; converged after ~400 bars.
 * - DX(14) / ADX(14): tulind one bar earlier (13/26 vs 14/27) and smoothed from a different seed; the
 *   gap still reaches ~0.2 (DX) of the mean value after 400 bars — do not mix the two libraries' ADX.
 * - MACD: for exactly 12/26 tulind uses the smoothing constants 0.15 and 0.075 instead of 2/13 and 2/27
 *   (a deliberate tulind special case), both EMAs seeded at bar 0, first value at bar 25 (TA-Lib: 33):
 *   macd(12,26,9) never converges to TA-Lib's (differences ~1% of the price). Other periods (10/20)
 *   converge after the warm-up.
 */
import { createRequire } from 'node:module';
import type { Bars } from '../../market/bars.js';
import { badInput } from '../../core/errors.js';

interface TulindIndicator {
  name: string;
  full_name: string;
  type: string;
  inputs: number;
  options: number;
  outputs: number;
  input_names: string[];
  option_names: string[];
  output_names: string[];
  indicator(inputs: ArrayLike<number>[], options: number[], cb: (err: unknown, results: number[][]) => void): void;
  start(options: number[]): number;
}

let cache: Record<string, TulindIndicator> | undefined;

export function tulindIndicators(): Record<string, TulindIndicator> {
  if (!cache) {
    const require = createRequire(import.meta.url);
    cache = (require('tulind') as { indicators: Record<string, TulindIndicator> }).indicators;
  }
  return cache;
}

export function indicatorInfo(name: string): TulindIndicator {
  const info = tulindIndicators()[name.toLowerCase()];
  if (!info || info.type !== 'indicator' && info.type !== 'overlay' && info.type !== 'simple' && info.type !== 'math') {
    throw badInput(`unknown tulind indicator "${name}" (see https://tulipindicators.org/list)`);
  }
  return info;
}

/** Validates the option count, returns the column names of an indicator entry. */
export function indicatorColumns(name: string, options: number[]): string[] {
  const info = indicatorInfo(name);
  if (options.length !== info.options) {
    throw badInput(`indicator ${info.name} takes ${info.options} option(s) (${info.option_names.join(', ')}), got ${options.length}`);
  }
  const base = [info.name, ...options.map((o) => String(o).replace('.', 'p'))].join('_');
  if (info.outputs === 1) return [base];
  return info.output_names.map((o) => `${base}_${o.startsWith(info.name + '_') ? o.slice(info.name.length + 1) : o}`);
}

function inputOf(bars: Bars, input: string): Float64Array {
  switch (input) {
    case 'real':
    case 'close':
      return bars.close;
    case 'open':
      return bars.open;
    case 'high':
      return bars.high;
    case 'low':
      return bars.low;
    case 'volume':
      return bars.volume;
    default:
      throw badInput(`tulind input "${input}" is not a bar column`);
  }
}

/** Runs one tulind indicator over the bars; one Float64Array a column, NaN before its start. */
export function runIndicator(bars: Bars, name: string, options: number[]): Record<string, Float64Array> {
  const info = indicatorInfo(name);
  const cols = indicatorColumns(name, options);
  const n = bars.close.length;
  const out: Record<string, Float64Array> = {};
  const results: number[][] = [];
  const start = info.start(options);
  if (n > start) {
    let failure: unknown;
    info.indicator(info.input_names.map((i) => Array.from(inputOf(bars, i))), options, (err, res) => {
      if (err) failure = err;
      else results.push(...res);
    });
    if (failure) throw badInput(`indicator ${info.name}(${options.join(', ')}): ${String(failure)}`);
  }
  cols.forEach((col, k) => {
    const a = new Float64Array(n).fill(NaN);
    const r = results[k];
    if (r) a.set(r, n - r.length);
    out[col] = a;
  });
  return out;
}
