/**
 * A trained GBDT in XGBoost's own terms (one tree = parallel node arrays, a leaf has left = -1 and
 * its value, eta applied, in `condition`), prediction and feature importance.
 */
import { badInput } from '../../core/errors.js';
import type { GbdtParams } from './params.js';
import { type MatrixInput, isDense, matrixShape } from './matrix.js';

export interface GbdtTree {
  left: Int32Array;
  right: Int32Array;
  parent: Int32Array;
  /** Split feature (0 at leaves). */
  feature: Int32Array;
  /** Split threshold (go left when x < condition, compared in float32) or leaf value. */
  condition: Float32Array;
  defaultLeft: Uint8Array;
  baseWeight: Float32Array;
  lossChange: Float32Array;
  sumHessian: Float32Array;
}

/** The XGBoost objectives a model may have (the JSON and binary readers accept these). */
export const OBJECTIVES = ['binary:logistic', 'reg:logistic', 'binary:logitraw', 'reg:squarederror'] as const;
export type Objective = (typeof OBJECTIVES)[number];

export interface GbdtModel {
  numFeature: number;
  /** base_score as XGBoost stores it (a probability for the logistic objectives). */
  baseScore: number;
  objective: Objective;
  scalePosWeight: number;
  trees: GbdtTree[];
  featureNames: string[];
  featureTypes: string[];
  attributes: Record<string, string>;
  /** XGBoost version written into / read from the JSON. */
  version: [number, number, number];
  /** Training parameters when quantflow trained it. */
  params?: GbdtParams;
}

/** The base margin: logit(base_score) for the logistic objectives, base_score itself otherwise. */
export function baseMargin(model: GbdtModel): number {
  if (model.objective === 'reg:squarederror') return model.baseScore;
  const p = model.baseScore;
  return Math.fround(-Math.log(1 / p - 1));
}

export function isLogistic(model: GbdtModel): boolean {
  return model.objective === 'binary:logistic' || model.objective === 'reg:logistic';
}

interface Forest {
  roots: Int32Array;
  left: Int32Array;
  right: Int32Array;
  feature: Int32Array;
  condition: Float32Array;
  defaultLeft: Uint8Array;
}

/** All trees in one set of arrays (absolute child indices), for a row-outer prediction loop. */
function packForest(trees: GbdtTree[]): Forest {
  let total = 0;
  for (const t of trees) total += t.left.length;
  const f: Forest = {
    roots: new Int32Array(trees.length),
    left: new Int32Array(total),
    right: new Int32Array(total),
    feature: new Int32Array(total),
    condition: new Float32Array(total),
    defaultLeft: new Uint8Array(total),
  };
  let o = 0;
  trees.forEach((t, k) => {
    f.roots[k] = o;
    for (let n = 0; n < t.left.length; n++) {
      f.left[o + n] = t.left[n] === -1 ? -1 : t.left[n]! + o;
      f.right[o + n] = t.right[n] === -1 ? -1 : t.right[n]! + o;
    }
    f.feature.set(t.feature, o);
    f.condition.set(t.condition, o);
    f.defaultLeft.set(t.defaultLeft, o);
    o += t.left.length;
  });
  return f;
}

/**
 * Raw margins, summed in float32 tree by tree like XGBoost's CPU predictor. `ntrees` limits the
 * trees used (default all).
 */
export function predictMargin(model: GbdtModel, x: MatrixInput | { nrow: number; ncol: number; data: Float64Array }, ntrees?: number): Float32Array {
  const dense = toDense(x);
  const { nrow, ncol } = dense;
  if (ncol < model.numFeature) throw badInput(`the model needs ${model.numFeature} features, the data has ${ncol}`);
  // float32 comparisons, as XGBoost: a float64 input is rounded to float32 first
  const data = dense.data instanceof Float32Array ? dense.data : Float32Array.from(dense.data);
  const out = new Float32Array(nrow);
  const base = baseMargin(model);
  const nt = Math.min(ntrees ?? model.trees.length, model.trees.length);
  const { roots, left, right, feature, condition, defaultLeft } = packForest(model.trees.slice(0, nt));
  for (let r = 0, o = 0; r < nrow; r++, o += ncol) {
    let m = base;
    for (let k = 0; k < nt; k++) {
      let n = roots[k]!;
      while (left[n]! !== -1) {
        const v = data[o + feature[n]!]!;
        if (v !== v) n = defaultLeft[n] ? left[n]! : right[n]!;
        else n = v < condition[n]! ? left[n]! : right[n]!;
      }
      m = Math.fround(m + condition[n]!);
    }
    out[r] = m;
  }
  return out;
}

/** Probabilities for the logistic objectives (the margin otherwise), one per row. */
export function predict(model: GbdtModel, x: MatrixInput | { nrow: number; ncol: number; data: Float64Array }, ntrees?: number): Float64Array {
  const m = predictMargin(model, x, ntrees);
  const out = new Float64Array(m.length);
  const logistic = isLogistic(model);
  for (let i = 0; i < m.length; i++) out[i] = logistic ? Math.fround(1 / (1 + Math.exp(-m[i]!))) : m[i]!;
  return out;
}

function toDense(x: MatrixInput | { nrow: number; ncol: number; data: Float64Array }): { nrow: number; ncol: number; data: Float32Array | Float64Array } {
  if (Array.isArray(x)) {
    const { nrow, ncol } = matrixShape(x);
    const data = new Float32Array(nrow * ncol);
    for (let c = 0; c < ncol; c++) {
      const col = x[c]!;
      for (let r = 0; r < nrow; r++) data[r * ncol + c] = col[r]!;
    }
    return { nrow, ncol, data };
  }
  if (isDense(x as MatrixInput)) return x as { nrow: number; ncol: number; data: Float32Array | Float64Array };
  return x as { nrow: number; ncol: number; data: Float64Array };
}

export interface FeatureImportance {
  feature: string;
  /** Number of splits on the feature. */
  weight: number;
  /** Average loss change of its splits (XGBoost's "gain"). */
  gain: number;
  /** Average hessian sum of its splits (XGBoost's "cover"). */
  cover: number;
  totalGain: number;
  totalCover: number;
}

/** Importance of every feature used by at least one split, by total gain descending. */
export function featureImportance(model: GbdtModel): FeatureImportance[] {
  const nf = model.numFeature;
  const w = new Float64Array(nf);
  const g = new Float64Array(nf);
  const c = new Float64Array(nf);
  for (const t of model.trees) {
    for (let n = 0; n < t.left.length; n++) {
      if (t.left[n] === -1) continue;
      const f = t.feature[n]!;
      if (f >= nf) continue;
      w[f] += 1;
      g[f] += t.lossChange[n]!;
      c[f] += t.sumHessian[n]!;
    }
  }
  const out: FeatureImportance[] = [];
  for (let f = 0; f < nf; f++) {
    if (w[f] === 0) continue;
    out.push({ feature: featureName(model, f), weight: w[f]!, gain: g[f]! / w[f]!, cover: c[f]! / w[f]!, totalGain: g[f]!, totalCover: c[f]! });
  }
  return out.sort((a, b) => b.totalGain - a.totalGain);
}

export function featureName(model: GbdtModel, f: number): string {
  return model.featureNames[f] ?? `f${f}`;
}
