/**
 * Four- and five-bar patterns (three-line strike, breakaway, concealing baby swallow, ladder
 * bottom, mat hold, rising/falling three methods) and the stateful hikkake pair, whose ±200
 * marks a confirmation up to three bars after the inside-bar setup.
 */
import { S, need, periodOf, type CandleContext, type PatternDef } from './candle-settings.js';

function def(lookback: number, run: (ctx: CandleContext, out: Int32Array, lb: number) => void): PatternDef {
  return { lookback, run: (ctx, out) => run(ctx, out, lookback) };
}

/** Three bars of one colour stepping on, then an opposite bar wiping them out. */
export const CDL3LINESTRIKE = def(8, (ctx, out, lb) => {
  const { open: O, close: C, top: T, bottom: Bo, color: K, flags: F } = ctx;
  const near3 = ctx.avgAt(S.Near, lb, 3);
  const near2 = ctx.avgAt(S.Near, lb, 2);
  const { mask: um, want: uw } = need('W', 'W', 'W', 'B');
  const { mask: dm, want: dw } = need('B', 'B', 'B', 'W');
  for (let i = lb, n = ctx.n; i < n; i++) {
    const f = F[i]!;
    if ((f & um) !== uw && (f & dm) !== dw) continue;
    const k1 = K[i - 1]!;
    out[i] =
      K[i - 3] === K[i - 2] &&
      K[i - 2] === k1 &&
      K[i] === -k1 &&
      O[i - 2]! >= Bo[i - 3]! - near3[i - 3]! &&
      O[i - 2]! <= T[i - 3]! + near3[i - 3]! &&
      O[i - 1]! >= Bo[i - 2]! - near2[i - 2]! &&
      O[i - 1]! <= T[i - 2]! + near2[i - 2]! &&
      ((k1 === 1 && C[i - 1]! > C[i - 2]! && C[i - 2]! > C[i - 3]! && O[i]! > C[i - 1]! && C[i]! < O[i - 3]!) ||
        (k1 === -1 && C[i - 1]! < C[i - 2]! && C[i - 2]! < C[i - 3]! && O[i]! < C[i - 1]! && C[i]! > O[i - 3]!))
        ? k1 * 100
        : 0;
  }
});

/** A long bar, a gap, three bars extending the move, then a reversal bar closing inside the gap. */
export const CDLBREAKAWAY = def(14, (ctx, out, lb) => {
  const { body: B, open: O, close: C, high: H, low: L, top: T, bottom: Bo, color: K, flags: F } = ctx;
  const long = ctx.avgAt(S.BodyLong, lb, 4);
  const { mask: um, want: uw } = need('B', 'Bv', '.', 'B', 'W');
  const { mask: dm, want: dw } = need('W', 'W^', '.', 'W', 'B');
  for (let i = lb, n = ctx.n; i < n; i++) {
    const f = F[i]!;
    if ((f & um) !== uw && (f & dm) !== dw) continue;
    const k4 = K[i - 4]!;
    out[i] =
      B[i - 4]! > long[i - 4]! &&
      k4 === K[i - 3] &&
      K[i - 3] === K[i - 1] &&
      K[i - 1] === -K[i]! &&
      ((k4 === -1 &&
        T[i - 3]! < Bo[i - 4]! &&
        H[i - 2]! < H[i - 3]! &&
        L[i - 2]! < L[i - 3]! &&
        H[i - 1]! < H[i - 2]! &&
        L[i - 1]! < L[i - 2]! &&
        C[i]! > O[i - 3]! &&
        C[i]! < C[i - 4]!) ||
        (k4 === 1 &&
          Bo[i - 3]! > T[i - 4]! &&
          H[i - 2]! > H[i - 3]! &&
          L[i - 2]! > L[i - 3]! &&
          H[i - 1]! > H[i - 2]! &&
          L[i - 1]! > L[i - 2]! &&
          C[i]! < O[i - 3]! &&
          C[i]! > C[i - 4]!))
        ? K[i]! * 100
        : 0;
  }
});

/** Two black marubozus, a black bar gapping down with an upper shadow into the prior body, a black bar engulfing it. */
export const CDLCONCEALBABYSWALL = def(13, (ctx, out, lb) => {
  const { upper: U, lower: D, close: C, high: H, low: L, top: T, bottom: Bo, color: K, flags: F } = ctx;
  const vs3 = ctx.avgAt(S.ShadowVeryShort, lb, 3);
  const vs2 = ctx.avgAt(S.ShadowVeryShort, lb, 2);
  const vs1 = ctx.avgAt(S.ShadowVeryShort, lb, 1);
  const { mask, want } = need('B', 'B', 'Bv', 'B');
  for (let i = lb, n = ctx.n; i < n; i++) {
    if ((F[i]! & mask) !== want) continue;
    out[i] =
      K[i - 3] === -1 &&
      K[i - 2] === -1 &&
      K[i - 1] === -1 &&
      K[i] === -1 &&
      D[i - 3]! < vs3[i - 3]! &&
      U[i - 3]! < vs3[i - 3]! &&
      D[i - 2]! < vs2[i - 2]! &&
      U[i - 2]! < vs2[i - 2]! &&
      T[i - 1]! < Bo[i - 2]! &&
      U[i - 1]! > vs1[i - 1]! &&
      H[i - 1]! > C[i - 2]! &&
      H[i]! > H[i - 1]! &&
      L[i]! < L[i - 1]!
        ? 100
        : 0;
  }
});

/** Three falling black bars, a black bar with an upper shadow, a white bar opening above it and closing above its high. */
export const CDLLADDERBOTTOM = def(14, (ctx, out, lb) => {
  const { upper: U, open: O, close: C, high: H, color: K, flags: F } = ctx;
  const vs1 = ctx.avgAt(S.ShadowVeryShort, lb, 1);
  const { mask, want } = need('B', 'B', 'B', 'B', 'W');
  for (let i = lb, n = ctx.n; i < n; i++) {
    if ((F[i]! & mask) !== want) continue;
    out[i] =
      K[i - 4] === -1 &&
      K[i - 3] === -1 &&
      K[i - 2] === -1 &&
      O[i - 4]! > O[i - 3]! &&
      O[i - 3]! > O[i - 2]! &&
      C[i - 4]! > C[i - 3]! &&
      C[i - 3]! > C[i - 2]! &&
      K[i - 1] === -1 &&
      U[i - 1]! > vs1[i - 1]! &&
      K[i] === 1 &&
      O[i]! > O[i - 1]! &&
      C[i]! > H[i - 1]!
        ? 100
        : 0;
  }
});

/** Long white, three small bars holding above its lower part after a gap, a white bar breaking out. */
export const CDLMATHOLD = def(14, (ctx, out, lb) => {
  const { body: B, open: O, close: C, high: H, top: T, bottom: Bo, color: K, flags: F } = ctx;
  const long4 = ctx.avgAt(S.BodyLong, lb, 4);
  const s3 = ctx.avgAt(S.BodyShort, lb, 3);
  const s2 = ctx.avgAt(S.BodyShort, lb, 2);
  const s1 = ctx.avgAt(S.BodyShort, lb, 1);
  const pen = 0.5;
  const { mask, want } = need('W', 'B^', '.', '.', 'W');
  for (let i = lb, n = ctx.n; i < n; i++) {
    if ((F[i]! & mask) !== want) continue;
    const floor = C[i - 4]! - B[i - 4]! * pen;
    const h3 = H[i - 3]!;
    const h2 = H[i - 2]!;
    const m = h3 > h2 ? h3 : h2;
    const hi = m > H[i - 1]! ? m : H[i - 1]!;
    out[i] =
      B[i - 4]! > long4[i - 4]! &&
      B[i - 3]! < s3[i - 3]! &&
      B[i - 2]! < s2[i - 2]! &&
      B[i - 1]! < s1[i - 1]! &&
      K[i - 4] === 1 &&
      K[i - 3] === -1 &&
      K[i] === 1 &&
      Bo[i - 3]! > T[i - 4]! &&
      Bo[i - 2]! < C[i - 4]! &&
      Bo[i - 1]! < C[i - 4]! &&
      Bo[i - 2]! > floor &&
      Bo[i - 1]! > floor &&
      T[i - 2]! < O[i - 3]! &&
      T[i - 1]! < T[i - 2]! &&
      O[i]! > C[i - 1]! &&
      C[i]! > hi
        ? 100
        : 0;
  }
});

/** A long bar, three small counter-trend bars within its range, a long bar closing beyond it. */
export const CDLRISEFALL3METHODS = def(14, (ctx, out, lb) => {
  const { body: B, open: O, close: C, high: H, low: L, top: T, bottom: Bo, color: K, flags: F } = ctx;
  const long4 = ctx.avgAt(S.BodyLong, lb, 4);
  const long0 = ctx.avgAt(S.BodyLong, lb, 0);
  const s3 = ctx.avgAt(S.BodyShort, lb, 3);
  const s2 = ctx.avgAt(S.BodyShort, lb, 2);
  const s1 = ctx.avgAt(S.BodyShort, lb, 1);
  const { mask: um, want: uw } = need('W', 'B', 'B', 'B', 'W');
  const { mask: dm, want: dw } = need('B', 'W', 'W', 'W', 'B');
  for (let i = lb, n = ctx.n; i < n; i++) {
    const f = F[i]!;
    if ((f & um) !== uw && (f & dm) !== dw) continue;
    const k = K[i - 4]!;
    const h4 = H[i - 4]!;
    const l4 = L[i - 4]!;
    out[i] =
      B[i - 4]! > long4[i - 4]! &&
      B[i - 3]! < s3[i - 3]! &&
      B[i - 2]! < s2[i - 2]! &&
      B[i - 1]! < s1[i - 1]! &&
      B[i]! > long0[i]! &&
      k === -K[i - 3]! &&
      K[i - 3] === K[i - 2] &&
      K[i - 2] === K[i - 1] &&
      K[i - 1] === -K[i]! &&
      Bo[i - 3]! < h4 &&
      T[i - 3]! > l4 &&
      Bo[i - 2]! < h4 &&
      T[i - 2]! > l4 &&
      Bo[i - 1]! < h4 &&
      T[i - 1]! > l4 &&
      C[i - 2]! * k < C[i - 3]! * k &&
      C[i - 1]! * k < C[i - 2]! * k &&
      O[i]! * k > C[i - 1]! * k &&
      C[i]! * k > C[i - 4]! * k
        ? 100 * k
        : 0;
  }
});

/**
 * The shared hikkake state machine: `setup(i)` returns +100/-100 when bar i completes the inside-bar
 * setup (0 otherwise); afterwards, within 3 bars, a close beyond the setup's mother bar (bar
 * patternIdx-1) confirms it (±200). TA-Lib runs the machine from 3 bars before the first output.
 */
function hikkakeMachine(ctx: CandleContext, out: Int32Array, lb: number, setup: (i: number) => number): void {
  const { high: H, low: L, close: C } = ctx;
  let patternIdx = 0;
  let patternResult = 0;
  for (let i = lb - 3; i < ctx.n; i++) {
    const s = setup(i);
    let v = 0;
    if (s !== 0) {
      patternResult = s;
      patternIdx = i;
      v = s;
    } else if (
      i <= patternIdx + 3 &&
      ((patternResult > 0 && C[i]! > H[patternIdx - 1]!) || (patternResult < 0 && C[i]! < L[patternIdx - 1]!))
    ) {
      v = patternResult + (patternResult > 0 ? 100 : -100);
      patternIdx = 0;
    }
    if (i >= lb) out[i] = v;
  }
}

/** An inside bar followed by a false breakout: bullish when the breakout is downward. */
export const CDLHIKKAKE = def(5, (ctx, out, lb) => {
  const { high: H, low: L, flags: F } = ctx;
  const { mask, want } = need('I', '.');
  hikkakeMachine(ctx, out, lb, (i) => {
    if ((F[i]! & mask) !== want) return 0;
    if (H[i - 1]! < H[i - 2]! && L[i - 1]! > L[i - 2]!) {
      if (H[i]! < H[i - 1]! && L[i]! < L[i - 1]!) return 100;
      if (H[i]! > H[i - 1]! && L[i]! > L[i - 1]!) return -100;
    }
    return 0;
  });
});

/** Hikkake after two nested inside bars, the first closing near the edge the breakout goes to. */
export const CDLHIKKAKEMOD = def(10, (ctx, out, lb) => {
  const { high: H, low: L, close: C, flags: F } = ctx;
  const near = ctx.avg(S.Near, lb - 3 - periodOf(S.Near) - 2);
  const { mask, want } = need('I', 'I', '.');
  hikkakeMachine(ctx, out, lb, (i) => {
    if ((F[i]! & mask) !== want) return 0;
    if (H[i - 2]! < H[i - 3]! && L[i - 2]! > L[i - 3]! && H[i - 1]! < H[i - 2]! && L[i - 1]! > L[i - 2]!) {
      if (H[i]! < H[i - 1]! && L[i]! < L[i - 1]! && C[i - 2]! <= L[i - 2]! + near[i - 2]!) return 100;
      if (H[i]! > H[i - 1]! && L[i]! > L[i - 1]! && C[i - 2]! >= H[i - 2]! - near[i - 2]!) return -100;
    }
    return 0;
  });
});
