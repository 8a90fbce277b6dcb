/**
 * GBDT hyper-parameters, named and defaulted like SageMaker's built-in XGBoost as the original system
 * configured it (num_round 500, max_depth 5, eta 0.2, gamma 4, min_child_weight 6, subsample 0.7).
 */
import { badInput } from '../../core/errors.js';

export interface GbdtParams {
  num_round: number;
  max_depth: number;
  eta: number;
  /** min_split_loss: a split is kept only when its loss change is at least gamma. */
  gamma: number;
  min_child_weight: number;
  subsample: number;
  colsample_bytree: number;
  lambda: number;
  alpha: number;
  scale_pos_weight: number;
  /** At most this many bins per feature (capped at 255: one uint8 code is kept for missing values). */
  max_bin: number;
  seed: number;
  /** Stop when the validation logloss has not improved for this many rounds (0 = off; needs a validation set). */
  early_stopping_rounds: number;
  /** The base score (probability). XGBoost 1.7's default is 0.5 (margin 0). */
  base_score: number;
}

export const DEFAULT_PARAMS: Readonly<GbdtParams> = Object.freeze({
  num_round: 500,
  max_depth: 5,
  eta: 0.2,
  gamma: 4,
  min_child_weight: 6,
  subsample: 0.7,
  colsample_bytree: 1,
  lambda: 1,
  alpha: 0,
  scale_pos_weight: 1,
  max_bin: 256,
  seed: 0,
  early_stopping_rounds: 0,
  base_score: 0.5,
});

const RANGES: Record<keyof GbdtParams, { min: number; max: number; int?: boolean; minOpen?: boolean }> = {
  num_round: { min: 1, max: 1e6, int: true },
  max_depth: { min: 1, max: 30, int: true },
  eta: { min: 0, max: 1, minOpen: true },
  gamma: { min: 0, max: Infinity },
  min_child_weight: { min: 0, max: Infinity },
  subsample: { min: 0, max: 1, minOpen: true },
  colsample_bytree: { min: 0, max: 1, minOpen: true },
  lambda: { min: 0, max: Infinity },
  alpha: { min: 0, max: Infinity },
  scale_pos_weight: { min: 0, max: Infinity, minOpen: true },
  max_bin: { min: 2, max: 1 << 20, int: true },
  seed: { min: 0, max: 2 ** 32 - 1, int: true },
  early_stopping_rounds: { min: 0, max: 1e6, int: true },
  base_score: { min: 0, max: 1, minOpen: true },
};

/** Fills defaults and checks every value; throws a one-line user error for a bad one. */
export function resolveParams(p: Partial<GbdtParams> = {}): GbdtParams {
  const out = { ...DEFAULT_PARAMS } as GbdtParams;
  for (const [k, v] of Object.entries(p)) {
    if (v === undefined) continue;
    const key = k as keyof GbdtParams;
    const r = RANGES[key];
    if (!r) throw badInput(`unknown GBDT parameter "${k}" (known: ${Object.keys(RANGES).join(', ')})`);
    const n = Number(v);
    const ok = Number.isFinite(n) && n <= r.max && (r.minOpen ? n > r.min : n >= r.min) && (!r.int || Number.isInteger(n));
    if (!ok) {
      const range = `${r.minOpen ? '(' : '['}${r.min}, ${r.max === Infinity ? 'inf)' : r.max + ']'}`;
      throw badInput(`GBDT parameter ${k} must be ${r.int ? 'a whole number ' : ''}in ${range}, got ${String(v)}`);
    }
    out[key] = n;
  }
  if (out.base_score >= 1) throw badInput('GBDT parameter base_score must be below 1');
  return out;
}

/** Parses `k=v` pairs (the `--params` form); names accept `-` for `_`. */
export function parseParamPairs(pairs: string[]): Partial<GbdtParams> {
  const out: Record<string, number> = {};
  for (const pair of pairs) {
    const i = pair.indexOf('=');
    if (i <= 0) throw badInput(`expected key=value, got "${pair}"`);
    const k = pair.slice(0, i).trim().replace(/-/g, '_');
    const v = Number(pair.slice(i + 1).trim());
    if (!(k in RANGES)) throw badInput(`unknown GBDT parameter "${k}" (known: ${Object.keys(RANGES).join(', ')})`);
    if (!Number.isFinite(v)) throw badInput(`GBDT parameter ${k} expects a number, got "${pair.slice(i + 1)}"`);
    out[k] = v;
  }
  return out as Partial<GbdtParams>;
}
