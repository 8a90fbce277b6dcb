/**
 * Builds the training or inference rows from the store, as the original system did
 * (ml.md §1 prepare_training_data / prepare_inference_data):
 * - training: the signal's buy = 1 rows, left-joined with every configured feature on (code, date),
 *   labelled from the next closes; rows without the closes the label needs are dropped; only the
 *   last `windowDates` distinct signal dates are kept;
 * - inference: the signal rows of the latest date that has any, without a label.
 * `universe: 'all'` takes every stock on every date instead of the signal rows (Qlib's way of
 * scoring, for IC figures comparable with Qlib's); `buy` then holds the signal's value.
 * Indices are never rows: only stocks are.
 */
import type { Db } from '../../core/db.js';
import { QuantflowError } from '../../core/errors.js';
import type { AnalysisConfig } from '../../analysis/config.js';
import { buildFeatureSets } from '../../analysis/features/registry.js';
import { readFeatures, readSignals, storedFeatureColumns } from '../../analysis/store.js';
import { MarketStore } from '../../market/store.js';
import type { LabelKind, Universe } from '../registry.js';
import type { DatasetTable } from './table.js';

export interface BuildOptions {
  kind: 'train' | 'inference';
  config: AnalysisConfig;
  /** Default: the first signal of the configuration. */
  signal?: string;
  labelKind?: LabelKind;
  /** Distinct signal dates kept for training (the original: 121). */
  windowDates?: number;
  universe?: Universe;
}

/** The feature columns a configuration produces, in configuration order. */
export async function configuredColumns(cfg: AnalysisConfig): Promise<string[]> {
  const sets = await buildFeatureSets(cfg);
  return sets.flatMap((s) => [...s.columns]);
}

/** The return the label is made from, for a row at bar index i; NaN when the closes are not there yet. */
export function labelReturn(close: Float64Array, i: number, kind: LabelKind): number {
  if (kind === 'qlib') {
    if (i + 2 >= close.length) return NaN;
    return close[i + 2]! / close[i + 1]! - 1;
  }
  if (i + 1 >= close.length) return NaN;
  return (close[i + 1]! - close[i]!) / close[i]!;
}

export async function buildDataset(db: Db, opts: BuildOptions): Promise<DatasetTable> {
  const cfg = opts.config;
  const signal = opts.signal ?? cfg.signals[0]?.name;
  if (!signal) throw new QuantflowError('NO_SIGNAL', 'the configuration names no signal (add a line "signal: ma_cross")');
  const labelKind = opts.labelKind ?? 'next_close';
  const universe = opts.universe ?? 'signal';
  const windowDates = opts.windowDates ?? 121;
  const featureNames = await configuredColumns(cfg);

  const stored = new Set(Object.values(storedFeatureColumns(db)).flat());
  const missing = featureNames.filter((c) => !stored.has(c));
  if (missing.length > 0) {
    throw new QuantflowError('NO_FEATURES', `features not computed yet: ${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ', ...' : ''} (run: quantflow features)`);
  }

  const market = new MarketStore(db);
  const stocks = new Set(market.listSymbols().filter((s) => s.kind === 'stock').map((s) => s.code));
  const allSignals = readSignals(db, signal, { all: universe === 'all' }).filter((r) => stocks.has(r.code));
  if (allSignals.length === 0) throw new QuantflowError('NO_SIGNALS', `no ${signal} signals in the store (run: quantflow signals)`);

  // Which (code, date) rows to take, before labels are known.
  let wanted = allSignals;
  if (opts.kind === 'inference') {
    const buys = universe === 'all' ? allSignals.filter((r) => r.buy === 1) : allSignals;
    const last = buys.length ? buys[buys.length - 1]!.date : allSignals[allSignals.length - 1]!.date;
    wanted = allSignals.filter((r) => r.date === last);
  }
  const byCode = new Map<string, { date: number; buy: number }[]>();
  for (const r of wanted) {
    let list = byCode.get(r.code);
    if (!list) byCode.set(r.code, (list = []));
    list.push({ date: r.date, buy: r.buy });
  }

  type Row = { date: number; code: string; buy: number; y: number; values: Float64Array };
  const rows: Row[] = [];
  for (const [code, list] of byCode) {
    const bars = market.readBars(code);
    const feats = readFeatures(db, code, featureNames);
    const barPos = new Map<number, number>();
    for (let i = 0; i < bars.dates.length; i++) barPos.set(bars.dates[i]!, i);
    const featPos = new Map<number, number>();
    for (let i = 0; i < feats.dates.length; i++) featPos.set(feats.dates[i]!, i);
    const cols = featureNames.map((n) => feats.columns[n]!);
    for (const { date, buy } of list) {
      const bi = barPos.get(date);
      if (bi === undefined) continue;
      let y = NaN;
      if (opts.kind === 'train') {
        y = labelReturn(bars.close, bi, labelKind);
        if (!Number.isFinite(y)) continue;
      }
      const values = new Float64Array(featureNames.length).fill(NaN);
      const fi = featPos.get(date);
      if (fi !== undefined) for (let c = 0; c < cols.length; c++) values[c] = cols[c]![fi]!;
      rows.push({ date, code, buy, y, values });
    }
  }

  rows.sort((a, b) => a.date - b.date || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  let kept = rows;
  if (opts.kind === 'train') {
    const dates = [...new Set(rows.map((r) => r.date))];
    const from = dates.length > windowDates ? dates[dates.length - windowDates]! : -Infinity;
    kept = rows.filter((r) => r.date >= from);
  }
  if (kept.length === 0) throw new QuantflowError('EMPTY_DATASET', `no ${opts.kind} rows: no ${signal} signal has the bars it needs yet`);

  const n = kept.length;
  const table: DatasetTable = {
    kind: opts.kind,
    labelKind,
    signal,
    dates: new Int32Array(n),
    codes: new Array(n),
    buy: new Float64Array(n),
    featureNames,
    features: featureNames.map(() => new Float64Array(n)),
  };
  if (opts.kind === 'train') {
    table.label = new Float64Array(n);
    table.y = new Float64Array(n);
  }
  for (let i = 0; i < n; i++) {
    const r = kept[i]!;
    table.dates[i] = r.date;
    table.codes[i] = r.code;
    table.buy[i] = r.buy;
    if (table.y) {
      table.y[i] = r.y;
      table.label![i] = r.y > 0 ? 1 : 0;
    }
    for (let c = 0; c < featureNames.length; c++) table.features[c]![i] = r.values[c]!;
  }
  return table;
}
