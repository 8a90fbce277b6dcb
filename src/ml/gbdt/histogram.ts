/**
 * The hot loops: gradient/hessian histograms of a node's rows over the bin codes, and
 * the sibling by subtraction. Histograms are Float64Array with (grad, hess) pairs; feature f's bins
 * start at off[f] (its missing code's slot comes right after its last bin).
 */

/** Histogram slots (off[f] / 2 + code) of the codes, as one array. */
export type RowBins = Uint16Array | Uint32Array;

/**
 * Sparse row-major bins: for each row, the slots of the features whose code is not the feature's
 * most frequent one (LightGBM's most-frequent-bin trick: a candle-pattern column is mostly 0, so its
 * rows mostly skip it). Row r's slots are slots[start[r] .. start[r+1]).
 */
export interface SparseRows {
  start: Int32Array;
  slots: RowBins;
  /** Feature of each slot. */
  featureOfSlot: Uint16Array | Uint32Array;
  /** The skipped (most frequent) slot of each feature. */
  dominant: Int32Array;
}

/**
 * Adds the rows idx[s..e) to `hist`, skipping each feature's dominant slot (see fillDominant).
 * `gh` holds the rows' (grad, hess) gathered in position order: gh[2*(i-s)], gh[2*(i-s)+1].
 * With `selected` (a column subsample), only slots of selected features are added.
 */
export function buildHistogram(hist: Float64Array, rows: SparseRows, idx: Int32Array, s: number, e: number, gh: Float64Array, selected?: Uint8Array): void {
  const { start, slots } = rows;
  if (!selected) {
    for (let i = s, j = 0; i < e; i++, j += 2) {
      const r = idx[i]!;
      let k = start[r]!;
      const end = start[r + 1]!;
      const g = gh[j]!;
      const h = gh[j + 1]!;
      for (; k + 4 <= end; k += 4) {
        const b0 = slots[k]! << 1;
        const b1 = slots[k + 1]! << 1;
        const b2 = slots[k + 2]! << 1;
        const b3 = slots[k + 3]! << 1;
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
        const b = slots[k]! << 1;
        hist[b] += g;
        hist[b + 1] += h;
      }
    }
    return;
  }
  const fos = rows.featureOfSlot;
  for (let i = s, j = 0; i < e; i++, j += 2) {
    const r = idx[i]!;
    const end = start[r + 1]!;
    const g = gh[j]!;
    const h = gh[j + 1]!;
    for (let k = start[r]!; k < end; k++) {
      const slot = slots[k]!;
      if (!selected[fos[slot]!]) continue;
      const b = slot << 1;
      hist[b] += g;
      hist[b + 1] += h;
    }
  }
}

/** Sets each selected feature's dominant slot to the node totals minus the feature's other slots. */
export function fillDominant(hist: Float64Array, rows: SparseRows, off: Int32Array, nbins: Int32Array, feats: Int32Array, nfeat: number, G: number, H: number): void {
  const dom = rows.dominant;
  for (let k = 0; k < nfeat; k++) {
    const f = feats[k]!;
    const a = off[f]!;
    const z = a + ((nbins[f]! + 1) << 1);
    const d = dom[f]! << 1;
    let g = 0;
    let h = 0;
    for (let i = a; i < z; i += 2) {
      g += hist[i]!;
      h += hist[i + 1]!;
    }
    g -= hist[d]!;
    h -= hist[d + 1]!;
    hist[d] = G - g;
    hist[d + 1] = H - h;
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
