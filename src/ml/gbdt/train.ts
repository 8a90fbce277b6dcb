/**
 * trainGbdt: XGBoost-style histogram gradient boosting for binary:logistic (grad = p - y,
 * hess = p(1 - p), scaled by scale_pos_weight for positives), base_score 0.5 like XGBoost 1.7,
 * row subsample and column subsample per tree, missing values with learned default directions,
 * optional early stopping on a validation set. Deterministic for a seed.
 */
import { badInput } from '../../core/errors.js';
import { binMatrix } from './binning.js';
import { TreeGrower } from './grow.js';
import { type MatrixInput, isDense, matrixShape } from './matrix.js';
import { type GbdtModel, type GbdtTree, baseMargin } from './model.js';
import { type GbdtParams, resolveParams } from './params.js';
import { Rng } from './random.js';

export interface Validation {
  x: MatrixInput;
  y: ArrayLike<number>;
}

export interface TrainOptions {
  featureNames?: string[];
  /** Called after each round with the round number (1-based) and the validation logloss if any. */
  onRound?: (round: number, validLogloss?: number) => void;
}

export interface TrainResult {
  model: GbdtModel;
  /** Rounds kept in the model. */
  rounds: number;
  /** Validation logloss per round (empty without a validation set). */
  validLogloss: number[];
  bestIteration?: number;
}

/** Trains; returns the model with the rounds kept, the validation logloss per round and the best iteration. */
export function trainGbdt(x: MatrixInput, y: ArrayLike<number>, params: Partial<GbdtParams> = {}, valid?: Validation, opts: TrainOptions = {}): TrainResult {
  const p = resolveParams(params);
  const { nrow, ncol } = matrixShape(x);
  if (y.length !== nrow) throw badInput(`${nrow} rows but ${y.length} labels`);
  if (nrow === 0) throw badInput('no training rows');
  for (let i = 0; i < nrow; i++) {
    const v = y[i]!;
    if (!(v >= 0 && v <= 1)) throw badInput(`label of row ${i + 1} must be in [0, 1] for binary:logistic, got ${v}`);
  }
  if (p.early_stopping_rounds > 0 && !valid) throw badInput('early_stopping_rounds needs a validation set');
  if (valid && matrixShape(valid.x).ncol < ncol) throw badInput(`the validation set has ${matrixShape(valid.x).ncol} features, training has ${ncol}`);

  const data = binMatrix(x, p.max_bin);
  const grower = new TreeGrower(data, {
    maxDepth: p.max_depth,
    eta: p.eta,
    gamma: p.gamma,
    lambda: p.lambda,
    alpha: p.alpha,
    minChildWeight: p.min_child_weight,
  });
  const labels = Float32Array.from(y as ArrayLike<number>);
  const model: GbdtModel = {
    numFeature: ncol,
    baseScore: p.base_score,
    objective: 'binary:logistic',
    scalePosWeight: p.scale_pos_weight,
    trees: [],
    featureNames: opts.featureNames ? [...opts.featureNames] : [],
    featureTypes: opts.featureNames ? opts.featureNames.map(() => 'float') : [],
    attributes: {},
    version: [1, 7, 4],
    params: p,
  };
  const margin = new Float32Array(nrow).fill(baseMargin(model));
  const grad = new Float32Array(nrow);
  const hess = new Float32Array(nrow);
  const idx = new Int32Array(nrow);
  const inSample = new Uint8Array(nrow);
  const rng = new Rng(p.seed);
  const allFeats = new Int32Array(ncol).map((_, i) => i);
  const feats = new Int32Array(ncol);
  const spw = p.scale_pos_weight;

  const vd = valid ? denseOf(valid.x) : undefined;
  const vy = valid ? Float64Array.from(valid.y as ArrayLike<number>) : undefined;
  const vmargin = vd ? new Float32Array(vd.nrow).fill(baseMargin(model)) : undefined;
  const validLogloss: number[] = [];
  let bestScore = Infinity;
  let bestIter = -1;

  for (let round = 0; round < p.num_round; round++) {
    for (let i = 0; i < nrow; i++) {
      const pr = 1 / (1 + Math.exp(-margin[i]!));
      const w = labels[i]! === 1 ? spw : 1;
      grad[i] = (pr - labels[i]!) * w;
      hess[i] = Math.max(pr * (1 - pr), 1e-16) * w;
    }
    let m = 0;
    if (p.subsample < 1) {
      for (let i = 0; i < nrow; i++) {
        const keep = rng.next() < p.subsample;
        inSample[i] = keep ? 1 : 0;
        if (keep) idx[m++] = i;
      }
    } else {
      for (let i = 0; i < nrow; i++) idx[i] = i;
      m = nrow;
    }
    let nfeat = ncol;
    if (p.colsample_bytree < 1) {
      nfeat = Math.max(1, Math.floor(p.colsample_bytree * ncol));
      const perm = allFeats.slice();
      for (let i = 0; i < nfeat; i++) {
        const j = i + Math.floor(rng.next() * (ncol - i));
        const t = perm[i]!;
        perm[i] = perm[j]!;
        perm[j] = t;
      }
      const chosen = perm.subarray(0, nfeat).sort();
      feats.set(chosen);
    } else {
      feats.set(allFeats);
    }
    const tree = grower.grow(idx, m, grad, hess, feats, nfeat);
    model.trees.push(tree);
    // margins: sampled rows from their leaves, the others by walking the binned tree
    for (const seg of grower.leafSegments) {
      const v = seg.value;
      for (let i = seg.s; i < seg.e; i++) {
        const r = idx[i]!;
        margin[r] = margin[r]! + v;
      }
    }
    if (m < nrow) {
      const sb = grower.lastSplitBins;
      for (let r = 0; r < nrow; r++) if (!inSample[r]) margin[r] = margin[r]! + tree.condition[grower.leafOfRow(tree, sb, r)]!;
    }
    if (vd && vmargin && vy) {
      addTree(tree, vd, vmargin);
      const ll = logloss(vmargin, vy);
      validLogloss.push(ll);
      if (ll < bestScore) {
        bestScore = ll;
        bestIter = round;
      }
      opts.onRound?.(round + 1, ll);
      if (p.early_stopping_rounds > 0 && round - bestIter >= p.early_stopping_rounds) break;
    } else {
      opts.onRound?.(round + 1);
    }
  }
  let bestIteration: number | undefined;
  if (p.early_stopping_rounds > 0 && bestIter >= 0) {
    model.trees.length = bestIter + 1;
    bestIteration = bestIter;
    model.attributes.best_iteration = String(bestIter);
    model.attributes.best_ntree_limit = String(bestIter + 1);
    model.attributes.best_score = String(bestScore);
  }
  return { model, rounds: model.trees.length, validLogloss, bestIteration };
}

function denseOf(x: MatrixInput): { nrow: number; ncol: number; data: Float32Array } {
  if (isDense(x)) return x;
  const { nrow, ncol } = matrixShape(x);
  const data = new Float32Array(nrow * ncol);
  for (let c = 0; c < ncol; c++) for (let r = 0; r < nrow; r++) data[r * ncol + c] = x[c]![r]!;
  return { nrow, ncol, data };
}

function addTree(t: GbdtTree, d: { nrow: number; ncol: number; data: Float32Array }, out: Float32Array): void {
  const { left, right, feature, condition, defaultLeft } = t;
  const { nrow, ncol, data } = d;
  for (let r = 0, o = 0; r < nrow; r++, o += ncol) {
    let n = 0;
    while (left[n]! !== -1) {
      const v = data[o + feature[n]!]!;
      n = v !== v ? (defaultLeft[n] ? left[n]! : right[n]!) : v < condition[n]! ? left[n]! : right[n]!;
    }
    out[r] = out[r]! + condition[n]!;
  }
}

/** XGBoost's logloss of margins (probabilities clipped to [1e-16, 1 - 1e-16]). */
function logloss(margin: Float32Array, y: Float64Array): number {
  let s = 0;
  for (let i = 0; i < y.length; i++) {
    let pr = 1 / (1 + Math.exp(-margin[i]!));
    pr = Math.min(Math.max(pr, 1e-16), 1 - 1e-16);
    s += y[i]! > 0.5 ? -Math.log(pr) : -Math.log(1 - pr);
  }
  return y.length ? s / y.length : 0;
}
