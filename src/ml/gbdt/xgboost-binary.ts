/**
 * XGBoost's legacy binary model format (`Learner::SaveModel(dmlc::Stream*)`, what
 * `Booster.save_model("xgboost-model")` writes in XGBoost 1.x for a name not ending in .json, so what
 * SageMaker's built-in XGBoost containers 1.3-1 .. 1.7-1 put in model.tar.gz), read into the same
 * GbdtModel the JSON reader gives. gbtree with one output only; everything else is refused by name.
 *
 * Layout (little-endian, as DMLC_IO_NO_ENDIAN_SWAP holds on x86/arm hosts), from dmlc/xgboost
 * src/learner.cc (LearnerModelParamLegacy, LearnerIO::LoadModel(dmlc::Stream*)),
 * src/gbm/gbtree_model.h + gbtree_model.cc (GBTreeModelParam, GBTreeModel::Load),
 * include/xgboost/tree_model.h + src/tree/tree_model.cc (TreeParam, RegTree::Node, RTreeNodeStat,
 * RegTree::Load), and dmlc-core's serializer for strings and vectors (uint64 count, then the items):
 *
 *   ["binf"]                        optional 4-byte header (LoadModel skips it when present)
 *   LearnerModelParamLegacy, 136 B: f32 base_score, u32 num_feature, i32 num_class,
 *                                   i32 contain_extra_attrs, i32 contain_eval_metrics,
 *                                   u32 major_version, u32 minor_version, u32 num_target (1.6+),
 *                                   i32 boost_from_average (1.7+), reserved (static_assert size 136)
 *   string objective, string booster  (u64 length + bytes)
 *   GBTreeModelParam, 160 B:        i32 num_trees, i32 num_parallel_tree (was num_roots),
 *                                   i32 num_feature, i32 pad, i64 num_pbuffer, i32 num_output_group,
 *                                   i32 size_leaf_vector, i32 reserved[32]
 *   num_trees x RegTree:            TreeParam 148 B (i32 num_roots, num_nodes, num_deleted, max_depth,
 *                                   num_feature, size_leaf_vector, reserved[31]), then num_nodes Node
 *                                   of 20 B (i32 parent with bit 31 = "is left child", i32 cleft,
 *                                   i32 cright, u32 sindex with bit 31 = default left, f32 leaf value
 *                                   or split condition), then num_nodes RTreeNodeStat of 16 B
 *                                   (f32 loss_chg, f32 sum_hess, f32 base_weight, i32 leaf_child_cnt)
 *   i32 tree_info[num_trees]        (only when num_trees > 0)
 *   ("dart": vector<f32> weight_drop; refused here)
 *   when contain_extra_attrs != 0: vector<pair<string, string>> attributes, which carry the
 *                                   objective's JSON configuration under "objective" (1.0+)
 *
 * base_score: from 1.0 it is stored as given (a probability for the logistic objectives) and
 * ProbToMargin is applied at load time; before 1.0 (major_version 0) it was stored already
 * transformed, i.e. as a margin (the comment and branch in LearnerIO::LoadModel).
 * A deleted node (pruned) has sindex 0xFFFFFFFF; XGBoost keeps it in the arrays, and so does its JSON.
 */
import { readFileSync } from 'node:fs';
import { badInput } from '../../core/errors.js';
import { OBJECTIVES, type GbdtModel, type GbdtTree, type Objective } from './model.js';

const LEARNER_PARAM_BYTES = 136;
const GBTREE_PARAM_BYTES = 160;
const TREE_PARAM_BYTES = 148;
const NODE_BYTES = 20;
const STAT_BYTES = 16;
const DELETED = 0xffffffff;

/** True when the bytes start as a legacy binary model (with the `binf` header). */
export function hasBinfHeader(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x62 && bytes[1] === 0x69 && bytes[2] === 0x6e && bytes[3] === 0x66;
}

class Reader {
  at = 0;
  private readonly view: DataView;
  constructor(
    private readonly bytes: Uint8Array,
    private readonly src: string,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  get left(): number {
    return this.bytes.length - this.at;
  }
  fail(message: string, at = this.at): never {
    throw badInput(`${this.src}:${at}: ${message}`);
  }
  need(n: number, what: string): void {
    if (n > this.left) this.fail(`truncated in ${what} (${n} bytes needed, ${this.left} left, file size ${this.bytes.length})`);
  }
  i32(o: number): number {
    return this.view.getInt32(o, true);
  }
  u32(o: number): number {
    return this.view.getUint32(o, true);
  }
  f32(o: number): number {
    return this.view.getFloat32(o, true);
  }
  /** A dmlc string: u64 length + bytes. */
  string(what: string, maxLength: number): string {
    this.need(8, `the length of ${what}`);
    const lo = this.u32(this.at);
    const hi = this.u32(this.at + 4);
    if (hi !== 0 || lo > maxLength) this.fail(`bad length of ${what}: ${hi * 2 ** 32 + lo} (corrupt file, or not an XGBoost binary model)`);
    this.at += 8;
    this.need(lo, what);
    const s = Buffer.from(this.bytes.subarray(this.at, this.at + lo)).toString('latin1');
    this.at += lo;
    return s;
  }
}

/** The shortest decimal that reads back as the same float32, as XGBoost's JSON writes it. */
function float32Decimal(f: number): number {
  for (let p = 1; p <= 9; p++) {
    const v = Number(f.toPrecision(p));
    if (Math.fround(v) === f) return v;
  }
  return f;
}

export function loadXgboostBinary(path: string): GbdtModel {
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(readFileSync(path));
  } catch (e) {
    throw badInput(`cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  return modelFromXgboostBinary(bytes, path);
}

/**
 * Parses a legacy binary model. Errors are one line, `src:offset: what is wrong` (exit 2; offset in
 * bytes from the start of the file, "binf" included): a
 * truncated or corrupt file, or a variant quantflow does not score (dart, gblinear, multi-class,
 * multi-target, vector leaves, an unsupported objective).
 */
export function modelFromXgboostBinary(bytes: Uint8Array, src = 'model'): GbdtModel {
  const r = new Reader(bytes, src);
  if (bytes.length >= 4 && Buffer.from(bytes.subarray(0, 4)).toString('latin1') === 'bs64') r.fail('base64 ("bs64") models are not supported (XGBoost itself dropped them)');
  if (hasBinfHeader(bytes)) r.at = 4;
  if (bytes[r.at] === 0x7b) r.fail('this is a JSON or UBJSON model, not the legacy binary format');

  // LearnerModelParamLegacy
  const lp = r.at;
  r.need(LEARNER_PARAM_BYTES, 'the learner parameters');
  const baseScoreF32 = r.f32(lp);
  const numFeature = r.u32(lp + 4);
  const numClass = r.i32(lp + 8);
  const containExtraAttrs = r.i32(lp + 12);
  const major = r.u32(lp + 20);
  const minor = r.u32(lp + 24);
  const numTarget = r.u32(lp + 28);
  if (major > 99 || minor > 999) r.fail(`bad XGBoost version ${major}.${minor} in the learner parameters (corrupt file, or not an XGBoost binary model)`, lp + 20);
  if (numClass < 0) r.fail(`bad num_class ${numClass}`, lp + 8);
  if (numClass > 1) r.fail(`multi-class models are not supported (num_class ${numClass}); only binary:logistic-style single-output models are`, lp + 8);
  if (numTarget > 1) r.fail(`multi-target models are not supported (num_target ${numTarget})`, lp + 28);
  r.at += LEARNER_PARAM_BYTES;

  const objAt = r.at;
  let objectiveName = r.string('the objective name', 256);
  if (!/^[\x21-\x7e]+$/.test(objectiveName)) r.fail(`bad objective name ${JSON.stringify(objectiveName)} (corrupt file, or not an XGBoost binary model)`, objAt);
  if (objectiveName === 'reg:linear') objectiveName = 'reg:squarederror'; // XGBoost's deprecated alias
  const boosterAt = r.at;
  const booster = r.string('the booster name', 64);
  if (booster === 'dart') r.fail('booster "dart" is not supported (only gbtree): its per-tree drop weights are not read', boosterAt);
  if (booster === 'gblinear') r.fail('booster "gblinear" (a linear model) is not supported (only gbtree)', boosterAt);
  if (booster !== 'gbtree') r.fail(`unknown booster ${JSON.stringify(booster)} (expected gbtree)`, boosterAt);
  if (!(OBJECTIVES as readonly string[]).includes(objectiveName as Objective)) r.fail(`objective "${objectiveName}" is not supported (supported: ${OBJECTIVES.join(', ')})`, objAt);
  const objective = objectiveName as Objective;

  // GBTreeModelParam
  const gp = r.at;
  r.need(GBTREE_PARAM_BYTES, 'the gbtree parameters');
  const numTrees = r.i32(gp);
  const numOutputGroup = r.i32(gp + 24);
  const gbLeafVector = r.i32(gp + 28);
  r.at += GBTREE_PARAM_BYTES;
  if (numTrees < 0 || numTrees * (TREE_PARAM_BYTES + NODE_BYTES + STAT_BYTES + 4) > r.left) {
    r.fail(numTrees < 0 ? `bad num_trees ${numTrees}` : `truncated in the trees (num_trees ${numTrees}: at least ${numTrees * (TREE_PARAM_BYTES + NODE_BYTES + STAT_BYTES + 4)} bytes needed, ${r.left} left, file size ${bytes.length})`, gp);
  }
  if (numOutputGroup > 1) r.fail(`multi-output models are not supported (num_output_group ${numOutputGroup})`, gp + 24);
  if (gbLeafVector !== 0) r.fail(`vector-leaf trees are not supported (size_leaf_vector ${gbLeafVector})`, gp + 28);

  const trees: GbdtTree[] = [];
  for (let id = 0; id < numTrees; id++) trees.push(readTree(r, id, numFeature));

  if (numTrees > 0) {
    r.need(4 * numTrees, 'tree_info');
    for (let k = 0; k < numTrees; k++) {
      const g = r.i32(r.at + 4 * k);
      if (g !== 0) r.fail(`tree ${k} belongs to output group ${g}: multi-class / multi-output models are not supported`, r.at + 4 * k);
    }
    r.at += 4 * numTrees;
  }

  const attributes: Record<string, string> = {};
  if (containExtraAttrs !== 0) {
    const countAt = r.at;
    r.need(8, 'the number of attributes');
    const lo = r.u32(r.at);
    const hi = r.u32(r.at + 4);
    if (hi !== 0 || lo * 16 > r.left - 8) r.fail(`bad number of attributes ${hi * 2 ** 32 + lo} for the ${r.left - 8} bytes left`, countAt);
    r.at += 8;
    for (let k = 0; k < lo; k++) {
      const key = r.string(`attribute ${k}'s name`, 1 << 20);
      attributes[key] = r.string(`attribute "${key}"`, 1 << 26);
    }
  }

  // LoadModel takes the objective's configuration (JSON, 1.0+) and the metrics out of the attributes.
  let scalePosWeight = 1;
  const objectiveJson = attributes.objective;
  delete attributes.objective;
  delete attributes.metrics;
  delete attributes.count_poisson_max_delta_step;
  if (objectiveJson !== undefined) {
    try {
      const spw = (JSON.parse(objectiveJson) as { reg_loss_param?: { scale_pos_weight?: string } }).reg_loss_param?.scale_pos_weight;
      if (spw !== undefined && Number.isFinite(Number(spw))) scalePosWeight = Number(spw);
    } catch {
      r.fail(`the "objective" attribute is not JSON: ${objectiveJson.slice(0, 60)}`);
    }
  }

  const logistic = objective !== 'reg:squarederror';
  let baseScore = float32Decimal(baseScoreF32);
  if (major === 0 && logistic) {
    // Before 1.0 the learner saved base_score already through ProbToMargin.
    baseScore = 1 / (1 + Math.exp(-baseScoreF32));
  }
  if (!Number.isFinite(baseScore)) r.fail(`bad base_score ${baseScoreF32}`, lp);
  if (logistic && !(baseScore > 0 && baseScore < 1)) r.fail(`base_score ${baseScore} is not a probability, as ${objective} needs`, lp);

  return {
    numFeature,
    baseScore,
    objective,
    scalePosWeight,
    trees,
    featureNames: [],
    featureTypes: [],
    attributes,
    version: [major, minor, 0],
  };
}

function readTree(r: Reader, id: number, numFeature: number): GbdtTree {
  const tp = r.at;
  r.need(TREE_PARAM_BYTES, `tree ${id}'s parameters`);
  const numRoots = r.i32(tp);
  const n = r.i32(tp + 4);
  const numDeleted = r.i32(tp + 8);
  const leafVector = r.i32(tp + 20);
  if (n < 1) r.fail(`tree ${id}: bad num_nodes ${n}`, tp + 4);
  if (numRoots !== 1) r.fail(`tree ${id}: ${numRoots} roots are not supported (XGBoost writes 1)`, tp);
  if (leafVector !== 0) r.fail(`tree ${id}: vector leaves are not supported (size_leaf_vector ${leafVector})`, tp + 20);
  r.at += TREE_PARAM_BYTES;
  r.need(n * (NODE_BYTES + STAT_BYTES), `tree ${id}'s ${n} nodes and their statistics`);
  const t: GbdtTree = {
    left: new Int32Array(n),
    right: new Int32Array(n),
    parent: new Int32Array(n),
    feature: new Int32Array(n),
    condition: new Float32Array(n),
    defaultLeft: new Uint8Array(n),
    baseWeight: new Float32Array(n),
    lossChange: new Float32Array(n),
    sumHessian: new Float32Array(n),
  };
  const nodes = r.at;
  let deleted = 0;
  for (let k = 0, o = nodes; k < n; k++, o += NODE_BYTES) {
    // JSON's "parents" hold Parent(), the index without the is-left-child bit (root: 0x7FFFFFFF)
    t.parent[k] = r.u32(o) & 0x7fffffff;
    t.left[k] = r.i32(o + 4);
    t.right[k] = r.i32(o + 8);
    const sindex = r.u32(o + 12);
    if (k > 0 && sindex === DELETED) deleted++;
    t.feature[k] = sindex & 0x7fffffff;
    t.defaultLeft[k] = sindex >>> 31;
    t.condition[k] = r.f32(o + 16);
  }
  for (let k = 0, o = nodes; k < n; k++, o += NODE_BYTES) {
    const l = t.left[k]!;
    if (l === -1) continue;
    const rr = t.right[k]!;
    if (l <= k || l >= n || rr <= k || rr >= n) r.fail(`tree ${id}: node ${k} has bad children ${l}, ${rr} (the tree has ${n} nodes)`, o + 4);
    if (t.feature[k]! >= Math.max(numFeature, 1)) r.fail(`tree ${id}: node ${k} splits on feature ${t.feature[k]}, the model has ${numFeature}`, o + 12);
  }
  if (deleted !== numDeleted) r.fail(`tree ${id}: ${deleted} deleted nodes where num_deleted says ${numDeleted}`, tp + 8);
  r.at += n * NODE_BYTES;
  for (let k = 0, o = r.at; k < n; k++, o += STAT_BYTES) {
    t.lossChange[k] = r.f32(o);
    t.sumHessian[k] = r.f32(o + 4);
    t.baseWeight[k] = r.f32(o + 8);
  }
  r.at += n * STAT_BYTES;
  return t;
}
