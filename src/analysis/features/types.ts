/**
 * A feature set: a named family of columns computed per stock and day from its bars (`ma`, `bbands`,
 * `talib_pattern`, `kbar`, `indicator`). Each set is stored as one unit per stock (see ../store.ts).
 */
import type { Bars } from '../../market/bars.js';

export type FeatureColumn = Float64Array | Int32Array;

export interface FeatureSet {
  name: string;
  /** A canonical description of the options; when it changes, stored values are recomputed in full. */
  spec: string;
  columns: readonly string[];
  /** 'float' columns are stored as Float32, 'int' (the pattern values 0/±80/±100/±200) as Int16. */
  kind: 'float' | 'int';
  /** How many bars before a day its value reads (SMA233 -> 232, plus the delta's n). */
  lookback: number;
  /** False when a value depends on all history (EMA-seeded indicators): always recomputed in full. */
  incremental: boolean;
  /**
   * One column per name, each of bars' length. `offset` is the absolute index of bars[0] in the
   * stock's full history (rolling sums re-anchor on that grid; see indicators/rolling.ts).
   */
  compute(bars: Bars, offset: number): Record<string, FeatureColumn>;
  /**
   * Optional, the same values as `compute`, but the columns may be views of a buffer the set reuses:
   * they are overwritten by the next `computeTransient` call. Only for a caller that is done with
   * them before that (the market pass encodes each stock's columns at once); saves allocating and
   * zeroing a block per stock.
   */
  computeTransient?(bars: Bars, offset: number): Record<string, FeatureColumn>;
}
