/**
 * Qlib Alpha158's KBAR family (ml.md §2), the continuous form of candle shape. The (H-L)
 * denominators get Qlib's +1e-12, so a one-price day (O = H = L = C, common at limit moves) gives 0,
 * not NaN.
 */
import type { Bars } from '../../market/bars.js';
import type { FeatureSet } from './types.js';

export const KBAR_COLUMNS = ['KMID', 'KLEN', 'KMID2', 'KUP', 'KUP2', 'KLOW', 'KLOW2', 'KSFT', 'KSFT2'] as const;

export function computeKbar(bars: Bars): Record<string, Float64Array> {
  const { open, high, low, close } = bars;
  const n = close.length;
  const block = new Float64Array(n * KBAR_COLUMNS.length);
  const cols = KBAR_COLUMNS.map((_, k) => block.subarray(n * k, n * (k + 1)));
  const [kmid, klen, kmid2, kup, kup2, klow, klow2, ksft, ksft2] = cols as [
    Float64Array, Float64Array, Float64Array, Float64Array, Float64Array, Float64Array, Float64Array, Float64Array, Float64Array,
  ];
  for (let i = 0; i < n; i++) {
    const o = open[i]!;
    const h = high[i]!;
    const l = low[i]!;
    const c = close[i]!;
    const range = h - l + 1e-12;
    const top = o > c ? o : c;
    const bottom = o < c ? o : c;
    kmid[i] = (c - o) / o;
    klen[i] = (h - l) / o;
    kmid2[i] = (c - o) / range;
    kup[i] = (h - top) / o;
    kup2[i] = (h - top) / range;
    klow[i] = (bottom - l) / o;
    klow2[i] = (bottom - l) / range;
    ksft[i] = (2 * c - h - l) / o;
    ksft2[i] = (2 * c - h - l) / range;
  }
  const out: Record<string, Float64Array> = {};
  KBAR_COLUMNS.forEach((name, k) => (out[name] = cols[k]!));
  return out;
}

export function kbarFeatureSet(): FeatureSet {
  return { name: 'kbar', spec: 'kbar:qlib', columns: KBAR_COLUMNS, kind: 'float', lookback: 0, incremental: true, compute: (b) => computeKbar(b) };
}
