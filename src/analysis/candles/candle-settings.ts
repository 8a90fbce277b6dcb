/**
 * TA-Lib's candle settings (the defaults of TA-Lib 0.6) and the shared per-bar quantities every
 * pattern reads: real body, high-low range, shadows, colour, and the rolling "period total"
 * averages that turn a setting into a threshold.
 *
 * Exactness notes (why the averages are cached by (setting, first index) and not just by setting):
 * TA-Lib keeps one running sum per setting and per offset bar. Each sum starts at 0, adds the
 * ranges of the `period` bars `[first, first+period)` one by one, and then slides by
 * `total += range(t) - range(t - period)` (the difference is rounded first, then added). The
 * value the sum holds at bar t therefore depends, in its last bits, on where it started; so the
 * cache key includes `first`, which each pattern derives from its lookback exactly as TA-Lib does.
 * The threshold itself is `factor * (total / period) / (Shadows ? 2 : 1)`, evaluated in that order.
 */

export const enum RangeType {
  RealBody = 0,
  HighLow = 1,
  Shadows = 2,
}

export interface CandleSetting {
  readonly name: string;
  readonly rangeType: RangeType;
  readonly period: number;
  readonly factor: number;
}

/** Indexes into SETTINGS. */
export const S = {
  BodyLong: 0,
  BodyVeryLong: 1,
  BodyShort: 2,
  BodyDoji: 3,
  ShadowLong: 4,
  ShadowVeryLong: 5,
  ShadowShort: 6,
  ShadowVeryShort: 7,
  Near: 8,
  Far: 9,
  Equal: 10,
} as const;
export type SettingId = (typeof S)[keyof typeof S];

/** TA_RestoreCandleDefaultSettings: range type, averaging period, factor. */
export const SETTINGS: readonly CandleSetting[] = [
  { name: 'BodyLong', rangeType: RangeType.RealBody, period: 10, factor: 1.0 },
  { name: 'BodyVeryLong', rangeType: RangeType.RealBody, period: 10, factor: 3.0 },
  { name: 'BodyShort', rangeType: RangeType.RealBody, period: 10, factor: 1.0 },
  { name: 'BodyDoji', rangeType: RangeType.HighLow, period: 10, factor: 0.1 },
  { name: 'ShadowLong', rangeType: RangeType.RealBody, period: 0, factor: 1.0 },
  { name: 'ShadowVeryLong', rangeType: RangeType.RealBody, period: 0, factor: 2.0 },
  { name: 'ShadowShort', rangeType: RangeType.Shadows, period: 10, factor: 1.0 },
  { name: 'ShadowVeryShort', rangeType: RangeType.HighLow, period: 10, factor: 0.1 },
  { name: 'Near', rangeType: RangeType.HighLow, period: 5, factor: 0.2 },
  { name: 'Far', rangeType: RangeType.HighLow, period: 5, factor: 0.6 },
  { name: 'Equal', rangeType: RangeType.HighLow, period: 5, factor: 0.05 },
];

export function periodOf(s: SettingId): number {
  return SETTINGS[s]!.period;
}

/**
 * Settings with the same range type, period and factor have identical averages (BodyLong and
 * BodyShort; BodyDoji and ShadowVeryShort): the cache keys them by the first such setting.
 */
const SAME_AS: readonly number[] = SETTINGS.map((a) =>
  SETTINGS.findIndex((b) => b.rangeType === a.rangeType && b.period === a.period && b.factor === a.factor),
);

/**
 * Per-bar flags: exact booleans of one bar (and its relation to the bar before), each the very
 * comparison the patterns make, so a pattern can test several of them, over several bars, in ONE
 * integer comparison of `CandleContext.flags` before its own conditions.
 *
 * Why: most multi-bar patterns start with colour tests (`K[i-2] === 1 && K[i-1] === -1 && ...`)
 * that are true about half the time each, so the CPU mispredicts those branches on a large share of
 * the bars and that, not the arithmetic, is what the loops cost. One test of a flag word, true on
 * 1/8 of the bars or fewer, is a well-predicted branch; the pattern's own conditions (unchanged, colour
 * tests included) then only run on the few bars that pass, so the outputs cannot change as long as
 * the prefilter is implied by them.
 */
export const enum Flag {
  /** C >= O (TA-Lib's colour: a doji with C == O is white), as `color` */
  White = 1,
  /** real-body gap up: min(O, C) > max(O, C) of the prior bar (`bottom[i] > top[i-1]`) */
  GapUp = 2,
  /** real-body gap down: `top[i] < bottom[i-1]` */
  GapDown = 4,
  /** the body covers the prior body: `top[i] >= top[i-1] && bottom[i] <= bottom[i-1]` */
  Engulfs = 8,
  /** the body lies within the prior body: `top[i] <= top[i-1] && bottom[i] >= bottom[i-1]` */
  InsideBody = 16,
  /** inside bar: `high[i] < high[i-1] && low[i] > low[i-1]` */
  InsideBar = 32,
}
/** Bits per bar in a flag word; the word holds the current bar and the 4 before it. */
const FLAG_BITS = 6;
const FLAG_BARS = 5;
const FLAG_CHARS: Record<string, number> = { W: Flag.White, '^': Flag.GapUp, v: Flag.GapDown, E: Flag.Engulfs, H: Flag.InsideBody, I: Flag.InsideBar };

/** A flag-word prefilter: `(ctx.flags[i] & mask) === want`. */
export interface FlagTest {
  readonly mask: number;
  readonly want: number;
}

/**
 * The prefilter for a run of bars, oldest first, the last one being bar i. Each bar's spec is a
 * string of: `W` white, `B` black, `^` body gap up from the bar before, `v` body gap down, `E` body
 * engulfs the prior body, `H` body inside the prior body, `I` inside bar; `.` (or '') for anything.
 * Example: `need('W', 'B^', 'B')` = bar i-2 white, bar i-1 black with a body gap up, bar i black.
 */
export function need(...bars: string[]): FlagTest {
  if (bars.length > FLAG_BARS) throw new Error(`a flag word spans ${FLAG_BARS} bars`);
  let mask = 0;
  let want = 0;
  bars.forEach((spec, k) => {
    const shift = FLAG_BITS * (bars.length - 1 - k);
    for (const ch of spec) {
      if (ch === '.') continue;
      const bit = ch === 'B' ? Flag.White : FLAG_CHARS[ch];
      if (bit === undefined) throw new Error(`unknown flag ${ch} in '${spec}'`);
      mask |= bit << shift;
      if (ch !== 'B') want |= bit << shift;
    }
  });
  return { mask, want };
}

/**
 * The bars of one stock plus the derived arrays shared by all 61 patterns. Build one per stock and
 * pass it to every pattern: the per-bar arrays are computed once, the rolling averages lazily, once
 * per (setting, first index).
 */
export class CandleContext {
  n = 0;
  open!: Float64Array;
  high!: Float64Array;
  low!: Float64Array;
  close!: Float64Array;
  /** |C - O| */
  body!: Float64Array;
  /** H - L */
  range!: Float64Array;
  /** H - max(O, C) */
  upper!: Float64Array;
  /** min(O, C) - L */
  lower!: Float64Array;
  /** max(O, C), min(O, C) */
  top!: Float64Array;
  bottom!: Float64Array;
  /** +1 white (C >= O, a doji with C == O counts as white), -1 black */
  color!: Int8Array;
  /**
   * Flag word of bar i: bits [6j, 6j+6) hold the `Flag`s of bar i-j, j = 0..4 (0 for bars before
   * the first, and the relations of bar 0 to its missing predecessor are all false). See `need`.
   */
  flags!: Int32Array;
  private shadowsArr: Float64Array | undefined;
  private readonly cache = new Map<number, Float64Array>();
  /** reusable buffers (capacity `cap`): 7 per-bar arrays + shadows + the averages */
  private cap = -1;
  private pool: Float64Array[] = [];
  /** views [0, n) of the pool's buffers, kept while n does not change (making views is not free) */
  private views: (Float64Array | undefined)[] = [];
  private poolUsed = 0;
  private colorBuf = new Int8Array(0);
  private flagsBuf = new Int32Array(0);

  constructor(open: Float64Array, high: Float64Array, low: Float64Array, close: Float64Array) {
    this.reset(open, high, low, close);
  }

  private take(): Float64Array {
    const k = this.poolUsed++;
    if (k === this.pool.length) {
      this.pool.push(new Float64Array(this.cap));
      this.views.push(undefined);
    }
    let v = this.views[k];
    if (v === undefined || v.length !== this.n) this.views[k] = v = this.pool[k]!.subarray(0, this.n);
    return v;
  }

  /**
   * Re-targets this context at another stock's bars, reusing its buffers (no allocation when the
   * new stock is not longer than the longest seen). Arrays handed out before are overwritten.
   */
  reset(open: Float64Array, high: Float64Array, low: Float64Array, close: Float64Array): this {
    const n = Math.min(open.length, high.length, low.length, close.length);
    if (n > this.cap) {
      this.cap = Math.max(n, 16);
      this.pool = [];
      this.views = [];
      this.colorBuf = new Int8Array(this.cap);
      this.flagsBuf = new Int32Array(this.cap);
    }
    this.n = n;
    this.poolUsed = 0;
    this.cache.clear();
    this.shadowsArr = undefined;
    this.open = open;
    this.high = high;
    this.low = low;
    this.close = close;
    const body = (this.body = this.take());
    const range = (this.range = this.take());
    const upper = (this.upper = this.take());
    const lower = (this.lower = this.take());
    const top = (this.top = this.take());
    const bottom = (this.bottom = this.take());
    if (this.color?.buffer !== this.colorBuf.buffer || this.color.length !== n) {
      this.color = this.colorBuf.subarray(0, n);
      this.flags = this.flagsBuf.subarray(0, n);
    }
    const color = this.color;
    const flags = this.flags;
    const keep = (1 << (FLAG_BITS * (FLAG_BARS - 1))) - 1;
    // the prior bar's top, bottom, high, low; NaN before bar 0 makes its relation flags false
    let pt = NaN;
    let pb = NaN;
    let ph = NaN;
    let pl = NaN;
    let word = 0;
    for (let i = 0; i < n; i++) {
      const o = open[i]!;
      const c = close[i]!;
      const h = high[i]!;
      const l = low[i]!;
      const white = c >= o;
      const t = white ? c : o;
      const b = white ? o : c;
      body[i] = Math.abs(c - o);
      range[i] = h - l;
      upper[i] = h - t;
      lower[i] = b - l;
      top[i] = t;
      bottom[i] = b;
      color[i] = white ? 1 : -1;
      const f =
        +white |
        (+(b > pt) << 1) |
        (+(t < pb) << 2) |
        ((+(t >= pt) & +(b <= pb)) << 3) |
        ((+(t <= pt) & +(b >= pb)) << 4) |
        ((+(h < ph) & +(l > pl)) << 5);
      word = ((word & keep) << FLAG_BITS) | f;
      flags[i] = word;
      pt = t;
      pb = b;
      ph = h;
      pl = l;
    }
    return this;
  }

  /** upper + lower shadow, the range of the Shadows type. */
  shadows(): Float64Array {
    if (!this.shadowsArr) {
      const n = this.n;
      const a = this.take();
      const u = this.upper;
      const l = this.lower;
      for (let i = 0; i < n; i++) a[i] = u[i]! + l[i]!;
      this.shadowsArr = a;
    }
    return this.shadowsArr;
  }

  rangeOf(t: RangeType): Float64Array {
    return t === RangeType.RealBody ? this.body : t === RangeType.HighLow ? this.range : this.shadows();
  }

  /**
   * The threshold array of a setting whose running total started summing at bar `first`:
   * `a[t]` is the setting's average over bars [t - period, t), valid for t >= first + period
   * (0 before). For a period-0 setting it is `factor * range(t)` of the bar itself.
   */
  avg(s: SettingId, first: number): Float64Array {
    const set = SETTINGS[s]!;
    const p = set.period;
    const key = SAME_AS[s]! * 4096 + (p === 0 ? 4095 : first);
    let a = this.cache.get(key);
    if (a) return a;
    const n = this.n;
    a = this.take();
    const r = this.rangeOf(set.rangeType);
    const f = set.factor;
    const div = set.rangeType === RangeType.Shadows ? 2.0 : 1.0;
    // x * 1.0 and x / 1.0 are exact in IEEE double, so the common factor-1 / divisor-1 cases skip them
    if (p === 0) {
      if (f === 1 && div === 1) a.set(r.subarray(0, n));
      else for (let t = 0; t < n; t++) a[t] = (f * r[t]!) / div;
    } else {
      let total = 0;
      const start = first + p;
      a.fill(0, 0, Math.min(start, n));
      for (let j = first; j < start && j < n; j++) total += r[j]!;
      if (f === 1 && div === 1) {
        for (let t = start; t < n; t++) {
          a[t] = total / p;
          total += r[t]! - r[t - p]!;
        }
      } else if (div === 1) {
        for (let t = start; t < n; t++) {
          a[t] = f * (total / p);
          total += r[t]! - r[t - p]!;
        }
      } else {
        for (let t = start; t < n; t++) {
          a[t] = (f * (total / p)) / div;
          total += r[t]! - r[t - p]!;
        }
      }
    }
    this.cache.set(key, a);
    return a;
  }

  /**
   * The threshold a pattern with lookback `lookback` uses for the bar k places before the current
   * one: TA-Lib starts that total at `lookback - period - k`. Index the result with `i - k`.
   */
  avgAt(s: SettingId, lookback: number, k: number): Float64Array {
    return this.avg(s, lookback - SETTINGS[s]!.period - k);
  }
}

/**
 * One pattern: its TA-Lib lookback (default settings) and a single pass over `out[lookback..n)`,
 * which the caller has zeroed: `run` may skip (leave 0 at) the bars its prefilter rejects.
 */
export interface PatternDef {
  readonly lookback: number;
  run(ctx: CandleContext, out: Int32Array): void;
}
