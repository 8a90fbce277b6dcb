/**
 * One-bar patterns (dojis, marubozus, long/short lines, spinning tops): each bar is judged against
 * the averages of the bars before it.
 *
 * Speed: the conditions are combined without short-circuits (`+(a < b) & ...`), so there are no
 * unpredictable branches; where one condition or pair is rare (a doji: ~12% of bars; both shadows
 * very short or very long: <10%), the loop first tests that alone, as ONE well-predicted branch,
 * and evaluates the full (unchanged) expression only for the bars that pass. runPattern has zeroed
 * `out`, so the others stay 0.
 */
import { S, type CandleContext, type PatternDef } from './candle-settings.js';

function def(lookback: number, run: (ctx: CandleContext, out: Int32Array, lb: number) => void): PatternDef {
  return { lookback, run: (ctx, out) => run(ctx, out, lookback) };
}

/** Body no larger than 10% of the average range. Always +100. */
export const CDLDOJI = def(10, (ctx, out, lb) => {
  const B = ctx.body;
  const doji = ctx.avgAt(S.BodyDoji, lb, 0);
  for (let i = lb, n = ctx.n; i < n; i++) out[i] = +(B[i]! <= doji[i]!) * 100;
});

/** Doji with (almost) no upper shadow and a lower shadow. */
export const CDLDRAGONFLYDOJI = def(10, (ctx, out, lb) => {
  const { body: B, upper: U, lower: D } = ctx;
  const doji = ctx.avgAt(S.BodyDoji, lb, 0);
  const vs = ctx.avgAt(S.ShadowVeryShort, lb, 0);
  for (let i = lb, n = ctx.n; i < n; i++) if (B[i]! <= doji[i]!) out[i] = (+(B[i]! <= doji[i]!) & +(U[i]! < vs[i]!) & +(D[i]! > vs[i]!)) * 100;
});

/** Doji with (almost) no lower shadow and an upper shadow. */
export const CDLGRAVESTONEDOJI = def(10, (ctx, out, lb) => {
  const { body: B, upper: U, lower: D } = ctx;
  const doji = ctx.avgAt(S.BodyDoji, lb, 0);
  const vs = ctx.avgAt(S.ShadowVeryShort, lb, 0);
  for (let i = lb, n = ctx.n; i < n; i++) if (B[i]! <= doji[i]!) out[i] = (+(B[i]! <= doji[i]!) & +(D[i]! < vs[i]!) & +(U[i]! > vs[i]!)) * 100;
});

/** Doji with one shadow longer than the body. */
export const CDLLONGLEGGEDDOJI = def(10, (ctx, out, lb) => {
  const { body: B, upper: U, lower: D } = ctx;
  const doji = ctx.avgAt(S.BodyDoji, lb, 0);
  const sl = ctx.avgAt(S.ShadowLong, lb, 0);
  for (let i = lb, n = ctx.n; i < n; i++) if (B[i]! <= doji[i]!) out[i] = (+(B[i]! <= doji[i]!) & (+(D[i]! > sl[i]!) | +(U[i]! > sl[i]!))) * 100;
});

/** Long-legged doji whose body sits near the middle of the range. */
export const CDLRICKSHAWMAN = def(10, (ctx, out, lb) => {
  const { body: B, upper: U, lower: D, range: R, low: L, top: T, bottom: Bo } = ctx;
  const doji = ctx.avgAt(S.BodyDoji, lb, 0);
  const sl = ctx.avgAt(S.ShadowLong, lb, 0);
  const near = ctx.avgAt(S.Near, lb, 0);
  for (let i = lb, n = ctx.n; i < n; i++) {
    if (!(B[i]! <= doji[i]!)) continue;
    const mid = L[i]! + R[i]! / 2;
    out[i] =
      (+(B[i]! <= doji[i]!) & +(D[i]! > sl[i]!) & +(U[i]! > sl[i]!) & +(Bo[i]! <= mid + near[i]!) & +(T[i]! >= mid - near[i]!)) *
      100;
  }
});

/** Dragonfly doji with a very long lower shadow. */
export const CDLTAKURI = def(10, (ctx, out, lb) => {
  const { body: B, upper: U, lower: D } = ctx;
  const doji = ctx.avgAt(S.BodyDoji, lb, 0);
  const vs = ctx.avgAt(S.ShadowVeryShort, lb, 0);
  const vl = ctx.avgAt(S.ShadowVeryLong, lb, 0);
  for (let i = lb, n = ctx.n; i < n; i++) if (B[i]! <= doji[i]!) out[i] = (+(B[i]! <= doji[i]!) & +(U[i]! < vs[i]!) & +(D[i]! > vl[i]!)) * 100;
});

/** Long body that opens at its extreme (white: no lower shadow; black: no upper shadow). */
export const CDLBELTHOLD = def(10, (ctx, out, lb) => {
  const { body: B, upper: U, lower: D, color: K } = ctx;
  const long = ctx.avgAt(S.BodyLong, lb, 0);
  const vs = ctx.avgAt(S.ShadowVeryShort, lb, 0);
  for (let i = lb, n = ctx.n; i < n; i++) {
    const k = K[i]!;
    // sh < vs for sh = (white ? lower : upper), as integer selects (no branch on the colour)
    const w = +(k === 1);
    const shortSh = (w & +(D[i]! < vs[i]!)) | ((w ^ 1) & +(U[i]! < vs[i]!));
    out[i] = (+(B[i]! > long[i]!) & shortSh) * k * 100;
  }
});

/** Long body that closes at its extreme (white: no upper shadow; black: no lower shadow). */
export const CDLCLOSINGMARUBOZU = def(10, (ctx, out, lb) => {
  const { body: B, upper: U, lower: D, color: K } = ctx;
  const long = ctx.avgAt(S.BodyLong, lb, 0);
  const vs = ctx.avgAt(S.ShadowVeryShort, lb, 0);
  for (let i = lb, n = ctx.n; i < n; i++) {
    const k = K[i]!;
    // sh < vs for sh = (white ? upper : lower), as integer selects (no branch on the colour)
    const w = +(k === 1);
    const shortSh = (w & +(U[i]! < vs[i]!)) | ((w ^ 1) & +(D[i]! < vs[i]!));
    out[i] = (+(B[i]! > long[i]!) & shortSh) * k * 100;
  }
});

/** Long body with (almost) no shadows. */
export const CDLMARUBOZU = def(10, (ctx, out, lb) => {
  const { body: B, upper: U, lower: D, color: K } = ctx;
  const long = ctx.avgAt(S.BodyLong, lb, 0);
  const vs = ctx.avgAt(S.ShadowVeryShort, lb, 0);
  for (let i = lb, n = ctx.n; i < n; i++)
    if (+(U[i]! < vs[i]!) & +(D[i]! < vs[i]!)) out[i] = (+(B[i]! > long[i]!) & +(U[i]! < vs[i]!) & +(D[i]! < vs[i]!)) * K[i]! * 100;
});

/** Long body with short shadows. */
export const CDLLONGLINE = def(10, (ctx, out, lb) => {
  const { body: B, upper: U, lower: D, color: K } = ctx;
  const long = ctx.avgAt(S.BodyLong, lb, 0);
  const ss = ctx.avgAt(S.ShadowShort, lb, 0);
  for (let i = lb, n = ctx.n; i < n; i++) out[i] = (+(B[i]! > long[i]!) & +(U[i]! < ss[i]!) & +(D[i]! < ss[i]!)) * K[i]! * 100;
});

/** Short body with short shadows. */
export const CDLSHORTLINE = def(10, (ctx, out, lb) => {
  const { body: B, upper: U, lower: D, color: K } = ctx;
  const short = ctx.avgAt(S.BodyShort, lb, 0);
  const ss = ctx.avgAt(S.ShadowShort, lb, 0);
  for (let i = lb, n = ctx.n; i < n; i++) out[i] = (+(B[i]! < short[i]!) & +(U[i]! < ss[i]!) & +(D[i]! < ss[i]!)) * K[i]! * 100;
});

/** Short body with both shadows longer than the body. */
export const CDLSPINNINGTOP = def(10, (ctx, out, lb) => {
  const { body: B, upper: U, lower: D, color: K } = ctx;
  const short = ctx.avgAt(S.BodyShort, lb, 0);
  for (let i = lb, n = ctx.n; i < n; i++) {
    const b = B[i]!;
    if (+(U[i]! > b) & +(D[i]! > b)) out[i] = (+(b < short[i]!) & +(U[i]! > b) & +(D[i]! > b)) * K[i]! * 100;
  }
});

/** Short body with both shadows very long (more than twice the body). */
export const CDLHIGHWAVE = def(10, (ctx, out, lb) => {
  const { body: B, upper: U, lower: D, color: K } = ctx;
  const short = ctx.avgAt(S.BodyShort, lb, 0);
  const vl = ctx.avgAt(S.ShadowVeryLong, lb, 0);
  for (let i = lb, n = ctx.n; i < n; i++)
    if (+(U[i]! > vl[i]!) & +(D[i]! > vl[i]!)) out[i] = (+(B[i]! < short[i]!) & +(U[i]! > vl[i]!) & +(D[i]! > vl[i]!)) * K[i]! * 100;
});

/** Small body, long lower shadow, tiny upper shadow, body near the prior bar's low. */
export const CDLHAMMER = def(11, (ctx, out, lb) => {
  const { body: B, upper: U, lower: D, bottom: Bo, low: L } = ctx;
  const short = ctx.avgAt(S.BodyShort, lb, 0);
  const sl = ctx.avgAt(S.ShadowLong, lb, 0);
  const vs = ctx.avgAt(S.ShadowVeryShort, lb, 0);
  const near = ctx.avgAt(S.Near, lb, 1);
  for (let i = lb, n = ctx.n; i < n; i++)
    if (+(D[i]! > sl[i]!) & +(U[i]! < vs[i]!))
      out[i] = (+(B[i]! < short[i]!) & +(D[i]! > sl[i]!) & +(U[i]! < vs[i]!) & +(Bo[i]! <= L[i - 1]! + near[i - 1]!)) * 100;
});

/** The hammer's shape with the body near the prior bar's high. */
export const CDLHANGINGMAN = def(11, (ctx, out, lb) => {
  const { body: B, upper: U, lower: D, bottom: Bo, high: H } = ctx;
  const short = ctx.avgAt(S.BodyShort, lb, 0);
  const sl = ctx.avgAt(S.ShadowLong, lb, 0);
  const vs = ctx.avgAt(S.ShadowVeryShort, lb, 0);
  const near = ctx.avgAt(S.Near, lb, 1);
  for (let i = lb, n = ctx.n; i < n; i++)
    if (+(D[i]! > sl[i]!) & +(U[i]! < vs[i]!))
      out[i] = (+(B[i]! < short[i]!) & +(D[i]! > sl[i]!) & +(U[i]! < vs[i]!) & +(Bo[i]! >= H[i - 1]! - near[i - 1]!)) * -100;
});

/** Small body, long upper shadow, tiny lower shadow, body gapping down from the prior body. */
export const CDLINVERTEDHAMMER = def(11, (ctx, out, lb) => {
  const { body: B, upper: U, lower: D, top: T, bottom: Bo } = ctx;
  const short = ctx.avgAt(S.BodyShort, lb, 0);
  const sl = ctx.avgAt(S.ShadowLong, lb, 0);
  const vs = ctx.avgAt(S.ShadowVeryShort, lb, 0);
  for (let i = lb, n = ctx.n; i < n; i++)
    if (+(U[i]! > sl[i]!) & +(D[i]! < vs[i]!))
      out[i] = (+(B[i]! < short[i]!) & +(U[i]! > sl[i]!) & +(D[i]! < vs[i]!) & +(T[i]! < Bo[i - 1]!)) * 100;
});

/** Small body, long upper shadow, tiny lower shadow, body gapping up from the prior body. */
export const CDLSHOOTINGSTAR = def(11, (ctx, out, lb) => {
  const { body: B, upper: U, lower: D, top: T, bottom: Bo } = ctx;
  const short = ctx.avgAt(S.BodyShort, lb, 0);
  const sl = ctx.avgAt(S.ShadowLong, lb, 0);
  const vs = ctx.avgAt(S.ShadowVeryShort, lb, 0);
  for (let i = lb, n = ctx.n; i < n; i++)
    if (+(U[i]! > sl[i]!) & +(D[i]! < vs[i]!))
      out[i] = (+(B[i]! < short[i]!) & +(U[i]! > sl[i]!) & +(D[i]! < vs[i]!) & +(Bo[i]! > T[i - 1]!)) * -100;
});
