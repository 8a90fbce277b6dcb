/**
 * A walk-forward backtest of the daily picks. Every `retrainEvery` signal dates the model is refit
 * on the trailing `window` signal dates before the current one (rows whose next close is already
 * known), then for each day until the next refit the top N signalled stocks are bought at the close
 * and sold at the next close, paying `buyCost` and `sellCost` (5 and 15 bp). The base line holds
 * every signalled stock of the day, equally weighted, at the same costs. Figures follow Qlib's
 * conventions: 238 trading days a year, arithmetic ("sum") accumulation.
 */
import { QuantflowError } from '../../core/errors.js';
import { yyyymmddToIso } from '../../core/time.js';
import { distinctDates, selectRows, type DatasetTable } from '../dataset/table.js';
import type { GbdtParams } from '../gbdt/params.js';
import { matrixOf } from '../scoring.js';
import { runRefits } from './pool.js';
import type { RefitJob } from './refit.js';

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
}

export interface BacktestDay {
  date: string;
  picks: number;
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
  const curve: BacktestDay[] = [];
  let eq = 0;
  let beq = 0;
  const rets: number[] = [];
  const excess: number[] = [];
  for (const d of testDates) {
    const rows = rowsOf.get(d)!;
    const ranked = [...rows].sort((a, b) => score[b]! - score[a]! || a - b).slice(0, top);
    const ret = ranked.reduce((s, i) => s + table.y![i]!, 0) / ranked.length - cost;
    const base = rows.reduce((s, i) => s + table.y![i]!, 0) / rows.length - cost;
    eq += ret;
    beq += base;
    rets.push(ret);
    excess.push(ret - base);
    curve.push({ date: yyyymmddToIso(d), picks: ranked.length, ret, base, equity: 1 + eq, baseEquity: 1 + beq });
  }
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
