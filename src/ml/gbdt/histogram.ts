/**
 * The hot loops: gradient/hessian histograms of a node's rows over the bin codes, and
 * the sibling by subtraction. Histograms are Float64Array with (grad, hess) pairs; feature f's bins
 * start at off[f] (its missing code's slot comes right after its last bin).
 */

/** Row-major global bin indices: slot (off[f] / 2 + code) of feature f for each row. */
export type RowBins = Uint16Array | Uint32Array;

/**
 * Adds the rows idx[s..e) to `hist` for the features `feats[0..nfeat)` (all features when
 * nfeat == ncol). `rowBins` is row-major (a node's rows cost one cache line each, not one per
 * feature) and already holds each feature's histogram slot; `gh` holds the rows' (grad, hess)
 * gathered in position order: gh[2*(i-s)], gh[2*(i-s)+1].
 */
export function buildHistogram(
  hist: Float64Array,
  rowBins: RowBins,
  ncol: number,
  feats: Int32Array,
  nfeat: number,
  idx: Int32Array,
  s: number,
  e: number,
  gh: Float64Array,
): void {
  if (nfeat === ncol) {
    for (let i = s, j = 0; i < e; i++, j += 2) {
      let k = idx[i]! * ncol;
      const end = k + ncol;
      const g = gh[j]!;
      const h = gh[j + 1]!;
      for (; k + 4 <= end; k += 4) {
        const b0 = rowBins[k]! << 1;
        const b1 = rowBins[k + 1]! << 1;
        const b2 = rowBins[k + 2]! << 1;
        const b3 = rowBins[k + 3]! << 1;
        hist[b0] += g;
        hist[b0 + 1] += h;
        hist[b1] += g;
        hist[b1 + 1] += h;
        hist[b2] += g;
        hist[b2 + 1] += h;
        hist[b3] += g;
        hist[b3 + 1] += h;
      }
      for (; k < end; k++) {
        const b = rowBins[k]! << 1;
        hist[b] += g;
        hist[b + 1] += h;
      }
    }
    return;
  }
  for (let i = s, j = 0; i < e; i++, j += 2) {
    const base = idx[i]! * ncol;
    const g = gh[j]!;
    const h = gh[j + 1]!;
    for (let k = 0; k < nfeat; k++) {
      const b = rowBins[base + feats[k]!]! << 1;
      hist[b] += g;
      hist[b + 1] += h;
    }
  }
}

/** big := big - small over the used slots of the features `feats`. */
export function subtractHistogram(big: Float64Array, small: Float64Array, off: Int32Array, nbins: Int32Array, feats: Int32Array, nfeat: number): void {
  for (let k = 0; k < nfeat; k++) {
    const f = feats[k]!;
    const a = off[f]!;
    const z = a + ((nbins[f]! + 1) << 1);
    for (let i = a; i < z; i++) big[i] -= small[i]!;
  }
}

/** Zeroes the used slots of the features `feats`. */
export function clearHistogram(hist: Float64Array, off: Int32Array, nbins: Int32Array, feats: Int32Array, nfeat: number): void {
  for (let k = 0; k < nfeat; k++) {
    const f = feats[k]!;
    hist.fill(0, off[f]!, off[f]! + ((nbins[f]! + 1) << 1));
  }
}
