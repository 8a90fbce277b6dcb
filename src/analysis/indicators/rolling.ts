/**
 * Rolling sums the way TA-Lib keeps them (add the newest value, subtract the one leaving the window),
 * re-anchored on a fixed grid of absolute bar indices.
 *
 * Why the anchor: a running sum carries the rounding of every step since it started, so the same
 * bar computed from a different starting point (an incremental pass that begins a few hundred bars
 * back) would differ in the last bits. At every absolute index that is a multiple of ANCHOR the sum
 * is recomputed from scratch over its window, so a value depends only on the bars since the previous
 * anchor: an incremental pass that starts at or before `anchorStart(...)` gives bit-identical values
 * to a full pass. The cost is one fresh window sum every ANCHOR bars (p/ANCHOR extra adds a bar);
 * the difference from TA-Lib's never-reset sum is a few ulps (tests hold it to 1e-9 relative).
 */
export const ANCHOR = 256;

/**
 * The first index (absolute, a multiple of ANCHOR, >= 0) from which a pass must start so that every
 * value at absolute index >= `firstNeeded` is identical to a full pass, for windows up to `lookback`
 * bars back (lookback = period - 1 plus any extra history the value reads).
 */
export function anchorStart(firstNeeded: number, lookback: number): number {
  const s = Math.floor((firstNeeded - lookback - ANCHOR) / ANCHOR) * ANCHOR;
  return s > 0 ? s : 0;
}

/**
 * Simple moving average of `period` over `x`; out[i] = NaN for i < period-1.
 * `offset` is the absolute index of x[0] in the stock's full history (0 for a full pass).
 */
export function sma(x: ArrayLike<number>, period: number, offset = 0, out = new Float64Array(x.length)): Float64Array {
  const n = x.length;
  const p = period;
  if (p < 1) throw new RangeError(`SMA period must be >= 1, got ${p}`);
  // TA-Lib's order: the total holds the p-1 bars before i; add bar i, divide, drop the oldest.
  let sum = 0;
  for (let i = 0; i < n && i < p - 1; i++) {
    out[i] = NaN;
    sum += x[i]!;
  }
  for (let i = p - 1; i < n; i++) {
    if (i > p - 1 && (offset + i) % ANCHOR === 0) {
      sum = 0;
      for (let j = i - p + 1; j < i; j++) sum += x[j]!;
    }
    sum += x[i]!;
    out[i] = sum / p;
    sum -= x[i - p + 1]!;
  }
  return out;
}

/**
 * Rolling mean and population variance (mean of squares minus square of the mean, as TA-Lib's
 * BBANDS does with its precomputed SMA) over `period` bars; NaN before the window is full.
 */
export function rollingMeanVar(
  x: ArrayLike<number>,
  period: number,
  offset = 0,
  mean = new Float64Array(x.length),
  variance = new Float64Array(x.length),
): { mean: Float64Array; variance: Float64Array } {
  const n = x.length;
  const p = period;
  let s1 = 0;
  let s2 = 0;
  for (let i = 0; i < n && i < p - 1; i++) {
    const v = x[i]!;
    s1 += v;
    s2 += v * v;
    mean[i] = NaN;
    variance[i] = NaN;
  }
  for (let i = p - 1; i < n; i++) {
    if (i > p - 1 && (offset + i) % ANCHOR === 0) {
      s1 = 0;
      s2 = 0;
      for (let j = i - p + 1; j < i; j++) {
        const w = x[j]!;
        s1 += w;
        s2 += w * w;
      }
    }
    const v = x[i]!;
    s1 += v;
    s2 += v * v;
    const m1 = s1 / p;
    mean[i] = m1;
    variance[i] = s2 / p - m1 * m1;
    const old = x[i - p + 1]!;
    s1 -= old;
    s2 -= old * old;
  }
  return { mean, variance };
}

/**
 * Bollinger bands with an SMA middle band, as TA-Lib's BBANDS(period, nbDevUp, nbDevDn, MAType=SMA):
 * middle = SMA, stddev = sqrt(population variance), taken as 0 when the variance is below 1e-14
 * (TA-Lib 0.6's TA_IS_ZERO_OR_NEG test, which flat stretches of prices hit),
 * upper = middle + nbDevUp*stddev, lower = middle - nbDevDn*stddev.
 */
export function bbands(
  close: ArrayLike<number>,
  period = 20,
  devUp = 2,
  devDn = 2,
  offset = 0,
): { upper: Float64Array; middle: Float64Array; lower: Float64Array } {
  const n = close.length;
  const { mean, variance } = rollingMeanVar(close, period, offset);
  const upper = new Float64Array(n);
  const lower = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const v = variance[i]!;
    const sd = v === v ? (v < 1e-14 ? 0 : Math.sqrt(v)) : NaN;
    const m = mean[i]!;
    upper[i] = m + devUp * sd;
    lower[i] = m - devDn * sd;
  }
  return { upper, middle: mean, lower };
}
