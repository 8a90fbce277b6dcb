/**
 * Three-bar reversal patterns built around a middle "star" or an inside bar: morning/evening
 * (doji) stars, abandoned baby, tristar, three inside/outside, two crows, unique three river,
 * stick sandwich.
 */
import { S, need, type CandleContext, type PatternDef } from './candle-settings.js';

function def(lookback: number, run: (ctx: CandleContext, out: Int32Array, lb: number) => void): PatternDef {
  return { lookback, run: (ctx, out) => run(ctx, out, lookback) };
}

/** Long white, a black body gapping up, a black bar opening in it and closing into the first body. */
export const CDL2CROWS = def(12, (ctx, out, lb) => {
  const { body: B, open: O, close: C, top: T, bottom: Bo, color: K, flags: F } = ctx;
  const long = ctx.avgAt(S.BodyLong, lb, 2);
  const { mask, want } = need('W', 'B^', 'B');
  for (let i = lb, n = ctx.n; i < n; i++) {
    if ((F[i]! & mask) !== want) continue;
    out[i] =
      K[i - 2] === 1 &&
      B[i - 2]! > long[i - 2]! &&
      K[i - 1] === -1 &&
      Bo[i - 1]! > T[i - 2]! &&
      K[i] === -1 &&
      O[i]! < O[i - 1]! &&
      O[i]! > C[i - 1]! &&
      C[i]! > O[i - 2]! &&
      C[i]! < C[i - 2]!
        ? -100
        : 0;
  }
});

/** Long white, black body gapping up, black bar opening above it and closing below it but above the first close. */
export const CDLUPSIDEGAP2CROWS = def(12, (ctx, out, lb) => {
  const { body: B, open: O, close: C, top: T, bottom: Bo, color: K, flags: F } = ctx;
  const long = ctx.avgAt(S.BodyLong, lb, 2);
  const short = ctx.avgAt(S.BodyShort, lb, 1);
  const { mask, want } = need('W', 'B^', 'B');
  for (let i = lb, n = ctx.n; i < n; i++) {
    if ((F[i]! & mask) !== want) continue;
    out[i] =
      K[i - 2] === 1 &&
      B[i - 2]! > long[i - 2]! &&
      K[i - 1] === -1 &&
      B[i - 1]! <= short[i - 1]! &&
      Bo[i - 1]! > T[i - 2]! &&
      K[i] === -1 &&
      O[i]! > O[i - 1]! &&
      C[i]! < C[i - 1]! &&
      C[i]! > C[i - 2]!
        ? -100
        : 0;
  }
});

/** Harami followed by a bar closing beyond the first bar's open. */
export const CDL3INSIDE = def(12, (ctx, out, lb) => {
  const { body: B, open: O, close: C, top: T, bottom: Bo, color: K, flags: F } = ctx;
  const long = ctx.avgAt(S.BodyLong, lb, 2);
  const short = ctx.avgAt(S.BodyShort, lb, 1);
  // opposite first and third colours; the second body strictly inside the first
  const { mask: um, want: uw } = need('B', 'H', 'W');
  const { mask: dm, want: dw } = need('W', 'H', 'B');
  for (let i = lb, n = ctx.n; i < n; i++) {
    const f = F[i]!;
    if ((f & um) !== uw && (f & dm) !== dw) continue;
    const k2 = K[i - 2]!;
    out[i] =
      B[i - 2]! > long[i - 2]! &&
      B[i - 1]! <= short[i - 1]! &&
      T[i - 1]! < T[i - 2]! &&
      Bo[i - 1]! > Bo[i - 2]! &&
      ((k2 === 1 && K[i] === -1 && C[i]! < O[i - 2]!) || (k2 === -1 && K[i] === 1 && C[i]! > O[i - 2]!))
        ? -k2 * 100
        : 0;
  }
});

/** Engulfing followed by a bar closing further in the engulfing direction. */
export const CDL3OUTSIDE = def(3, (ctx, out, lb) => {
  const { open: O, close: C, color: K, flags: F } = ctx;
  // an engulfing pair: opposite colours, the second body strictly covering the first
  const { mask: um, want: uw } = need('B', 'WE', '.');
  const { mask: dm, want: dw } = need('W', 'BE', '.');
  for (let i = lb, n = ctx.n; i < n; i++) {
    const f = F[i]!;
    if ((f & um) !== uw && (f & dm) !== dw) continue;
    const k1 = K[i - 1]!;
    out[i] =
      (k1 === 1 && K[i - 2] === -1 && C[i - 1]! > O[i - 2]! && O[i - 1]! < C[i - 2]! && C[i]! > C[i - 1]!) ||
      (k1 === -1 && K[i - 2] === 1 && O[i - 1]! > C[i - 2]! && C[i - 1]! < O[i - 2]! && C[i]! < C[i - 1]!)
        ? k1 * 100
        : 0;
  }
});

type StarKind = 'star' | 'doji';

function eveningStar(ctx: CandleContext, out: Int32Array, lb: number, kind: StarKind, pen: number): void {
  const { body: B, close: C, top: T, bottom: Bo, color: K, flags: F } = ctx;
  const long = ctx.avgAt(S.BodyLong, lb, 2);
  const mid = kind === 'doji' ? ctx.avgAt(S.BodyDoji, lb, 1) : ctx.avgAt(S.BodyShort, lb, 1);
  const third = ctx.avgAt(S.BodyShort, lb, 0);
  const { mask, want } = need('W', '^', 'B');
  for (let i = lb, n = ctx.n; i < n; i++) {
    if ((F[i]! & mask) !== want) continue;
    out[i] =
      B[i - 2]! > long[i - 2]! &&
      K[i - 2] === 1 &&
      B[i - 1]! <= mid[i - 1]! &&
      Bo[i - 1]! > T[i - 2]! &&
      B[i]! > third[i]! &&
      K[i] === -1 &&
      C[i]! < C[i - 2]! - B[i - 2]! * pen
        ? -100
        : 0;
  }
}

function morningStar(ctx: CandleContext, out: Int32Array, lb: number, kind: StarKind, pen: number): void {
  const { body: B, close: C, top: T, bottom: Bo, color: K, flags: F } = ctx;
  const long = ctx.avgAt(S.BodyLong, lb, 2);
  const mid = kind === 'doji' ? ctx.avgAt(S.BodyDoji, lb, 1) : ctx.avgAt(S.BodyShort, lb, 1);
  const third = ctx.avgAt(S.BodyShort, lb, 0);
  const { mask, want } = need('B', 'v', 'W');
  for (let i = lb, n = ctx.n; i < n; i++) {
    if ((F[i]! & mask) !== want) continue;
    out[i] =
      B[i - 2]! > long[i - 2]! &&
      K[i - 2] === -1 &&
      B[i - 1]! <= mid[i - 1]! &&
      T[i - 1]! < Bo[i - 2]! &&
      B[i]! > third[i]! &&
      K[i] === 1 &&
      C[i]! > C[i - 2]! + B[i - 2]! * pen
        ? 100
        : 0;
  }
}

/** Long white, a short body gapping up, a black bar closing well into the first body. */
export const CDLEVENINGSTAR = def(12, (ctx, out, lb) => eveningStar(ctx, out, lb, 'star', 0.3));
/** Evening star whose middle bar is a doji. */
export const CDLEVENINGDOJISTAR = def(12, (ctx, out, lb) => eveningStar(ctx, out, lb, 'doji', 0.3));
/** Long black, a short body gapping down, a white bar closing well into the first body. */
export const CDLMORNINGSTAR = def(12, (ctx, out, lb) => morningStar(ctx, out, lb, 'star', 0.3));
/** Morning star whose middle bar is a doji. */
export const CDLMORNINGDOJISTAR = def(12, (ctx, out, lb) => morningStar(ctx, out, lb, 'doji', 0.3));

/** A doji star whose shadows gap away from both neighbours (an island doji). */
export const CDLABANDONEDBABY = def(12, (ctx, out, lb) => {
  const { body: B, close: C, high: H, low: L, color: K, flags: F } = ctx;
  const long = ctx.avgAt(S.BodyLong, lb, 2);
  const doji = ctx.avgAt(S.BodyDoji, lb, 1);
  const short = ctx.avgAt(S.BodyShort, lb, 0);
  const pen = 0.3;
  const { mask: um, want: uw } = need('B', '.', 'W');
  const { mask: dm, want: dw } = need('W', '.', 'B');
  for (let i = lb, n = ctx.n; i < n; i++) {
    // opposite outer colours and a doji in the middle (rare), both evaluated, one branch
    const f = F[i]!;
    if (((+((f & um) === uw) | +((f & dm) === dw)) & +(B[i - 1]! <= doji[i - 1]!)) === 0) continue;
    const k2 = K[i - 2]!;
    const k = K[i]!;
    out[i] =
      B[i - 2]! > long[i - 2]! &&
      B[i - 1]! <= doji[i - 1]! &&
      B[i]! > short[i]! &&
      ((k2 === 1 &&
        k === -1 &&
        C[i]! < C[i - 2]! - B[i - 2]! * pen &&
        L[i - 1]! > H[i - 2]! &&
        H[i]! < L[i - 1]!) ||
        (k2 === -1 &&
          k === 1 &&
          C[i]! > C[i - 2]! + B[i - 2]! * pen &&
          H[i - 1]! < L[i - 2]! &&
          L[i]! > H[i - 1]!))
        ? k * 100
        : 0;
  }
});

/** Three dojis, the middle one's body gapping above (bearish) or below (bullish) the others. */
export const CDLTRISTAR = def(12, (ctx, out, lb) => {
  const { body: B, top: T, bottom: Bo } = ctx;
  const doji = ctx.avgAt(S.BodyDoji, lb, 2);
  // no flag prefilter: the first doji test is already rarer than any exact flag word
  for (let i = lb, n = ctx.n; i < n; i++) {
    const a = doji[i - 2]!;
    let v = 0;
    if (B[i - 2]! <= a && B[i - 1]! <= a && B[i]! <= a) {
      if (Bo[i - 1]! > T[i - 2]! && T[i]! < T[i - 1]!) v = -100;
      if (T[i - 1]! < Bo[i - 2]! && Bo[i]! > Bo[i - 1]!) v = 100;
    }
    out[i] = v;
  }
});

/** Long black, a black harami-like bar with a lower low, then a short white bar above that low. */
export const CDLUNIQUE3RIVER = def(12, (ctx, out, lb) => {
  const { body: B, open: O, close: C, low: L, color: K, flags: F } = ctx;
  const long = ctx.avgAt(S.BodyLong, lb, 2);
  const short = ctx.avgAt(S.BodyShort, lb, 0);
  // two blacks with C[i-1] > C[i-2] and O[i-1] <= O[i-2]: the second body inside the first
  const { mask, want } = need('B', 'BH', 'W');
  for (let i = lb, n = ctx.n; i < n; i++) {
    if ((F[i]! & mask) !== want) continue;
    out[i] =
      B[i - 2]! > long[i - 2]! &&
      K[i - 2] === -1 &&
      K[i - 1] === -1 &&
      C[i - 1]! > C[i - 2]! &&
      O[i - 1]! <= O[i - 2]! &&
      L[i - 1]! < L[i - 2]! &&
      B[i]! < short[i]! &&
      K[i] === 1 &&
      O[i]! > L[i - 1]!
        ? 100
        : 0;
  }
});

/** Black, white trading above the first close, black closing at the first close. */
export const CDLSTICKSANDWICH = def(7, (ctx, out, lb) => {
  const { close: C, low: L, color: K, flags: F } = ctx;
  const eq = ctx.avgAt(S.Equal, lb, 2);
  const { mask, want } = need('B', 'W', 'B');
  for (let i = lb, n = ctx.n; i < n; i++) {
    if ((F[i]! & mask) !== want) continue;
    out[i] =
      K[i - 2] === -1 &&
      K[i - 1] === 1 &&
      K[i] === -1 &&
      L[i - 1]! > C[i - 2]! &&
      C[i]! <= C[i - 2]! + eq[i - 2]! &&
      C[i]! >= C[i - 2]! - eq[i - 2]!
        ? 100
        : 0;
  }
});
