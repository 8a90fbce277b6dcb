/**
 * A walk-forward backtest of the daily picks. Every `retrainEvery` signal dates the model is refit
 * on the trailing `window` signal dates before the current one (rows whose next close is already
 * known), then for each day until the next refit the top N signalled stocks are bought at the close
 * and sold at the next close, paying `buyCost` and `sellCost` (5 and 15 bp). The base line holds
 * every row of the day, equally weighted, at the same costs: the signalled stocks, or every stock
 * when the dataset was built with universe `all` (Qlib's way: train on and pick from the whole market). Figures follow Qlib's
 * conventions: 238 trading days a year, arithmetic ("sum") accumulation.
 *
 * With `nDrop`, Qlib's TopkDropout replaces the one-day hold (./topk-dropout.ts): at most `top` names
 * are held, at most `nDrop` of them are replaced a day, and costs are paid on what is traded (the
 * bought and sold fractions of an equally weighted book), so a name is kept across days. A held
 * name earns its close-to-close return from the market store's bars up to the next backtest day
 * (0 while it is suspended; the move is booked when it trades again), not the signal row's label,
 * since it is usually not signalled on the days it is held.
 */
import { QuantflowError } from '../../core/errors.js';
import { yyyymmddToIso } from '../../core/time.js';
import { distinctDates, selectRows, type DatasetTable } from '../dataset/table.js';
import type { GbdtParams } from '../gbdt/params.js';
import { matrixOf } from '../scoring.js';
import { runRefits } from './pool.js';
import type { RefitJob } from './refit.js';
import { topkDropoutStep } from './topk-dropout.js';

/** A stock's daily closes, oldest first (the market store's bars). */
export type PriceSeries = { dates: Int32Array; close: Float64Array };

export interface BacktestOptions {
  from: number;
  to: number;
  retrainEvery?: number;
  window?: number;
  top?: number;
  buyCost?: number;
  sellCost?: number;
  params?: Partial<GbdtParams>;
  threads?: number;
  /** Qlib's TopkDropout: hold `top` names, replace at most this many a day (needs `prices`). */
  nDrop?: number;
  /** The closes of a code, for names held on days they are not signalled (TopkDropout). */
  prices?: (code: string) => PriceSeries | undefined;
}

export interface BacktestDay {
  date: string;
  /** Names held over the day. */
  picks: number;
  /** TopkDropout: the names held over the day, and how many were bought and sold at its close. */
  names?: string[];
  bought?: number;
  sold?: number;
  ret: number;
  base: number;
  equity: number;
  baseEquity: number;
}

export interface BacktestReport {
  from: string;
  to: string;
  days: number;
  refits: number;
  threads: number;
  top: number;
  strategy: 'top-n' | 'topk-dropout';
  nDrop?: number;
  /** Mean fraction of the book traded a day (bought + sold) / 2; 1 for the daily top N. */
  turnover: number;
  costs: { buy: number; sell: number };
  annualReturn: number;
  baseAnnualReturn: number;
  excessAnnualReturn: number;
  informationRatio: number;
  maxDrawdown: number;
  baseMaxDrawdown: number;
  curve: BacktestDay[];
  seconds: number;
}

const YEAR = 238;

function maxDrawdown(curve: number[]): number {
  let peak = -Infinity;
  let mdd = 0;
  for (const v of curve) {
    peak = Math.max(peak, v);
    mdd = Math.min(mdd, v - peak);
  }
  return mdd;
}

export async function backtest(table: DatasetTable, o: BacktestOptions): Promise<BacktestReport> {
  const t0 = performance.now();
  if (!table.y || !table.label) throw new QuantflowError('BACKTEST_DATA', 'the backtest needs a labelled (training) dataset');
  const every = o.retrainEvery ?? 20;
  const window = o.window ?? 121;
  const top = o.top ?? 2;
  const buyCost = o.buyCost ?? 0.0005;
  const sellCost = o.sellCost ?? 0.0015;
  const dates = distinctDates(table.dates);
  const testDates = dates.filter((d) => d >= o.from && d <= o.to);
  if (testDates.length === 0) throw new QuantflowError('BACKTEST_RANGE', `no signal dates between ${yyyymmddToIso(o.from)} and ${yyyymmddToIso(o.to)}`);
  const rowsOf = new Map<number, number[]>();
  for (let i = 0; i < table.dates.length; i++) {
    const d = table.dates[i]!;
    let a = rowsOf.get(d);
    if (!a) rowsOf.set(d, (a = []));
    a.push(i);
  }

  // One job per refit: train on the window before its first day, score its days.
  const jobs: RefitJob[] = [];
  const blocks: number[][] = [];
  for (let k = 0; k < testDates.length; k += every) {
    const block = testDates.slice(k, k + every);
    const first = dates.indexOf(block[0]!);
    const trainDates = dates.slice(Math.max(0, first - window), first);
    if (trainDates.length < 10) throw new QuantflowError('BACKTEST_RANGE', `only ${trainDates.length} signal dates before ${yyyymmddToIso(block[0]!)} to train on; start the backtest later`);
    const trainRows = trainDates.flatMap((d) => rowsOf.get(d)!);
    const scoreRows = block.flatMap((d) => rowsOf.get(d)!);
    const tr = selectRows(table, trainRows);
    const sc = selectRows(table, scoreRows);
    jobs.push({ id: jobs.length, trainX: matrixOf(tr), trainY: Float32Array.from(tr.label!), scoreX: matrixOf(sc), params: o.params ?? {} });
    blocks.push(scoreRows);
  }
  const { results, threads } = await runRefits(jobs, o.threads);

  const score = new Float64Array(table.dates.length).fill(NaN);
  results.forEach((r, j) => blocks[j]!.forEach((row, i) => (score[row] = r.scores[i]!)));

  const cost = buyCost + sellCost;
  const nDrop = o.nDrop;
  if (nDrop !== undefined && (!Number.isInteger(nDrop) || nDrop < 1 || nDrop > top)) throw new QuantflowError('BACKTEST_OPTIONS', `n_drop must be a whole number from 1 to top (${top}), got ${nDrop}`);
  if (nDrop !== undefined && !o.prices) throw new QuantflowError('BACKTEST_OPTIONS', 'TopkDropout needs the market bars to value held names');
  const periodReturn = nDrop === undefined ? undefined : periodReturns(o.prices!);
  const curve: BacktestDay[] = [];
  let eq = 0;
  let beq = 0;
  const rets: number[] = [];
  const excess: number[] = [];
  const turns: number[] = [];
  let held: string[] = [];
  testDates.forEach((d, k) => {
    const rows = rowsOf.get(d)!;
    let ret: number;
    let day: Pick<BacktestDay, 'picks' | 'names' | 'bought' | 'sold'>;
    if (periodReturn) {
      const scores = new Map(rows.map((i) => [table.codes[i]!, score[i]!]));
      const dec = topkDropoutStep(held, scores, top, nDrop!);
      const r = dec.hold.map((c) => periodReturn(c, d, testDates[k + 1]));
      const bought = dec.hold.length ? dec.buy.length / dec.hold.length : 0;
      const sold = held.length ? dec.sell.length / held.length : 0;
      ret = (r.length ? r.reduce((a, x) => a + x, 0) / r.length : 0) - buyCost * bought - sellCost * sold;
      turns.push((bought + sold) / 2);
      day = { picks: dec.hold.length, names: dec.hold, bought: dec.buy.length, sold: dec.sell.length };
      held = dec.hold;
    } else {
      const ranked = [...rows].sort((a, b) => score[b]! - score[a]! || a - b).slice(0, top);
      ret = ranked.reduce((s, i) => s + table.y![i]!, 0) / ranked.length - cost;
      turns.push(1);
      day = { picks: ranked.length };
    }
    const base = rows.reduce((s, i) => s + table.y![i]!, 0) / rows.length - cost;
    eq += ret;
    beq += base;
    rets.push(ret);
    excess.push(ret - base);
    curve.push({ date: yyyymmddToIso(d), ...day, ret, base, equity: 1 + eq, baseEquity: 1 + beq });
  });
  const mean = (x: number[]) => x.reduce((a, b) => a + b, 0) / x.length;
  const std = (x: number[]) => {
    const m = mean(x);
    return Math.sqrt(x.reduce((a, b) => a + (b - m) * (b - m), 0) / Math.max(1, x.length - 1));
  };
  const exStd = std(excess);
  return {
    from: yyyymmddToIso(testDates[0]!),
    to: yyyymmddToIso(testDates[testDates.length - 1]!),
    days: testDates.length,
    refits: jobs.length,
    threads,
    top,
    strategy: nDrop === undefined ? 'top-n' : 'topk-dropout',
    ...(nDrop === undefined ? {} : { nDrop }),
    turnover: mean(turns),
    costs: { buy: buyCost, sell: sellCost },
    annualReturn: mean(rets) * YEAR,
    baseAnnualReturn: mean(curve.map((c) => c.base)) * YEAR,
    excessAnnualReturn: mean(excess) * YEAR,
    informationRatio: exStd > 0 ? (mean(excess) / exStd) * Math.sqrt(YEAR) : NaN,
    maxDrawdown: maxDrawdown(curve.map((c) => c.equity)),
    baseMaxDrawdown: maxDrawdown(curve.map((c) => c.baseEquity)),
    curve,
    seconds: (performance.now() - t0) / 1000,
  };
}

/** The index of the last date <= d, or -1. */
function lastAtOrBefore(dates: Int32Array, d: number): number {
  let lo = 0;
  let hi = dates.length - 1;
  let at = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (dates[mid]! <= d) {
      at = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return at;
}

/**
 * A held name's return from the close of day `d` to the close of `next` (the next backtest day), or
 * to its next bar after the last day: the last close at or before each date, so a suspended name
 * earns 0 and its move is booked on the day it trades again. 0 when the name has no price yet.
 */
function periodReturns(prices: (code: string) => PriceSeries | undefined): (code: string, d: number, next: number | undefined) => number {
  const cache = new Map<string, PriceSeries | undefined>();
  return (code, d, next) => {
    if (!cache.has(code)) cache.set(code, prices(code));
    const p = cache.get(code);
    if (!p) return 0;
    const i = lastAtOrBefore(p.dates, d);
    if (i < 0) return 0;
    const j = next === undefined ? Math.min(i + 1, p.dates.length - 1) : lastAtOrBefore(p.dates, next);
    return p.close[j]! / p.close[i]! - 1;
  };
}
