/**
 * Three-bar continuation/exhaustion patterns: crows and soldiers, advance block, stalled pattern,
 * three stars in the south, and the gap patterns (side-by-side white lines, tasuki, gap three methods).
 */
import { S, need, type CandleContext, type PatternDef } from './candle-settings.js';

function def(lookback: number, run: (ctx: CandleContext, out: Int32Array, lb: number) => void): PatternDef {
  return { lookback, run: (ctx, out) => run(ctx, out, lookback) };
}

/** A white bar, then three black bars each opening inside the prior body, closing lower, near their lows. */
export const CDL3BLACKCROWS = def(13, (ctx, out, lb) => {
  const { lower: D, open: O, close: C, high: H, color: K, flags: F } = ctx;
  const vs2 = ctx.avgAt(S.ShadowVeryShort, lb, 2);
  const vs1 = ctx.avgAt(S.ShadowVeryShort, lb, 1);
  const vs0 = ctx.avgAt(S.ShadowVeryShort, lb, 0);
  const { mask, want } = need('W', 'B', 'B', 'B');
  for (let i = lb, n = ctx.n; i < n; i++) {
    if ((F[i]! & mask) !== want) continue;
    out[i] =
      K[i - 3] === 1 &&
      K[i - 2] === -1 &&
      D[i - 2]! < vs2[i - 2]! &&
      K[i - 1] === -1 &&
      D[i - 1]! < vs1[i - 1]! &&
      K[i] === -1 &&
      D[i]! < vs0[i]! &&
      O[i - 1]! < O[i - 2]! &&
      O[i - 1]! > C[i - 2]! &&
      O[i]! < O[i - 1]! &&
      O[i]! > C[i - 1]! &&
      H[i - 3]! > C[i - 2]! &&
      C[i - 2]! > C[i - 1]! &&
      C[i - 1]! > C[i]!
        ? -100
        : 0;
  }
});

/** Three black bars closing lower, each opening at the prior close, near their lows. */
export const CDLIDENTICAL3CROWS = def(12, (ctx, out, lb) => {
  const { lower: D, open: O, close: C, color: K, flags: F } = ctx;
  const vs2 = ctx.avgAt(S.ShadowVeryShort, lb, 2);
  const vs1 = ctx.avgAt(S.ShadowVeryShort, lb, 1);
  const vs0 = ctx.avgAt(S.ShadowVeryShort, lb, 0);
  const eq2 = ctx.avgAt(S.Equal, lb, 2);
  const eq1 = ctx.avgAt(S.Equal, lb, 1);
  const { mask, want } = need('B', 'B', 'B');
  for (let i = lb, n = ctx.n; i < n; i++) {
    if ((F[i]! & mask) !== want) continue;
    out[i] =
      K[i - 2] === -1 &&
      D[i - 2]! < vs2[i - 2]! &&
      K[i - 1] === -1 &&
      D[i - 1]! < vs1[i - 1]! &&
      K[i] === -1 &&
      D[i]! < vs0[i]! &&
      C[i - 2]! > C[i - 1]! &&
      C[i - 1]! > C[i]! &&
      O[i - 1]! <= C[i - 2]! + eq2[i - 2]! &&
      O[i - 1]! >= C[i - 2]! - eq2[i - 2]! &&
      O[i]! <= C[i - 1]! + eq1[i - 1]! &&
      O[i]! >= C[i - 1]! - eq1[i - 1]!
        ? -100
        : 0;
  }
});

/** Three white bars closing higher, each opening in or near the prior body, near their highs. */
export const CDL3WHITESOLDIERS = def(12, (ctx, out, lb) => {
  const { body: B, upper: U, open: O, close: C, color: K, flags: F } = ctx;
  const vs2 = ctx.avgAt(S.ShadowVeryShort, lb, 2);
  const vs1 = ctx.avgAt(S.ShadowVeryShort, lb, 1);
  const vs0 = ctx.avgAt(S.ShadowVeryShort, lb, 0);
  const near2 = ctx.avgAt(S.Near, lb, 2);
  const near1 = ctx.avgAt(S.Near, lb, 1);
  const far2 = ctx.avgAt(S.Far, lb, 2);
  const far1 = ctx.avgAt(S.Far, lb, 1);
  const short = ctx.avgAt(S.BodyShort, lb, 0);
  const { mask, want } = need('W', 'W', 'W');
  for (let i = lb, n = ctx.n; i < n; i++) {
    if ((F[i]! & mask) !== want) continue;
    out[i] =
      K[i - 2] === 1 &&
      U[i - 2]! < vs2[i - 2]! &&
      K[i - 1] === 1 &&
      U[i - 1]! < vs1[i - 1]! &&
      K[i] === 1 &&
      U[i]! < vs0[i]! &&
      C[i]! > C[i - 1]! &&
      C[i - 1]! > C[i - 2]! &&
      O[i - 1]! > O[i - 2]! &&
      O[i - 1]! <= C[i - 2]! + near2[i - 2]! &&
      O[i]! > O[i - 1]! &&
      O[i]! <= C[i - 1]! + near1[i - 1]! &&
      B[i - 1]! > B[i - 2]! - far2[i - 2]! &&
      B[i]! > B[i - 1]! - far1[i - 1]! &&
      B[i]! > short[i]!
        ? 100
        : 0;
  }
});

/** Three rising white bars losing strength (shrinking bodies or growing upper shadows). */
export const CDLADVANCEBLOCK = def(12, (ctx, out, lb) => {
  const { body: B, upper: U, open: O, close: C, color: K, flags: F } = ctx;
  const ss2 = ctx.avgAt(S.ShadowShort, lb, 2);
  const ss1 = ctx.avgAt(S.ShadowShort, lb, 1);
  const ss0 = ctx.avgAt(S.ShadowShort, lb, 0);
  const sl0 = ctx.avgAt(S.ShadowLong, lb, 0);
  const near2 = ctx.avgAt(S.Near, lb, 2);
  const near1 = ctx.avgAt(S.Near, lb, 1);
  const far2 = ctx.avgAt(S.Far, lb, 2);
  const far1 = ctx.avgAt(S.Far, lb, 1);
  const long = ctx.avgAt(S.BodyLong, lb, 2);
  const { mask, want } = need('W', 'W', 'W');
  for (let i = lb, n = ctx.n; i < n; i++) {
    if ((F[i]! & mask) !== want) continue;
    if (
      K[i - 2] === 1 &&
      K[i - 1] === 1 &&
      K[i] === 1 &&
      C[i]! > C[i - 1]! &&
      C[i - 1]! > C[i - 2]! &&
      O[i - 1]! > O[i - 2]! &&
      O[i - 1]! <= C[i - 2]! + near2[i - 2]! &&
      O[i]! > O[i - 1]! &&
      O[i]! <= C[i - 1]! + near1[i - 1]! &&
      B[i - 2]! > long[i - 2]! &&
      U[i - 2]! < ss2[i - 2]!
    ) {
      const b0 = B[i]!;
      const b1 = B[i - 1]!;
      const b2 = B[i - 2]!;
      out[i] =
        (b1 < b2 - far2[i - 2]! && b0 < b1 + near1[i - 1]!) ||
        b0 < b1 - far1[i - 1]! ||
        (b0 < b1 && b1 < b2 && (U[i]! > ss0[i]! || U[i - 1]! > ss1[i - 1]!)) ||
        (b0 < b1 && U[i]! > sl0[i]!)
          ? -100
          : 0;
    } else out[i] = 0;
  }
});

/** Two long white bars, then a small white bar opening near the second's close. */
export const CDLSTALLEDPATTERN = def(12, (ctx, out, lb) => {
  const { body: B, upper: U, open: O, close: C, color: K, flags: F } = ctx;
  const long2 = ctx.avgAt(S.BodyLong, lb, 2);
  const long1 = ctx.avgAt(S.BodyLong, lb, 1);
  const short = ctx.avgAt(S.BodyShort, lb, 0);
  const vs1 = ctx.avgAt(S.ShadowVeryShort, lb, 1);
  const near2 = ctx.avgAt(S.Near, lb, 2);
  const near1 = ctx.avgAt(S.Near, lb, 1);
  const { mask, want } = need('W', 'W', 'W');
  for (let i = lb, n = ctx.n; i < n; i++) {
    if ((F[i]! & mask) !== want) continue;
    out[i] =
      K[i - 2] === 1 &&
      K[i - 1] === 1 &&
      K[i] === 1 &&
      C[i]! > C[i - 1]! &&
      C[i - 1]! > C[i - 2]! &&
      B[i - 2]! > long2[i - 2]! &&
      B[i - 1]! > long1[i - 1]! &&
      U[i - 1]! < vs1[i - 1]! &&
      O[i - 1]! > O[i - 2]! &&
      O[i - 1]! <= C[i - 2]! + near2[i - 2]! &&
      B[i]! < short[i]! &&
      O[i]! >= C[i - 1]! - B[i]! - near1[i - 1]!
        ? -100
        : 0;
  }
});

/** Three shrinking black bars: a long one with a long lower shadow, a smaller one, a small marubozu inside. */
export const CDL3STARSINSOUTH = def(12, (ctx, out, lb) => {
  const { body: B, upper: U, lower: D, open: O, close: C, high: H, low: L, color: K, flags: F } = ctx;
  const long = ctx.avgAt(S.BodyLong, lb, 2);
  const sl2 = ctx.avgAt(S.ShadowLong, lb, 2);
  const vs1 = ctx.avgAt(S.ShadowVeryShort, lb, 1);
  const vs0 = ctx.avgAt(S.ShadowVeryShort, lb, 0);
  const short = ctx.avgAt(S.BodyShort, lb, 0);
  const { mask, want } = need('B', 'B', 'B');
  for (let i = lb, n = ctx.n; i < n; i++) {
    if ((F[i]! & mask) !== want) continue;
    out[i] =
      K[i - 2] === -1 &&
      K[i - 1] === -1 &&
      K[i] === -1 &&
      B[i - 2]! > long[i - 2]! &&
      D[i - 2]! > sl2[i - 2]! &&
      B[i - 1]! < B[i - 2]! &&
      O[i - 1]! > C[i - 2]! &&
      O[i - 1]! <= H[i - 2]! &&
      L[i - 1]! < C[i - 2]! &&
      L[i - 1]! >= L[i - 2]! &&
      D[i - 1]! > vs1[i - 1]! &&
      B[i]! < short[i]! &&
      D[i]! < vs0[i]! &&
      U[i]! < vs0[i]! &&
      L[i]! > L[i - 1]! &&
      H[i]! < H[i - 1]!
        ? 100
        : 0;
  }
});

/** After a gap, two white bars of similar size opening at about the same price. */
export const CDLGAPSIDESIDEWHITE = def(7, (ctx, out, lb) => {
  const { body: B, open: O, top: T, bottom: Bo, color: K, flags: F } = ctx;
  const near = ctx.avgAt(S.Near, lb, 1);
  const eq = ctx.avgAt(S.Equal, lb, 1);
  // two whites, the first gapping up or down from bar i-2
  const { mask: um, want: uw } = need('.', 'W^', 'W');
  const { mask: dm, want: dw } = need('.', 'Wv', 'W');
  for (let i = lb, n = ctx.n; i < n; i++) {
    const f = F[i]!;
    if ((f & um) !== uw && (f & dm) !== dw) continue;
    const up = Bo[i - 1]! > T[i - 2]!;
    out[i] =
      ((up && Bo[i]! > T[i - 2]!) || (T[i - 1]! < Bo[i - 2]! && T[i]! < Bo[i - 2]!)) &&
      K[i - 1] === 1 &&
      K[i] === 1 &&
      B[i]! >= B[i - 1]! - near[i - 1]! &&
      B[i]! <= B[i - 1]! + near[i - 1]! &&
      O[i]! >= O[i - 1]! - eq[i - 1]! &&
      O[i]! <= O[i - 1]! + eq[i - 1]!
        ? up
          ? 100
          : -100
        : 0;
  }
});

/** A gap, a bar in the gap's direction, then an opposite bar of similar size that does not close the gap. */
export const CDLTASUKIGAP = def(7, (ctx, out, lb) => {
  const { body: B, open: O, close: C, top: T, bottom: Bo, color: K, flags: F } = ctx;
  const near = ctx.avgAt(S.Near, lb, 1);
  const { mask: um, want: uw } = need('.', 'W^', 'B');
  const { mask: dm, want: dw } = need('.', 'Bv', 'W');
  for (let i = lb, n = ctx.n; i < n; i++) {
    const f = F[i]!;
    if ((f & um) !== uw && (f & dm) !== dw) continue;
    const k1 = K[i - 1]!;
    const same = Math.abs(B[i - 1]! - B[i]!) < near[i - 1]!;
    out[i] =
      (Bo[i - 1]! > T[i - 2]! &&
        k1 === 1 &&
        K[i] === -1 &&
        O[i]! < C[i - 1]! &&
        O[i]! > O[i - 1]! &&
        C[i]! < O[i - 1]! &&
        C[i]! > T[i - 2]! &&
        same) ||
      (T[i - 1]! < Bo[i - 2]! &&
        k1 === -1 &&
        K[i] === 1 &&
        O[i]! < O[i - 1]! &&
        O[i]! > C[i - 1]! &&
        C[i]! > O[i - 1]! &&
        C[i]! < Bo[i - 2]! &&
        same)
        ? k1 * 100
        : 0;
  }
});

/** Two bars gapping in one direction, then an opposite bar opening in the second and closing in the first. */
export const CDLXSIDEGAP3METHODS = def(2, (ctx, out, lb) => {
  const { open: O, close: C, top: T, bottom: Bo, color: K, flags: F } = ctx;
  const { mask: um, want: uw } = need('W', 'W^', 'B');
  const { mask: dm, want: dw } = need('B', 'Bv', 'W');
  for (let i = lb, n = ctx.n; i < n; i++) {
    const f = F[i]!;
    if ((f & um) !== uw && (f & dm) !== dw) continue;
    const k2 = K[i - 2]!;
    out[i] =
      k2 === K[i - 1] &&
      K[i - 1] === -K[i]! &&
      O[i]! < T[i - 1]! &&
      O[i]! > Bo[i - 1]! &&
      C[i]! < T[i - 2]! &&
      C[i]! > Bo[i - 2]! &&
      ((k2 === 1 && Bo[i - 1]! > T[i - 2]!) || (k2 === -1 && T[i - 1]! < Bo[i - 2]!))
        ? k2 * 100
        : 0;
  }
});
