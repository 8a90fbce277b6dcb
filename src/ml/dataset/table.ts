/**
 * A dataset in memory: one row per (date, code), feature columns as Float64Arrays (NaN = missing).
 * `label` and `y` exist for training rows only. Rows are sorted by date, then code.
 */
import type { LabelKind } from '../registry.js';

export interface DatasetTable {
  kind: 'train' | 'inference';
  labelKind: LabelKind;
  signal: string;
  dates: Int32Array; // yyyymmdd
  codes: string[];
  buy: Float64Array;
  /** 1 when y > 0, else 0 (training rows). */
  label?: Float64Array;
  /** The return the label is made from (training rows). */
  y?: Float64Array;
  featureNames: string[];
  features: Float64Array[];
}

export function rowCount(t: DatasetTable): number {
  return t.dates.length;
}

/** `<date>$<code>`, the original system's row index (date as YYYY-MM-DD). */
export function rowIndex(date: number, code: string): string {
  const s = String(date);
  return `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}$${code}`;
}

export function parseRowIndex(index: string): { date: number; code: string } | undefined {
  const m = /^(\d{4})-?(\d{2})-?(\d{2})\$(.+)$/.exec(index.trim());
  if (!m) return undefined;
  return { date: Number(m[1]) * 10000 + Number(m[2]) * 100 + Number(m[3]), code: m[4]! };
}

/** The distinct dates, ascending. */
export function distinctDates(dates: Int32Array): number[] {
  const out: number[] = [];
  for (let i = 0; i < dates.length; i++) if (i === 0 || dates[i] !== dates[i - 1]) out.push(dates[i]!);
  return out;
}

/** Rows whose index is in `rows`, in that order. */
export function selectRows(t: DatasetTable, rows: ArrayLike<number>): DatasetTable {
  const n = rows.length;
  const pick = (a: Float64Array) => {
    const o = new Float64Array(n);
    for (let i = 0; i < n; i++) o[i] = a[rows[i]!]!;
    return o;
  };
  const dates = new Int32Array(n);
  const codes: string[] = new Array(n);
  for (let i = 0; i < n; i++) {
    dates[i] = t.dates[rows[i]!]!;
    codes[i] = t.codes[rows[i]!]!;
  }
  return {
    ...t,
    dates,
    codes,
    buy: pick(t.buy),
    label: t.label ? pick(t.label) : undefined,
    y: t.y ? pick(t.y) : undefined,
    features: t.features.map(pick),
  };
}
