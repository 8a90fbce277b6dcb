/**
 * Columnar OHLCV series and their resampling to weeks or months (open = first, high = max,
 * low = min, close = last, volume = sum). Dates are yyyymmdd integers; a period is dated by its
 * last traded day, so gaps (weekends, holidays, suspensions) never show as empty columns.
 */
export interface OhlcvSeries {
  dates: ArrayLike<number>;
  open: ArrayLike<number>;
  high: ArrayLike<number>;
  low: ArrayLike<number>;
  close: ArrayLike<number>;
  volume: ArrayLike<number>;
}

export interface DenseSeries {
  dates: Int32Array;
  open: Float64Array;
  high: Float64Array;
  low: Float64Array;
  close: Float64Array;
  volume: Float64Array;
  /** For each row, the index of the first source bar it covers. */
  first: Int32Array;
}

export type Period = 'day' | 'week' | 'month';

/** Days since 1970-01-01 of a yyyymmdd date. */
export function dayNumber(d: number): number {
  const y = Math.floor(d / 10000);
  const m = Math.floor(d / 100) % 100;
  const day = d % 100;
  return Math.floor(Date.UTC(y, m - 1, day) / 86_400_000);
}

function periodKey(d: number, period: Period): number {
  if (period === 'day') return d;
  if (period === 'month') return Math.floor(d / 100);
  // 1970-01-01 was a Thursday; weeks start on Monday.
  return Math.floor((dayNumber(d) + 3) / 7);
}

/** Resamples rows [from, to) of `s` to `period`. */
export function resample(s: OhlcvSeries, period: Period, from = 0, to = s.dates.length): DenseSeries {
  const n = Math.max(0, to - from);
  const dates = new Int32Array(n);
  const open = new Float64Array(n);
  const high = new Float64Array(n);
  const low = new Float64Array(n);
  const close = new Float64Array(n);
  const volume = new Float64Array(n);
  const first = new Int32Array(n);
  let k = -1;
  let lastKey = NaN;
  for (let i = from; i < to; i++) {
    const key = periodKey(s.dates[i]!, period);
    if (key !== lastKey || k < 0) {
      k++;
      lastKey = key;
      open[k] = s.open[i]!;
      high[k] = s.high[i]!;
      low[k] = s.low[i]!;
      volume[k] = 0;
      first[k] = i;
    }
    if (s.high[i]! > high[k]!) high[k] = s.high[i]!;
    if (s.low[i]! < low[k]!) low[k] = s.low[i]!;
    close[k] = s.close[i]!;
    volume[k] = volume[k]! + s.volume[i]!;
    dates[k] = s.dates[i]!;
  }
  const m = k + 1;
  return {
    dates: dates.subarray(0, m),
    open: open.subarray(0, m),
    high: high.subarray(0, m),
    low: low.subarray(0, m),
    close: close.subarray(0, m),
    volume: volume.subarray(0, m),
    first: first.subarray(0, m),
  };
}

/** Simple moving average; NaN until `period` values are seen. */
export function sma(values: ArrayLike<number>, period: number): Float64Array {
  const out = new Float64Array(values.length).fill(NaN);
  let sum = 0;
  for (let i = 0; i < values.length; i++) {
    sum += values[i]!;
    if (i >= period) sum -= values[i - period]!;
    if (i >= period - 1) out[i] = sum / period;
  }
  return out;
}

/** Bollinger bands (SMA +- k population standard deviations). */
export function bollinger(values: ArrayLike<number>, period: number, k: number): { mid: Float64Array; upper: Float64Array; lower: Float64Array } {
  const mid = sma(values, period);
  const upper = new Float64Array(values.length).fill(NaN);
  const lower = new Float64Array(values.length).fill(NaN);
  for (let i = period - 1; i < values.length; i++) {
    let v = 0;
    const m = mid[i]!;
    for (let j = i - period + 1; j <= i; j++) v += (values[j]! - m) ** 2;
    const sd = Math.sqrt(v / period);
    upper[i] = m + k * sd;
    lower[i] = m - k * sd;
  }
  return { mid, upper, lower };
}
