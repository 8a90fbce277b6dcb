/**
 * Validation on the way into the store. A provider hands over raw rows (columns, NaN where a value
 * was missing); `cleanBars` returns only traded, consistent bars, sorted by date, and records what
 * it dropped or fixed in a `SkipReport`:
 * - volume 0 or missing: a suspended day, skipped (`suspended`);
 * - a missing or non-finite date or price: skipped (`bad_row`);
 * - low <= min(open, close) <= max(open, close) <= high broken by less than 0.01 (a rounding):
 *   repaired by widening high/low (`repaired`, kept); broken by more: skipped (`ohlc`);
 * - a date seen twice: the later row wins (`duplicate`);
 * - dates out of order: sorted, with one warning naming the first offending line.
 * A bad row never aborts the import.
 */
import type { Bars } from './bars.js';
import { emptyBars } from './bars.js';

export interface RawBars {
  code: string;
  dates: ArrayLike<number>;
  open: ArrayLike<number>;
  high: ArrayLike<number>;
  low: ArrayLike<number>;
  close: ArrayLike<number>;
  volume: ArrayLike<number>;
  adj?: ArrayLike<number>;
  /** Source line of each row (1-based) for messages, and the source name (a file path, a URL). */
  lines?: ArrayLike<number>;
  source?: string;
  /** The instrument's name when the provider's bar answer carries it. */
  name?: string;
}

export type SkipReason = 'suspended' | 'bad_row' | 'ohlc' | 'duplicate' | 'out_of_range';

export class SkipReport {
  readonly skipped: Record<string, number> = {};
  repaired = 0;
  /** One-line problems (`file:line: message`), the first `maxProblems` of them. */
  readonly problems: string[] = [];
  problemCount = 0;
  constructor(readonly maxProblems = 50) {}

  skip(reason: SkipReason, n = 1): void {
    this.skipped[reason] = (this.skipped[reason] ?? 0) + n;
  }

  problem(line: string): void {
    this.problemCount++;
    if (this.problems.length < this.maxProblems) this.problems.push(line);
  }

  merge(other: SkipReport): void {
    for (const [k, v] of Object.entries(other.skipped)) this.skipped[k] = (this.skipped[k] ?? 0) + v;
    this.repaired += other.repaired;
    this.problemCount += other.problemCount;
    for (const p of other.problems) if (this.problems.length < this.maxProblems) this.problems.push(p);
  }
}

/** Tolerance for a rounding violation of the OHLC order (strictly below one cent). */
export const ROUNDING_TOLERANCE = 0.01;

function where(raw: RawBars, i: number): string {
  const line = raw.lines ? raw.lines[i] : i + 1;
  return `${raw.source ?? raw.code}:${line}`;
}

export interface CleanOptions {
  /** Keep only dates in [start, end] (yyyymmdd); rows outside are dropped silently. */
  start?: number;
  end?: number;
  /** Also keep an adjustment factor column. */
  withAdj?: boolean;
}

export function cleanBars(raw: RawBars, report: SkipReport, opts: CleanOptions = {}): { bars: Bars; adj?: Float64Array } {
  const n = raw.dates.length;
  const start = opts.start ?? 0;
  const end = opts.end ?? 99991231;
  const keep: number[] = [];
  let sorted = true;
  let prevDate = -1;
  let warnedOrder = false;
  for (let i = 0; i < n; i++) {
    const d = raw.dates[i]!;
    const v = raw.volume[i]!;
    if (!(d > 0)) {
      report.skip('bad_row');
      report.problem(`${where(raw, i)}: bad date`);
      continue;
    }
    if (d < start || d > end) continue;
    if (!(v > 0)) {
      if (Number.isFinite(v) && v < 0) {
        report.skip('bad_row');
        report.problem(`${where(raw, i)}: negative volume ${v}`);
      } else report.skip('suspended');
      continue;
    }
    const o = raw.open[i]!;
    const h = raw.high[i]!;
    const l = raw.low[i]!;
    const c = raw.close[i]!;
    if (!(o > 0 && h > 0 && l > 0 && c > 0) || !Number.isFinite(o + h + l + c)) {
      report.skip('bad_row');
      report.problem(`${where(raw, i)}: missing or non-positive price`);
      continue;
    }
    const lo = Math.min(o, c);
    const hi = Math.max(o, c);
    const violation = Math.max(l - lo, hi - h, 0);
    if (violation > 0 && violation >= ROUNDING_TOLERANCE - 1e-9) {
      report.skip('ohlc');
      report.problem(`${where(raw, i)}: low <= open, close <= high is broken by ${violation.toFixed(4)} (open ${o}, high ${h}, low ${l}, close ${c})`);
      continue;
    }
    if (d < prevDate) {
      sorted = false;
      if (!warnedOrder) {
        warnedOrder = true;
        report.problem(`${where(raw, i)}: dates are not in ascending order; rows sorted by date`);
      }
    }
    prevDate = Math.max(prevDate, d);
    keep.push(i);
  }
  // Stable sort by date, then keep the last row of each date.
  if (!sorted) keep.sort((a, b) => raw.dates[a]! - raw.dates[b]! || a - b);
  const out: number[] = [];
  for (let k = 0; k < keep.length; k++) {
    const i = keep[k]!;
    if (out.length > 0 && raw.dates[out[out.length - 1]!] === raw.dates[i]) {
      report.skip('duplicate');
      out[out.length - 1] = i;
    } else out.push(i);
  }
  const m = out.length;
  const bars = emptyBars(raw.code, m);
  const adj = opts.withAdj ? new Float64Array(m) : undefined;
  for (let k = 0; k < m; k++) {
    const i = out[k]!;
    const o = raw.open[i]!;
    const c = raw.close[i]!;
    let h = raw.high[i]!;
    let l = raw.low[i]!;
    const lo = Math.min(o, c);
    const hi = Math.max(o, c);
    if (l > lo || h < hi) {
      report.repaired++;
      if (l > lo) l = lo;
      if (h < hi) h = hi;
    }
    bars.dates[k] = raw.dates[i]!;
    bars.open[k] = o;
    bars.high[k] = h;
    bars.low[k] = l;
    bars.close[k] = c;
    bars.volume[k] = raw.volume[i]!;
    if (adj) {
      const a = raw.adj ? raw.adj[i]! : 1;
      adj[k] = Number.isFinite(a) && a > 0 ? a : 1;
    }
  }
  return { bars, adj };
}
