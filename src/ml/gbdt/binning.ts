/**
 * Quantises every feature once into at most 255 bins (exact quantiles of the training data, like
 * XGBoost's sketch with cut points taken from the data), stored column-major as uint8 codes; the
 * code nbins[f] (at most 255) is a missing value of feature f. Bin b of feature f holds values in [cuts[b-1], cuts[b]), so a split
 * "bins < s go left" has the float32 threshold cuts[s-1] and `x < threshold` reproduces it exactly.
 */
import { type MatrixInput, matrixShape, readColumn } from './matrix.js';

export const MAX_BINS = 255;

export interface BinnedData {
  nrow: number;
  ncol: number;
  /** Column-major codes: feature f of row r at f * nrow + r. */
  codes: Uint8Array;
  /** Number of bins of each feature (0 when the feature has no value); also its missing code. */
  nbins: Int32Array;
  /** Upper bounds (exclusive) of the bins of each feature, float32; the last is above the maximum. */
  cuts: Float32Array[];
  /** A float32 value below each feature's minimum (threshold of "everything non-missing goes right"). */
  minValues: Float32Array;
  /** Whether each feature has any missing value. */
  hasMissing: Uint8Array;
}

export function binMatrix(x: MatrixInput, maxBin: number): BinnedData {
  const { nrow, ncol } = matrixShape(x);
  const nb = Math.max(2, Math.min(MAX_BINS, maxBin));
  const codes = new Uint8Array(nrow * ncol);
  const nbins = new Int32Array(ncol);
  const cuts: Float32Array[] = [];
  const minValues = new Float32Array(ncol);
  const hasMissing = new Uint8Array(ncol);
  const col = new Float32Array(nrow);
  const sorted = new Float32Array(nrow);
  const keys = new Uint32Array(nrow);
  const keys2 = new Uint32Array(nrow);
  const rows = new Int32Array(nrow);
  const rows2 = new Int32Array(nrow);
  for (let f = 0; f < ncol; f++) {
    readColumn(x, f, col);
    let m = 0;
    for (let r = 0; r < nrow; r++) {
      const v = col[r]!;
      if (v === v) {
        sorted[m] = v;
        rows[m++] = r;
      }
    }
    if (m < nrow) hasMissing[f] = 1;
    const vals = sorted.subarray(0, m);
    radixSortFloat32(vals, keys, keys2, rows, rows2);
    const c = featureCuts(vals, nb);
    cuts.push(c);
    nbins[f] = c.length;
    minValues[f] = m > 0 ? belowValue(vals[0]!) : 0;
    const out = codes.subarray(f * nrow, (f + 1) * nrow);
    out.fill(c.length); // missing
    // walk the sorted values: bin = number of cuts <= v
    let bin = 0;
    for (let i = 0; i < m; i++) {
      const v = vals[i]!;
      while (c[bin]! <= v) bin++;
      out[rows[i]!] = bin;
    }
  }
  return { nrow, ncol, codes, nbins, cuts, minValues, hasMissing };
}

const hist11 = new Int32Array(2048);

/**
 * Sorts non-NaN float32 values ascending (stable LSD radix, 3 passes of 11 bits over
 * order-preserving keys), permuting `payload` (row numbers) the same way.
 */
export function radixSortFloat32(vals: Float32Array, keys: Uint32Array, tmp: Uint32Array, payload: Int32Array, payloadTmp: Int32Array): void {
  const m = vals.length;
  const bits = new Uint32Array(vals.buffer, vals.byteOffset, m);
  let a = keys.subarray(0, m);
  let b = tmp.subarray(0, m);
  let pa = payload.subarray(0, m);
  let pb = payloadTmp.subarray(0, m);
  for (let i = 0; i < m; i++) {
    const u = bits[i]!;
    a[i] = u & 0x80000000 ? ~u >>> 0 : (u | 0x80000000) >>> 0;
  }
  for (let shift = 0; shift < 33; shift += 11) {
    hist11.fill(0);
    for (let i = 0; i < m; i++) hist11[(a[i]! >>> shift) & 2047]++;
    let sum = 0;
    for (let k = 0; k < 2048; k++) {
      const c = hist11[k]!;
      hist11[k] = sum;
      sum += c;
    }
    for (let i = 0; i < m; i++) {
      const v = a[i]!;
      const k = hist11[(v >>> shift) & 2047]++;
      b[k] = v;
      pb[k] = pa[i]!;
    }
    const t = a;
    a = b;
    b = t;
    const tp = pa;
    pa = pb;
    pb = tp;
  }
  // three passes: the result is in the tmp buffers; copy it home
  if (pa.buffer !== payload.buffer) payload.set(pa);
  for (let i = 0; i < m; i++) {
    const k = a[i]!;
    bits[i] = k & 0x80000000 ? (k & 0x7fffffff) >>> 0 : ~k >>> 0;
  }
}

/** Cut points of one feature's sorted non-missing float32 values. */
export function featureCuts(vals: Float32Array, nb: number): Float32Array {
  const m = vals.length;
  if (m === 0) return new Float32Array(0);
  let distinct = 1;
  for (let i = 1; i < m; i++) if (vals[i] !== vals[i - 1]) distinct++;
  const out: number[] = [];
  if (distinct <= nb) {
    for (let i = 1; i < m; i++) if (vals[i] !== vals[i - 1]) out.push(vals[i]!);
  } else {
    // Quantile boundaries at data values; ties collapse, so a heavy value keeps one bin.
    let prev = vals[0]!;
    for (let j = 1; j < nb; j++) {
      const v = vals[Math.floor((j * m) / nb)]!;
      if (v > prev) {
        out.push(v);
        prev = v;
      }
    }
  }
  out.push(aboveValue(vals[m - 1]!));
  return Float32Array.from(out);
}

function aboveValue(max: number): number {
  let v = Math.fround(max + (Math.abs(max) + 1e-5));
  if (!(v > max)) v = nextUp32(max);
  return v;
}

function belowValue(min: number): number {
  let v = Math.fround(min - (Math.abs(min) + 1e-5));
  if (!(v < min)) v = -nextUp32(-min);
  return v;
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);
function nextUp32(x: number): number {
  f32[0] = x;
  if (x === 0) return 1.4e-45;
  if (x > 0) u32[0] = u32[0]! + 1;
  else u32[0] = u32[0]! - 1;
  return f32[0]!;
}

/** The float32 threshold of the split "non-missing bins < s go left" of feature f. */
export function thresholdOf(b: BinnedData, f: number, s: number): number {
  return s === 0 ? b.minValues[f]! : b.cuts[f]![s - 1]!;
}
