/** Two-bar patterns: the current bar read against the one before it. */
import { S, need, type CandleContext, type PatternDef } from './candle-settings.js';

function def(lookback: number, run: (ctx: CandleContext, out: Int32Array, lb: number) => void): PatternDef {
  return { lookback, run: (ctx, out) => run(ctx, out, lookback) };
}

/** A body that engulfs the prior opposite-colour body; ±80 when the bodies share an end. */
export const CDLENGULFING = def(2, (ctx, out, lb) => {
  const { open: O, close: C, color: K, flags: F } = ctx;
  // both directions need the second body to cover the first (non-strictly)
  const { mask: um, want: uw } = need('B', 'WE');
  const { mask: dm, want: dw } = need('W', 'BE');
  for (let i = lb, n = ctx.n; i < n; i++) {
    const f = F[i]!;
    if ((f & um) !== uw && (f & dm) !== dw) continue;
    const k = K[i]!;
    const o = O[i]!;
    const c = C[i]!;
    const po = O[i - 1]!;
    const pc = C[i - 1]!;
    let hit = false;
    if (k === 1 && K[i - 1] === -1) hit = (c >= po && o < pc) || (c > po && o <= pc);
    else if (k === -1 && K[i - 1] === 1) hit = (o >= pc && c < po) || (o > pc && c <= po);
    out[i] = hit ? (o !== pc && c !== po ? k * 100 : k * 80) : 0;
  }
});

function harami(ctx: CandleContext, out: Int32Array, lb: number, second: Float64Array): void {
  const { body: B, top: T, bottom: Bo, color: K, flags: F } = ctx;
  const long = ctx.avgAt(S.BodyLong, lb, 1);
  const { mask, want } = need('.', 'H');
  for (let i = lb, n = ctx.n; i < n; i++) {
    if ((F[i]! & mask) !== want) continue;
    let v = 0;
    if (B[i - 1]! > long[i - 1]! && B[i]! <= second[i]!) {
      if (T[i]! < T[i - 1]! && Bo[i]! > Bo[i - 1]!) v = -K[i - 1]! * 100;
      else if (T[i]! <= T[i - 1]! && Bo[i]! >= Bo[i - 1]!) v = -K[i - 1]! * 80;
    }
    out[i] = v;
  }
}

/** A short body inside the prior long body; ±80 when the bodies share an end. */
export const CDLHARAMI = def(11, (ctx, out, lb) => harami(ctx, out, lb, ctx.avgAt(S.BodyShort, lb, 0)));

/** A doji inside the prior long body; ±80 when the bodies share an end. */
export const CDLHARAMICROSS = def(11, (ctx, out, lb) => harami(ctx, out, lb, ctx.avgAt(S.BodyDoji, lb, 0)));

/** A doji whose body gaps away from a long body in the long body's direction. */
export const CDLDOJISTAR = def(11, (ctx, out, lb) => {
  const { body: B, top: T, bottom: Bo, color: K, flags: F } = ctx;
  const long = ctx.avgAt(S.BodyLong, lb, 1);
  const doji = ctx.avgAt(S.BodyDoji, lb, 0);
  const { mask: um, want: uw } = need('W', '^');
  const { mask: dm, want: dw } = need('B', 'v');
  for (let i = lb, n = ctx.n; i < n; i++) {
    // a colour-and-gap word of either direction and a doji (rare), both evaluated, one branch
    const f = F[i]!;
    if (((+((f & um) === uw) | +((f & dm) === dw)) & +(B[i]! <= doji[i]!)) === 0) continue;
    const k1 = K[i - 1]!;
    out[i] =
      B[i - 1]! > long[i - 1]! &&
      B[i]! <= doji[i]! &&
      ((k1 === 1 && Bo[i]! > T[i - 1]!) || (k1 === -1 && T[i]! < Bo[i - 1]!))
        ? -k1 * 100
        : 0;
  }
});

/** Two long opposite bodies closing at the same price. */
export const CDLCOUNTERATTACK = def(11, (ctx, out, lb) => {
  const { body: B, close: C, color: K } = ctx;
  const long1 = ctx.avgAt(S.BodyLong, lb, 1);
  const long0 = ctx.avgAt(S.BodyLong, lb, 0);
  const eq = ctx.avgAt(S.Equal, lb, 1);
  for (let i = lb, n = ctx.n; i < n; i++) {
    // prefilter: equal closes (rare), both sides evaluated, one branch
    if ((+(C[i]! <= C[i - 1]! + eq[i - 1]!) & +(C[i]! >= C[i - 1]! - eq[i - 1]!)) === 0) continue;
    const k = K[i]!;
    out[i] =
      K[i - 1] === -k &&
      B[i - 1]! > long1[i - 1]! &&
      B[i]! > long0[i]! &&
      C[i]! <= C[i - 1]! + eq[i - 1]! &&
      C[i]! >= C[i - 1]! - eq[i - 1]!
        ? k * 100
        : 0;
  }
});

/** After a long white bar, a black bar opens above its high and closes deep into its body. */
export const CDLDARKCLOUDCOVER = def(11, (ctx, out, lb) => {
  const { body: B, open: O, high: H, close: C, color: K, flags: F } = ctx;
  const long = ctx.avgAt(S.BodyLong, lb, 1);
  const pen = 0.5;
  const { mask, want } = need('W', 'B');
  for (let i = lb, n = ctx.n; i < n; i++) {
    // the colours and the open above the prior high (rare), both evaluated, one branch
    if ((+((F[i]! & mask) === want) & +(O[i]! > H[i - 1]!)) === 0) continue;
    out[i] =
      K[i - 1] === 1 &&
      B[i - 1]! > long[i - 1]! &&
      K[i] === -1 &&
      O[i]! > H[i - 1]! &&
      C[i]! > O[i - 1]! &&
      C[i]! < C[i - 1]! - B[i - 1]! * pen
        ? -100
        : 0;
  }
});

/** After a long black bar, a long white bar opens below its low and closes above its midpoint. */
export const CDLPIERCING = def(11, (ctx, out, lb) => {
  const { body: B, open: O, low: L, close: C, color: K, flags: F } = ctx;
  const long1 = ctx.avgAt(S.BodyLong, lb, 1);
  const long0 = ctx.avgAt(S.BodyLong, lb, 0);
  const { mask, want } = need('B', 'W');
  for (let i = lb, n = ctx.n; i < n; i++) {
    // the colours and the open below the prior low (rare), both evaluated, one branch
    if ((+((F[i]! & mask) === want) & +(O[i]! < L[i - 1]!)) === 0) continue;
    out[i] =
      K[i - 1] === -1 &&
      B[i - 1]! > long1[i - 1]! &&
      K[i] === 1 &&
      B[i]! > long0[i]! &&
      O[i]! < L[i - 1]! &&
      C[i]! < O[i - 1]! &&
      C[i]! > C[i - 1]! + B[i - 1]! * 0.5
        ? 100
        : 0;
  }
});

/** A short black body inside a prior long black body. */
export const CDLHOMINGPIGEON = def(11, (ctx, out, lb) => {
  const { body: B, open: O, close: C, color: K, flags: F } = ctx;
  const long = ctx.avgAt(S.BodyLong, lb, 1);
  const short = ctx.avgAt(S.BodyShort, lb, 0);
  // two blacks with O[i] < O[i-1] and C[i] > C[i-1]: the second body is inside the first
  const { mask, want } = need('B', 'BH');
  for (let i = lb, n = ctx.n; i < n; i++) {
    if ((F[i]! & mask) !== want) continue;
    out[i] =
      K[i - 1] === -1 &&
      K[i] === -1 &&
      B[i - 1]! > long[i - 1]! &&
      B[i]! <= short[i]! &&
      O[i]! < O[i - 1]! &&
      C[i]! > C[i - 1]!
        ? 100
        : 0;
  }
});

type NeckRule = (c: number, pc: number, pl: number, pb: number, eq: number) => boolean;

function neck(ctx: CandleContext, out: Int32Array, lb: number, rule: NeckRule): void {
  const { body: B, open: O, low: L, close: C, color: K, flags: F } = ctx;
  const eq = ctx.avgAt(S.Equal, lb, 1);
  const long = ctx.avgAt(S.BodyLong, lb, 1);
  const { mask, want } = need('B', 'W');
  for (let i = lb, n = ctx.n; i < n; i++) {
    // the colours and the open below the prior low (rare), both evaluated, one branch
    if ((+((F[i]! & mask) === want) & +(O[i]! < L[i - 1]!)) === 0) continue;
    out[i] =
      K[i - 1] === -1 &&
      B[i - 1]! > long[i - 1]! &&
      K[i] === 1 &&
      O[i]! < L[i - 1]! &&
      rule(C[i]!, C[i - 1]!, L[i - 1]!, B[i - 1]!, eq[i - 1]!)
        ? -100
        : 0;
  }
}

/** After a long black bar, a white bar opening below its low closes just at or above its close. */
export const CDLINNECK = def(11, (ctx, out, lb) => neck(ctx, out, lb, (c, pc, _pl, _pb, eq) => c <= pc + eq && c >= pc));

/** After a long black bar, a white bar opening below its low closes at its low. */
export const CDLONNECK = def(11, (ctx, out, lb) => neck(ctx, out, lb, (c, _pc, pl, _pb, eq) => c <= pl + eq && c >= pl - eq));

/** After a long black bar, a white bar opening below its low closes into, but not past the middle of, its body. */
export const CDLTHRUSTING = def(11, (ctx, out, lb) =>
  neck(ctx, out, lb, (c, pc, _pl, pb, eq) => c > pc + eq && c <= pc + pb * 0.5),
);

function kicking(ctx: CandleContext, out: Int32Array, lb: number, byLength: boolean): void {
  const { body: B, upper: U, lower: D, high: H, low: L, color: K } = ctx;
  const vs1 = ctx.avgAt(S.ShadowVeryShort, lb, 1);
  const vs0 = ctx.avgAt(S.ShadowVeryShort, lb, 0);
  const long1 = ctx.avgAt(S.BodyLong, lb, 1);
  const long0 = ctx.avgAt(S.BodyLong, lb, 0);
  for (let i = lb, n = ctx.n; i < n; i++) {
    // prefilter: bar i is a marubozu (both shadows very short; rare), one branch
    if ((+(U[i]! < vs0[i]!) & +(D[i]! < vs0[i]!)) === 0) continue;
    const k1 = K[i - 1]!;
    const hit =
      k1 === -K[i]! &&
      B[i - 1]! > long1[i - 1]! &&
      U[i - 1]! < vs1[i - 1]! &&
      D[i - 1]! < vs1[i - 1]! &&
      B[i]! > long0[i]! &&
      U[i]! < vs0[i]! &&
      D[i]! < vs0[i]! &&
      ((k1 === -1 && L[i]! > H[i - 1]!) || (k1 === 1 && H[i]! < L[i - 1]!));
    out[i] = hit ? (byLength ? (B[i]! > B[i - 1]! ? K[i]! : k1) : K[i]!) * 100 : 0;
  }
}

/** Two opposite marubozus with a gap between them; the sign is the second's colour. */
export const CDLKICKING = def(11, (ctx, out, lb) => kicking(ctx, out, lb, false));

/** Kicking, with the sign of the longer marubozu. */
export const CDLKICKINGBYLENGTH = def(11, (ctx, out, lb) => kicking(ctx, out, lb, true));

/** Two black bars closing at the same price. */
export const CDLMATCHINGLOW = def(6, (ctx, out, lb) => {
  const { close: C, color: K, flags: F } = ctx;
  const eq = ctx.avgAt(S.Equal, lb, 1);
  const { mask, want } = need('B', 'B');
  for (let i = lb, n = ctx.n; i < n; i++) {
    if ((F[i]! & mask) !== want) continue;
    out[i] = K[i - 1] === -1 && K[i] === -1 && C[i]! <= C[i - 1]! + eq[i - 1]! && C[i]! >= C[i - 1]! - eq[i - 1]! ? 100 : 0;
  }
});

/** Opposite bars opening at the same price, the second a belt hold. */
export const CDLSEPARATINGLINES = def(11, (ctx, out, lb) => {
  const { body: B, upper: U, lower: D, open: O, color: K } = ctx;
  const vs = ctx.avgAt(S.ShadowVeryShort, lb, 0);
  const long = ctx.avgAt(S.BodyLong, lb, 0);
  const eq = ctx.avgAt(S.Equal, lb, 1);
  for (let i = lb, n = ctx.n; i < n; i++) {
    // prefilter: equal opens (rare), both sides evaluated, one branch
    if ((+(O[i]! <= O[i - 1]! + eq[i - 1]!) & +(O[i]! >= O[i - 1]! - eq[i - 1]!)) === 0) continue;
    const k = K[i]!;
    out[i] =
      K[i - 1] === -k &&
      O[i]! <= O[i - 1]! + eq[i - 1]! &&
      O[i]! >= O[i - 1]! - eq[i - 1]! &&
      B[i]! > long[i]! &&
      ((k === 1 && D[i]! < vs[i]!) || (k === -1 && U[i]! < vs[i]!))
        ? k * 100
        : 0;
  }
});
