/**
 * Evaluation metrics as the original system and Qlib compute them: logloss, AUC (ties as
 * sklearn's roc_auc_score), the classification report for class 1 at 0.5 (sklearn,
 * zero_division=0), odds / profit-loss ratio of the top N per day against all rows, and daily
 * IC / Rank IC (Pearson / Spearman with average ranks) with their IRs (mean / std, ddof 1).
 */

type Vec = ArrayLike<number>;

/** Mean binary cross-entropy; probabilities clipped to [1e-15, 1 - 1e-15] (sklearn's eps). */
export function logloss(y: Vec, p: Vec): number {
  let s = 0;
  for (let i = 0; i < y.length; i++) {
    const q = Math.min(Math.max(p[i]!, 1e-15), 1 - 1e-15);
    s += y[i]! > 0.5 ? -Math.log(q) : -Math.log(1 - q);
  }
  return y.length ? s / y.length : NaN;
}

/** Average ranks (1-based), ties share the mean rank. */
export function averageRanks(x: Vec): Float64Array {
  const n = x.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => x[a]! - x[b]!);
  const out = new Float64Array(n);
  for (let i = 0; i < n; ) {
    let j = i + 1;
    while (j < n && x[order[j]!] === x[order[i]!]) j++;
    const r = (i + j + 1) / 2; // mean of ranks i+1..j
    for (let k = i; k < j; k++) out[order[k]!] = r;
    i = j;
  }
  return out;
}

/** Area under the ROC curve (Mann-Whitney with average ranks; equals roc_auc_score with ties). NaN with one class. */
export function auc(y: Vec, score: Vec): number {
  const r = averageRanks(score);
  let npos = 0;
  let sum = 0;
  for (let i = 0; i < y.length; i++) {
    if (y[i]! > 0.5) {
      npos++;
      sum += r[i]!;
    }
  }
  const nneg = y.length - npos;
  if (npos === 0 || nneg === 0) return NaN;
  return (sum - (npos * (npos + 1)) / 2) / (npos * nneg);
}

export interface ClassReport {
  precision: number;
  recall: number;
  f1: number;
  /** Rows whose true label is 1. */
  support: number;
  accuracy: number;
}

/** sklearn's classification_report row for class 1, predicting 1 when p > threshold (0.5; round-half-even at exactly 0.5 gives 0). */
export function classificationReport(y: Vec, p: Vec, threshold = 0.5): ClassReport {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let correct = 0;
  for (let i = 0; i < y.length; i++) {
    const t = y[i]! > 0.5;
    const q = p[i]! > threshold;
    if (q && t) tp++;
    else if (q) fp++;
    else if (t) fn++;
    if (q === t) correct++;
  }
  const precision = tp + fp ? tp / (tp + fp) : 0;
  const recall = tp + fn ? tp / (tp + fn) : 0;
  const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
  return { precision, recall, f1, support: tp + fn, accuracy: y.length ? correct / y.length : 0 };
}

export interface OddsPcr {
  /** Share of rows with return > 0 (win rate). */
  odds: number;
  /** Mean return of winners / |mean return of losers| (return < 0); NaN without losers or winners. */
  pcr: number;
  rows: number;
}

/** odds and pcr of a set of returns. */
export function oddsPcr(returns: Vec): OddsPcr {
  let w = 0;
  let l = 0;
  let sw = 0;
  let sl = 0;
  for (let i = 0; i < returns.length; i++) {
    const r = returns[i]!;
    if (r > 0) {
      w++;
      sw += r;
    } else if (r < 0) {
      l++;
      sl += r;
    }
  }
  const n = returns.length;
  return { odds: n ? w / n : NaN, pcr: w && l ? sw / w / Math.abs(sl / l) : NaN, rows: n };
}

/** Win rate of a set of returns. */
export const odds = (returns: Vec): number => oddsPcr(returns).odds;
/** Profit/loss ratio of a set of returns. */
export const pcr = (returns: Vec): number => oddsPcr(returns).pcr;

/** Row indices grouped by day, days ascending. */
export function groupByDay(dates: Vec): { date: number; rows: number[] }[] {
  const m = new Map<number, number[]>();
  for (let i = 0; i < dates.length; i++) {
    const d = dates[i]!;
    let a = m.get(d);
    if (!a) m.set(d, (a = []));
    a.push(i);
  }
  return [...m.entries()].sort((a, b) => a[0] - b[0]).map(([date, rows]) => ({ date, rows }));
}

/** The top N rows by score on each day (ties: the earlier row first). */
export function topNPerDay(dates: Vec, score: Vec, n: number): number[] {
  const out: number[] = [];
  for (const g of groupByDay(dates)) {
    const rows = [...g.rows].sort((a, b) => score[b]! - score[a]! || a - b);
    out.push(...rows.slice(0, n));
  }
  return out;
}

export interface TopNEvaluation {
  top: OddsPcr;
  base: OddsPcr;
  n: number;
  days: number;
}

/** The original's evaluation: odds and pcr of the top N per day against every row. */
export function evaluateTopN(dates: Vec, score: Vec, returns: Vec, n = 2): TopNEvaluation {
  const picks = topNPerDay(dates, score, n);
  return { top: oddsPcr(picks.map((i) => returns[i]!)), base: oddsPcr(returns), n, days: groupByDay(dates).length };
}

/** Pearson correlation (NaN when either side has zero variance or fewer than 2 values). */
export function pearson(a: Vec, b: Vec): number {
  const n = a.length;
  if (n < 2) return NaN;
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < n; i++) {
    ma += a[i]!;
    mb += b[i]!;
  }
  ma /= n;
  mb /= n;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    const da = a[i]! - ma;
    const db = b[i]! - mb;
    sab += da * db;
    saa += da * da;
    sbb += db * db;
  }
  return saa > 0 && sbb > 0 ? sab / Math.sqrt(saa * sbb) : NaN;
}

/** Spearman correlation: Pearson of average ranks. */
export function spearman(a: Vec, b: Vec): number {
  return pearson(averageRanks(a), averageRanks(b));
}

export interface DailyIc {
  dates: number[];
  ic: number[];
  rankIc: number[];
  /** Means over the days with a defined value. */
  icMean: number;
  rankIcMean: number;
  icir: number;
  rankIcir: number;
}

function meanStd(x: number[]): { mean: number; std: number } {
  const v = x.filter((z) => Number.isFinite(z));
  const n = v.length;
  if (n === 0) return { mean: NaN, std: NaN };
  const mean = v.reduce((s, z) => s + z, 0) / n;
  const std = n > 1 ? Math.sqrt(v.reduce((s, z) => s + (z - mean) ** 2, 0) / (n - 1)) : NaN;
  return { mean, std };
}

/** Per-day IC and Rank IC between score and realised return, and ICIR = mean / std (ddof 1), like Qlib. */
export function dailyIc(dates: Vec, score: Vec, returns: Vec): DailyIc {
  const out: DailyIc = { dates: [], ic: [], rankIc: [], icMean: NaN, rankIcMean: NaN, icir: NaN, rankIcir: NaN };
  for (const g of groupByDay(dates)) {
    const s = g.rows.map((i) => score[i]!);
    const r = g.rows.map((i) => returns[i]!);
    out.dates.push(g.date);
    out.ic.push(pearson(s, r));
    out.rankIc.push(spearman(s, r));
  }
  const a = meanStd(out.ic);
  const b = meanStd(out.rankIc);
  out.icMean = a.mean;
  out.rankIcMean = b.mean;
  out.icir = a.mean / a.std;
  out.rankIcir = b.mean / b.std;
  return out;
}

/** The contract names. */
export const ic = (dates: Vec, score: Vec, returns: Vec): number => dailyIc(dates, score, returns).icMean;
export const rankIc = (dates: Vec, score: Vec, returns: Vec): number => dailyIc(dates, score, returns).rankIcMean;
export const icir = (dates: Vec, score: Vec, returns: Vec): number => dailyIc(dates, score, returns).icir;
export const rankIcir = (dates: Vec, score: Vec, returns: Vec): number => dailyIc(dates, score, returns).rankIcir;
