/**
 * One stock's pass: read its bars and what is stored, decide per feature set / signal whether the
 * stored values are current (skip), extend them (only the new days, computed from the lookback
 * they need, starting on the rolling-sum anchor grid so the values equal a full pass bit for bit)
 * or recompute them in full (new stock, changed options, changed history), and return the rows to
 * write. Pure apart from reading the store, so worker threads can run it.
 */
import type { Db } from '../../core/db.js';
import { sliceBars, type Bars } from '../../market/bars.js';
import { anchorStart } from '../indicators/rolling.js';
import { barsFingerprint, decodeColumns, encodeColumns, readSet, readSetHeads, readSignalState, type SetWrite, type SignalWrite, type StoredSetHead } from '../store.js';
import type { SignalDef } from '../signals/types.js';
import type { FeatureColumn, FeatureSet } from './types.js';

export type Mode = 'skip' | 'append' | 'full';

export interface SymbolResult {
  code: string;
  bars: number;
  sets: SetWrite[];
  signals: SignalWrite[];
  modes: Record<string, Mode>;
}

/** The set's columns for `bars`, through its reusable buffer when it has one: consume them before the next call. */
function computeOnce(set: FeatureSet, bars: Bars, offset: number): Record<string, FeatureColumn> {
  return set.computeTransient ? set.computeTransient(bars, offset) : set.compute(bars, offset);
}

function concat(kind: 'float' | 'int', a: Float64Array, b: FeatureColumn): FeatureColumn {
  const out = kind === 'float' ? new Float64Array(a.length + b.length) : new Int32Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

export function computeSetFor(db: Db, bars: Bars, set: FeatureSet, head: StoredSetHead | undefined, fp: (n: number) => number): { mode: Mode; write?: SetWrite } {
  const n = bars.dates.length;
  const valid =
    head !== undefined && head.spec === set.spec && head.n > 0 && head.n <= n && bars.dates[head.n - 1] === head.lastDate &&
    head.meta.length === set.columns.length && head.meta.every((m, i) => m.name === set.columns[i]) && head.fingerprint === fp(head.n);
  if (valid && head.n === n) return { mode: 'skip' };
  let cols: Record<string, FeatureColumn>;
  let mode: Mode;
  if (valid && set.incremental) {
    mode = 'append';
    const start = anchorStart(head.n, set.lookback);
    const part = computeOnce(set, sliceBars(bars, start), start);
    const stored = readSet(db, bars.code, set.name)!;
    const old = decodeColumns(stored.meta, stored.data, stored.n);
    cols = {};
    for (const c of set.columns) cols[c] = concat(set.kind, old[c]!, part[c]!.subarray(head.n - start));
  } else {
    mode = 'full';
    cols = computeOnce(set, bars, 0);
  }
  // encoded (copied) right away: `cols` may live in the set's reusable buffer
  const { meta, data } = encodeColumns(cols, set.columns, set.kind, n);
  return { mode, write: { code: bars.code, setName: set.name, spec: set.spec, meta, dates: bars.dates.slice(), data, fingerprint: fp(n) } };
}

export function computeSignalFor(db: Db, bars: Bars, sig: SignalDef, fp: (n: number) => number): { mode: Mode; write?: SignalWrite } {
  const n = bars.dates.length;
  const st = readSignalState(db, sig.name, bars.code);
  const valid = st !== undefined && st.spec === sig.spec && st.n > 0 && st.n <= n && bars.dates[st.n - 1] === st.lastDate && st.fingerprint === fp(st.n);
  if (valid && st.n === n) return { mode: 'skip' };
  const common = { name: sig.name, code: bars.code, spec: sig.spec, n, lastDate: bars.dates[n - 1]!, fingerprint: fp(n) };
  if (valid) {
    const start = anchorStart(st.n, sig.lookback);
    const buy = sig.compute(sliceBars(bars, start), start);
    return { mode: 'append', write: { ...common, replace: false, dates: bars.dates.slice(st.n), buy: buy.slice(st.n - start) } };
  }
  return { mode: 'full', write: { ...common, replace: true, dates: bars.dates.slice(), buy: sig.compute(bars, 0) } };
}

/** Computes what to write for one stock; indices get features but no signals. */
export function computeSymbol(db: Db, bars: Bars, isIndex: boolean, sets: readonly FeatureSet[], signals: readonly SignalDef[]): SymbolResult {
  const res: SymbolResult = { code: bars.code, bars: bars.dates.length, sets: [], signals: [], modes: {} };
  if (bars.dates.length === 0) return res;
  const fps = new Map<number, number>();
  const fp = (k: number) => {
    let v = fps.get(k);
    if (v === undefined) fps.set(k, (v = barsFingerprint(bars, k)));
    return v;
  };
  const heads = sets.length > 0 ? readSetHeads(db, bars.code) : [];
  for (const set of sets) {
    const r = computeSetFor(db, bars, set, heads.find((h) => h.setName === set.name), fp);
    res.modes[set.name] = r.mode;
    if (r.write) res.sets.push(r.write);
  }
  if (!isIndex) {
    for (const sig of signals) {
      const r = computeSignalFor(db, bars, sig, fp);
      res.modes[`signal:${sig.name}`] = r.mode;
      if (r.write) res.signals.push(r.write);
    }
  }
  return res;
}
