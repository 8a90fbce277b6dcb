/**
 * XGBoost's JSON model format (Booster.save_model('m.json')): what quantflow writes, Python xgboost
 * 1.7 loads and predicts identically; and models saved by Python xgboost (1.x or 2.x JSON) load here.
 * Numeric parameters are strings; leaves hold their value in split_conditions.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { badInput } from '../../core/errors.js';
import { OBJECTIVES, type GbdtModel, type GbdtTree, type Objective } from './model.js';
import type { GbdtParams } from './params.js';
import { hasBinfHeader, modelFromXgboostBinary } from './xgboost-binary.js';

/** quantflow keeps its training parameters in a learner attribute (XGBoost keeps attributes as opaque strings). */
export const PARAMS_ATTRIBUTE = 'quantflow_params';


/** XGBoost writes floats like "5E-1"; any JS number string reads back. */
function numStr(v: number): string {
  return String(v).toUpperCase();
}

/** A float for XGBoost's JSON reader, which refuses an integer literal where it expects a float. */
function floatLiteral(v: number): string {
  if (!Number.isFinite(v)) return v > 0 ? '3.4028235E38' : v < 0 ? '-3.4028235E38' : '0.0';
  if (Object.is(v, -0)) return '-0.0';
  const s = String(v);
  return /[.eE]/.test(s) ? s : s + '.0';
}

class FloatArray {
  constructor(readonly values: ArrayLike<number>) {}
}

/** The JSON document (float arrays as FloatArray wrappers; use xgboostJsonText for the text). */
export function modelToXgboostJson(model: GbdtModel): object {
  const nf = String(model.numFeature);
  const trees = model.trees.map((t, id) => ({
    base_weights: new FloatArray(t.baseWeight),
    categories: [],
    categories_nodes: [],
    categories_segments: [],
    categories_sizes: [],
    default_left: Array.from(t.defaultLeft),
    id,
    left_children: Array.from(t.left),
    loss_changes: new FloatArray(t.lossChange),
    parents: Array.from(t.parent),
    right_children: Array.from(t.right),
    split_conditions: new FloatArray(t.condition),
    split_indices: Array.from(t.feature),
    split_type: new Array(t.left.length).fill(0),
    sum_hessian: new FloatArray(t.sumHessian),
    tree_param: { num_deleted: '0', num_feature: nf, num_nodes: String(t.left.length), size_leaf_vector: '0' },
  }));
  const objective: Record<string, unknown> = { name: model.objective };
  if (model.objective === 'reg:squarederror') objective.reg_loss_param = { scale_pos_weight: '1' };
  else objective.reg_loss_param = { scale_pos_weight: numStr(model.scalePosWeight) };
  return {
    learner: {
      attributes: model.params ? { ...model.attributes, [PARAMS_ATTRIBUTE]: JSON.stringify(model.params) } : { ...model.attributes },
      feature_names: [...model.featureNames],
      feature_types: [...model.featureTypes],
      gradient_booster: {
        model: {
          gbtree_model_param: { num_parallel_tree: '1', num_trees: String(trees.length), size_leaf_vector: '0' },
          tree_info: new Array(trees.length).fill(0),
          trees,
        },
        name: 'gbtree',
      },
      learner_model_param: {
        base_score: numStr(model.baseScore),
        boost_from_average: '1',
        num_class: '0',
        num_feature: nf,
        num_target: '1',
      },
      objective,
    },
    version: [...model.version],
  };
}

/** The model as XGBoost JSON text (float arrays always with a decimal point or exponent). */
export function xgboostJsonText(model: GbdtModel): string {
  const floats: FloatArray[] = [];
  const text = JSON.stringify(modelToXgboostJson(model), (_k, v: unknown) => {
    if (v instanceof FloatArray) {
      floats.push(v);
      return `@@F${floats.length - 1}@@`;
    }
    return v;
  });
  return text.replace(/"@@F(\d+)@@"/g, (_m, i: string) => {
    const a = floats[Number(i)]!.values;
    const parts = new Array<string>(a.length);
    for (let k = 0; k < a.length; k++) parts[k] = floatLiteral(a[k]!);
    return `[${parts.join(',')}]`;
  });
}

export function saveXgboostJson(model: GbdtModel, path: string): void {
  writeFileSync(path, xgboostJsonText(model));
}

/** Loads an XGBoost JSON model, or a legacy binary one (`binf` header, see xgboost-binary.ts). */
export function loadXgboostJson(path: string): GbdtModel {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw badInput(`cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  if (hasBinfHeader(bytes)) return modelFromXgboostBinary(new Uint8Array(bytes), path);
  const text = bytes.toString('utf8');
  if (!text.trimStart().startsWith('{')) throw badInput(`${path}: not an XGBoost JSON model (UBJSON and pickled models are not supported)`);
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw badInput(`${path}: invalid JSON: ${(e as Error).message}`);
  }
  return modelFromXgboostJson(doc, path);
}

type J = Record<string, unknown>;

function obj(v: unknown, what: string, src: string): J {
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw badInput(`${src}: not an XGBoost model: missing ${what}`);
  return v as J;
}

function num(v: unknown, what: string, src: string): number {
  // newer XGBoost writes base_score as "[5E-1]"
  const s = Array.isArray(v) ? v[0] : typeof v === 'string' ? v.replace(/^\[|\]$/g, '') : v;
  const n = Number(s);
  if (s === undefined || s === '' || !Number.isFinite(n)) throw badInput(`${src}: bad ${what}: ${JSON.stringify(v)}`);
  return n;
}

function arr(t: J, key: string, n: number, src: string, id: number, optional = false): number[] {
  const v = t[key];
  if (v === undefined && optional) return new Array(n).fill(0);
  if (!Array.isArray(v) || v.length !== n) throw badInput(`${src}: tree ${id}: ${key} must be an array of ${n} values`);
  return v.map((x) => (typeof x === 'boolean' ? (x ? 1 : 0) : Number(x)));
}

export function modelFromXgboostJson(doc: unknown, src = 'model'): GbdtModel {
  const root = obj(doc, 'the top-level object', src);
  const learner = obj(root.learner, 'learner', src);
  const lmp = obj(learner.learner_model_param, 'learner.learner_model_param', src);
  const objective = obj(learner.objective, 'learner.objective', src);
  const name = String(objective.name) as Objective;
  if (!(OBJECTIVES as readonly string[]).includes(name)) throw badInput(`${src}: objective "${String(objective.name)}" is not supported (supported: ${OBJECTIVES.join(', ')})`);
  const numClass = lmp.num_class === undefined ? 0 : num(lmp.num_class, 'num_class', src);
  if (numClass > 1) throw badInput(`${src}: multi-class models are not supported`);
  const gb = obj(learner.gradient_booster, 'learner.gradient_booster', src);
  if (gb.name !== 'gbtree') throw badInput(`${src}: booster "${String(gb.name)}" is not supported (only gbtree)`);
  const m = obj(gb.model, 'gradient_booster.model', src);
  const gmp = m.gbtree_model_param ? obj(m.gbtree_model_param, 'gbtree_model_param', src) : {};
  if (gmp.num_parallel_tree !== undefined && num(gmp.num_parallel_tree, 'num_parallel_tree', src) !== 1) {
    // parallel trees (random forests) still sum the same way; nothing to do
  }
  if (!Array.isArray(m.trees)) throw badInput(`${src}: gradient_booster.model.trees must be an array`);
  const numFeature = num(lmp.num_feature, 'num_feature', src);
  const trees: GbdtTree[] = m.trees.map((tv: unknown, id: number) => {
    const t = obj(tv, `tree ${id}`, src);
    const left = t.left_children;
    if (!Array.isArray(left)) throw badInput(`${src}: tree ${id}: left_children must be an array`);
    const n = left.length;
    if (Array.isArray(t.split_type) && t.split_type.some((x) => Number(x) !== 0)) throw badInput(`${src}: tree ${id}: categorical splits are not supported`);
    const tree: GbdtTree = {
      left: Int32Array.from(arr(t, 'left_children', n, src, id)),
      right: Int32Array.from(arr(t, 'right_children', n, src, id)),
      parent: Int32Array.from(arr(t, 'parents', n, src, id, true)),
      feature: Int32Array.from(arr(t, 'split_indices', n, src, id)),
      condition: Float32Array.from(arr(t, 'split_conditions', n, src, id)),
      defaultLeft: Uint8Array.from(arr(t, 'default_left', n, src, id)),
      baseWeight: Float32Array.from(arr(t, 'base_weights', n, src, id, true)),
      lossChange: Float32Array.from(arr(t, 'loss_changes', n, src, id, true)),
      sumHessian: Float32Array.from(arr(t, 'sum_hessian', n, src, id, true)),
    };
    for (let k = 0; k < n; k++) {
      const l = tree.left[k]!;
      const r = tree.right[k]!;
      if (l === -1) continue;
      if (l <= k || l >= n || r <= k || r >= n || tree.feature[k]! < 0 || tree.feature[k]! >= Math.max(numFeature, 1)) {
        throw badInput(`${src}: tree ${id}: node ${k} has bad children or split index`);
      }
    }
    return tree;
  });
  const rlp = objective.reg_loss_param as J | undefined;
  const attributes: Record<string, string> = {};
  if (learner.attributes && typeof learner.attributes === 'object') {
    for (const [k, v] of Object.entries(learner.attributes as J)) attributes[k] = String(v);
  }
  let params: GbdtParams | undefined;
  if (attributes[PARAMS_ATTRIBUTE]) {
    try {
      params = JSON.parse(attributes[PARAMS_ATTRIBUTE]) as GbdtParams;
    } catch {
      params = undefined;
    }
    delete attributes[PARAMS_ATTRIBUTE];
  }
  const version = Array.isArray(root.version) ? (root.version.slice(0, 3).map(Number) as [number, number, number]) : ([1, 7, 4] as [number, number, number]);
  return {
    numFeature,
    baseScore: num(lmp.base_score ?? '0.5', 'base_score', src),
    objective: name,
    scalePosWeight: rlp?.scale_pos_weight !== undefined ? num(rlp.scale_pos_weight, 'scale_pos_weight', src) : 1,
    trees,
    featureNames: Array.isArray(learner.feature_names) ? learner.feature_names.map(String) : [],
    featureTypes: Array.isArray(learner.feature_types) ? learner.feature_types.map(String) : [],
    attributes,
    version,
    ...(params ? { params } : {}),
  };
}
