/**
 * Grows one tree depth-wise (XGBoost's hist "depthwise" policy, nodes numbered in expansion order):
 * per level, every node's best split from its histogram; rows partitioned stably in an index array;
 * for each split the smaller child's histogram is built and the larger one's is the parent's minus it.
 */
import type { BinnedData } from './binning.js';
import { thresholdOf } from './binning.js';
import { type SparseRows, buildHistogram, clearHistogram, fillDominant, subtractHistogram } from './histogram.js';
import type { GbdtTree } from './model.js';
import { type SplitParams, type SplitResult, findBestSplit, newSplit, nodeWeight } from './split.js';

export interface GrowParams extends SplitParams {
  maxDepth: number;
  eta: number;
  gamma: number;
}

interface Node {
  s: number;
  e: number;
  g: number;
  h: number;
  depth: number;
  hist: Float64Array | undefined;
}

const RT_EPS = 1e-6;

export class TreeGrower {
  readonly off: Int32Array;
  private readonly histSize: number;
  private readonly pool: Float64Array[] = [];
  private readonly gh: Float64Array;
  private readonly tmp: Int32Array;
  /** Row-major histogram slots of the codes, for the histogram pass and for walking trees. */
  private readonly rowBins: Uint16Array | Uint32Array;
  private readonly sparse: SparseRows;
  private readonly selected: Uint8Array;
  private readonly best: SplitResult = newSplit();
  /** Leaf value of each row position after grow() (positions in idx). */
  readonly leafSegments: { s: number; e: number; value: number }[] = [];
  /** Split bin of each node of the last tree grown (non-missing codes < it go left). */
  lastSplitBins: Int32Array = new Int32Array(0);

  constructor(
    private readonly data: BinnedData,
    private readonly p: GrowParams,
  ) {
    const { ncol, nbins } = data;
    this.off = new Int32Array(ncol);
    let o = 0;
    for (let f = 0; f < ncol; f++) {
      this.off[f] = o;
      o += (nbins[f]! + 1) * 2;
    }
    this.histSize = o;
    this.gh = new Float64Array(2 * data.nrow);
    this.tmp = new Int32Array(data.nrow);
    const n = data.nrow;
    const rb = o / 2 <= 65536 ? new Uint16Array(n * ncol) : new Uint32Array(n * ncol);
    for (let f = 0; f < ncol; f++) {
      const col = data.codes.subarray(f * n, (f + 1) * n);
      const base = this.off[f]! >> 1;
      for (let r = 0, k = f; r < n; r++, k += ncol) rb[k] = base + col[r]!;
    }
    this.rowBins = rb;
    this.sparse = sparseRows(data, this.off, rb);
    this.selected = new Uint8Array(ncol);
  }

  private takeHist(): Float64Array {
    return this.pool.pop() ?? new Float64Array(this.histSize);
  }

  private buildFor(node: Node, idx: Int32Array, grad: Float32Array, hess: Float32Array, feats: Int32Array, nfeat: number, all: boolean): Float64Array {
    const hist = this.takeHist();
    clearHistogram(hist, this.off, this.data.nbins, feats, nfeat);
    const gh = this.gh;
    for (let i = node.s, j = 0; i < node.e; i++, j += 2) {
      const r = idx[i]!;
      gh[j] = grad[r]!;
      gh[j + 1] = hess[r]!;
    }
    buildHistogram(hist, this.sparse, idx, node.s, node.e, gh, all ? undefined : this.selected);
    fillDominant(hist, this.sparse, this.off, this.data.nbins, feats, nfeat, node.g, node.h);
    return hist;
  }

  /** Leaf of training row r in a tree this grower grew (split bins in `sb`). */
  leafOfRow(t: GbdtTree, sb: Int32Array, r: number): number {
    const rb = this.rowBins;
    const nc = this.data.ncol;
    const nbins = this.data.nbins;
    const off = this.off;
    const base = r * nc;
    let n = 0;
    while (t.left[n]! !== -1) {
      const f = t.feature[n]!;
      const slot = rb[base + f]!;
      const first = off[f]! >> 1;
      const goLeft = slot === first + nbins[f]! ? t.defaultLeft[n] === 1 : slot < first + sb[n]!;
      n = goLeft ? t.left[n]! : t.right[n]!;
    }
    return n;
  }

  /** Stable partition of idx[s..e): rows going left first; returns the first right position. */
  private partition(idx: Int32Array, s: number, e: number, f: number, splitBin: number, defaultLeft: boolean): number {
    const { codes, nrow, nbins } = this.data;
    const col = f * nrow;
    const miss = nbins[f]!;
    const tmp = this.tmp;
    let w = s;
    let t = 0;
    for (let i = s; i < e; i++) {
      const r = idx[i]!;
      const c = codes[col + r]!;
      if (c < splitBin || (defaultLeft && c === miss)) idx[w++] = r;
      else tmp[t++] = r;
    }
    idx.set(tmp.subarray(0, t), w);
    return w;
  }

  /**
   * Grows a tree on the rows idx[0..m) (ascending row numbers) with the features feats[0..nfeat)
   * (ascending). Fills leafSegments with the rows each leaf holds.
   */
  grow(idx: Int32Array, m: number, grad: Float32Array, hess: Float32Array, feats: Int32Array, nfeat: number): GbdtTree {
    const p = this.p;
    const left: number[] = [-1];
    const right: number[] = [-1];
    const parent: number[] = [2147483647];
    const feature: number[] = [0];
    const cond: number[] = [0];
    const dleft: number[] = [0];
    const bw: number[] = [0];
    const loss: number[] = [0];
    const sh: number[] = [0];
    const sbin: number[] = [0];
    this.leafSegments.length = 0;

    let G = 0;
    let H = 0;
    for (let i = 0; i < m; i++) {
      const r = idx[i]!;
      G += grad[r]!;
      H += hess[r]!;
    }
    const all = nfeat === this.data.ncol;
    this.selected.fill(0);
    for (let k = 0; k < nfeat; k++) this.selected[feats[k]!] = 1;
    const root: Node = { s: 0, e: m, g: G, h: H, depth: 0, hist: undefined };
    if (p.maxDepth > 0) root.hist = this.buildFor(root, idx, grad, hess, feats, nfeat, all);
    let level: Node[] = [root];
    let ids: number[] = [0];
    const best = this.best;
    while (level.length) {
      const nextLevel: Node[] = [];
      const nextIds: number[] = [];
      for (let k = 0; k < level.length; k++) {
        const node = level[k]!;
        const id = ids[k]!;
        const w = nodeWeight(node.g, node.h, p);
        sh[id] = node.h;
        let split = false;
        if (node.depth < p.maxDepth && node.hist) {
          findBestSplit(node.hist, this.off, this.data.nbins, feats, nfeat, node.g, node.h, p, best);
          const gain = Math.fround(best.gain);
          split = best.feature >= 0 && gain > RT_EPS && gain >= p.gamma && best.hl > 0 && best.hr > 0;
          if (split) loss[id] = gain;
        }
        if (!split) {
          const v = Math.fround(w * p.eta);
          cond[id] = v;
          bw[id] = v;
          left[id] = -1;
          right[id] = -1;
          if (node.hist) this.pool.push(node.hist);
          this.leafSegments.push({ s: node.s, e: node.e, value: v });
          continue;
        }
        const f = best.feature;
        const mid = this.partition(idx, node.s, node.e, f, best.splitBin, best.defaultLeft);
        const li = left.length;
        const ri = li + 1;
        for (const a of [left, right, parent, feature, cond, dleft, bw, loss, sh, sbin]) a.push(0, 0);
        left[id] = li;
        right[id] = ri;
        parent[li] = id;
        parent[ri] = id;
        feature[id] = f;
        cond[id] = thresholdOf(this.data, f, best.splitBin);
        dleft[id] = best.defaultLeft ? 1 : 0;
        sbin[id] = best.splitBin;
        bw[id] = Math.fround(w);
        const ln: Node = { s: node.s, e: mid, g: best.gl, h: best.hl, depth: node.depth + 1, hist: undefined };
        const rn: Node = { s: mid, e: node.e, g: best.gr, h: best.hr, depth: node.depth + 1, hist: undefined };
        if (node.depth + 1 < p.maxDepth) {
          const leftSmaller = mid - node.s <= node.e - mid;
          const small = leftSmaller ? ln : rn;
          const big = leftSmaller ? rn : ln;
          small.hist = this.buildFor(small, idx, grad, hess, feats, nfeat, all);
          subtractHistogram(node.hist!, small.hist, this.off, this.data.nbins, feats, nfeat);
          big.hist = node.hist;
        } else {
          this.pool.push(node.hist!);
        }
        node.hist = undefined;
        nextLevel.push(ln, rn);
        nextIds.push(li, ri);
      }
      level = nextLevel;
      ids = nextIds;
    }
    for (let id = 0; id < left.length; id++) if (left[id] === -1) feature[id] = 0;
    this.lastSplitBins = Int32Array.from(sbin);
    return {
      left: Int32Array.from(left),
      right: Int32Array.from(right),
      parent: Int32Array.from(parent),
      feature: Int32Array.from(feature),
      condition: Float32Array.from(cond),
      defaultLeft: Uint8Array.from(dleft),
      baseWeight: Float32Array.from(bw),
      lossChange: Float32Array.from(loss),
      sumHessian: Float32Array.from(sh),
    };
  }
}

/** The sparse row layout: each feature's most frequent code is left out of the rows. */
function sparseRows(data: BinnedData, off: Int32Array, rb: Uint16Array | Uint32Array): SparseRows {
  const { nrow, ncol, codes, nbins } = data;
  const dominant = new Int32Array(ncol);
  const counts = new Int32Array(257);
  let totalSlots = 0;
  for (let f = 0; f < ncol; f++) totalSlots = Math.max(totalSlots, (off[f]! >> 1) + nbins[f]! + 1);
  const featureOfSlot = totalSlots <= 65536 ? new Uint16Array(totalSlots) : new Uint32Array(totalSlots);
  let kept = 0;
  for (let f = 0; f < ncol; f++) {
    counts.fill(0);
    const col = codes.subarray(f * nrow, (f + 1) * nrow);
    for (let r = 0; r < nrow; r++) counts[col[r]!]++;
    let best = 0;
    for (let c = 1; c <= nbins[f]!; c++) if (counts[c]! > counts[best]!) best = c;
    dominant[f] = (off[f]! >> 1) + best;
    kept += nrow - counts[best]!;
    for (let c = 0; c <= nbins[f]!; c++) featureOfSlot[(off[f]! >> 1) + c] = f;
  }
  const start = new Int32Array(nrow + 1);
  const slots = rb instanceof Uint16Array ? new Uint16Array(kept) : new Uint32Array(kept);
  let k = 0;
  for (let r = 0, o = 0; r < nrow; r++, o += ncol) {
    start[r] = k;
    for (let f = 0; f < ncol; f++) {
      const slot = rb[o + f]!;
      if (slot !== dominant[f]) slots[k++] = slot;
    }
  }
  start[nrow] = k;
  return { start, slots, featureOfSlot, dominant };
}
