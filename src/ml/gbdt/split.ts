/**
 * Best split of a node from its histogram, as XGBoost 1.7's hist evaluator: for every feature a
 * forward scan (missing values go right) and, when the node has missing values of that feature, a
 * backward scan (missing go left); loss change = gain(L) + gain(R) - gain(parent) with
 * gain(G, H) = T(G)^2 / (H + lambda), T = L1 soft threshold by alpha; each child's hessian sum must
 * be >= min_child_weight. Ties keep the lower feature index.
 */
export interface SplitParams {
  lambda: number;
  alpha: number;
  minChildWeight: number;
}

export interface SplitResult {
  gain: number;
  feature: number;
  /** Non-missing codes < splitBin go left. */
  splitBin: number;
  defaultLeft: boolean;
  gl: number;
  hl: number;
  gr: number;
  hr: number;
}

export function newSplit(): SplitResult {
  return { gain: -Infinity, feature: -1, splitBin: 0, defaultLeft: false, gl: 0, hl: 0, gr: 0, hr: 0 };
}

function thr(g: number, alpha: number): number {
  if (g > alpha) return g - alpha;
  if (g < -alpha) return g + alpha;
  return 0;
}

export function nodeGain(g: number, h: number, p: SplitParams): number {
  if (h < p.minChildWeight || h <= 0) return 0;
  const t = p.alpha === 0 ? g : thr(g, p.alpha);
  return (t * t) / (h + p.lambda);
}

/** XGBoost's CalcWeight (before eta). */
export function nodeWeight(g: number, h: number, p: SplitParams): number {
  if (h < p.minChildWeight || h <= 0) return 0;
  const t = p.alpha === 0 ? g : thr(g, p.alpha);
  return -t / (h + p.lambda);
}

export function findBestSplit(
  hist: Float64Array,
  off: Int32Array,
  nbins: Int32Array,
  feats: Int32Array,
  nfeat: number,
  G: number,
  H: number,
  p: SplitParams,
  best: SplitResult,
): SplitResult {
  best.gain = -Infinity;
  best.feature = -1;
  const lambda = p.lambda;
  const alpha = p.alpha;
  const mcw = p.minChildWeight;
  const l1 = alpha !== 0;
  const root = nodeGain(G, H, p);
  // feats is ascending, so strict ">" keeps the lowest feature on ties
  for (let k = 0; k < nfeat; k++) {
    const f = feats[k]!;
    const nb = nbins[f]!;
    if (nb === 0) continue;
    const a = off[f]!;
    const gm = hist[a + 2 * nb]!;
    const hm = hist[a + 2 * nb + 1]!;
    let gl = 0;
    let hl = 0;
    for (let i = 0; i < nb; i++) {
      const hi = hist[a + 2 * i + 1]!;
      // an empty bin repeats the previous candidate, which already won or lost (ties keep the first)
      if (hi === 0) continue;
      gl += hist[a + 2 * i]!;
      hl += hi;
      if (hl < mcw || hl <= 0) continue;
      const gr = G - gl;
      const hr = H - hl;
      if (hr < mcw || hr <= 0) break;
      const tl = l1 ? thr(gl, alpha) : gl;
      const tr = l1 ? thr(gr, alpha) : gr;
      const gain = (tl * tl) / (hl + lambda) + (tr * tr) / (hr + lambda) - root;
      if (gain > best.gain) {
        best.gain = gain;
        best.feature = f;
        best.splitBin = i + 1;
        best.defaultLeft = false;
        best.gl = gl;
        best.hl = hl;
        best.gr = gr;
        best.hr = hr;
      }
    }
    if (hm <= 0 && gm === 0) continue;
    let gr = 0;
    let hr = 0;
    for (let i = nb - 1; i >= 0; i--) {
      const hi = hist[a + 2 * i + 1]!;
      if (hi === 0) continue;
      gr += hist[a + 2 * i]!;
      hr += hi;
      if (hr < mcw || hr <= 0) continue;
      const gl2 = G - gr;
      const hl2 = H - hr;
      if (hl2 < mcw || hl2 <= 0) break;
      const tl = l1 ? thr(gl2, alpha) : gl2;
      const tr = l1 ? thr(gr, alpha) : gr;
      const gain = (tl * tl) / (hl2 + lambda) + (tr * tr) / (hr + lambda) - root;
      if (gain > best.gain) {
        best.gain = gain;
        best.feature = f;
        best.splitBin = i;
        best.defaultLeft = true;
        best.gl = gl2;
        best.hl = hl2;
        best.gr = gr;
        best.hr = hr;
      }
    }
  }
  return best;
}
