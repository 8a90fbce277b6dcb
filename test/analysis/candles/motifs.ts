/**
 * Synthetic bars with hand-built instances of the rarest TA-Lib patterns (mat hold, concealing
 * baby swallow, crows, breakaway, three stars in the south, rising/falling three methods,
 * abandoned baby, ...) embedded in random context, jittered by a tick so that many land exactly on
 * a rule's boundary, and mirrored (price -> 2P - price) to get the bearish twin.
 */
import { rng, type OhlcSeries } from './bars-fixtures.js';

type Bar = [o: number, h: number, l: number, c: number];
/** A motif in units of u (the context's typical body) relative to the price P. */
type Motif = Bar[];

// [open, high, low, close] in units; high/low are widened to cover open/close afterwards.
const MOTIFS: Motif[] = [
  // mat hold
  [
    [0, 4.1, -0.1, 4],
    [5.2, 5.3, 4.7, 4.8],
    [4.5, 4.6, 3.7, 3.8],
    [4.3, 4.4, 3.5, 3.6],
    [4, 6.5, 3.9, 6.4],
  ],
  // concealing baby swallow
  [
    [0, 0, -3, -3],
    [-3.2, -3.2, -6.2, -6.2],
    [-6.7, -5.7, -7.8, -7.7],
    [-5.5, -5.49, -8.01, -8],
  ],
  // three black crows
  [
    [0, 2.5, -0.1, 2],
    [2.1, 2.1, 0.1, 0.1],
    [1.6, 1.6, -1.4, -1.4],
    [-0.9, -0.9, -2.9, -2.9],
  ],
  // breakaway (bullish)
  [
    [0, 0.1, -4.1, -4],
    [-4.5, -4.4, -5.6, -5.5],
    [-5.7, -5.65, -6.3, -6.2],
    [-6.3, -6.25, -7.4, -7.3],
    [-7.3, -4.2, -7.35, -4.3],
  ],
  // two crows
  [
    [0, 3.1, -0.1, 3],
    [4.5, 4.6, 3.4, 3.5],
    [4, 4.1, 1.4, 1.5],
  ],
  // upside gap two crows
  [
    [0, 3.1, -0.1, 3],
    [4, 4.1, 3.4, 3.5],
    [4.3, 4.4, 3.1, 3.2],
  ],
  // three stars in the south
  [
    [0, 0.1, -6.5, -3],
    [-2.5, -2.5, -5.5, -4],
    [-3.8, -3.8, -4.3, -4.3],
  ],
  // rising three methods
  [
    [0, 4.2, -0.2, 4],
    [3.5, 3.6, 2.9, 3],
    [3.1, 3.2, 2.5, 2.6],
    [2.7, 2.8, 2.1, 2.2],
    [2.3, 5.2, 2.2, 5],
  ],
  // abandoned baby (bullish)
  [
    [0, 0.1, -4.1, -4],
    [-4.6, -4.5, -4.9, -4.6],
    [-4.2, -2, -4.3, -2.1],
  ],
  // three-line strike (bullish three soldiers wiped out)
  [
    [0, 1.1, -0.1, 1],
    [0.9, 2.1, 0.8, 2],
    [1.9, 3.1, 1.8, 3],
    [3.2, 3.3, -0.3, -0.2],
  ],
  // ladder bottom
  [
    [0, 0.1, -1.1, -1],
    [-0.8, -0.7, -2.1, -2],
    [-1.8, -1.7, -3.1, -3],
    [-2.8, -1.8, -3.6, -3.5],
    [-3.4, -1.5, -3.45, -1.6],
  ],
  // kicking
  [
    [0, 0, -3, -3],
    [-2.8, 0.2, -2.8, 0.2],
  ],
  // unique three river
  [
    [0, 0.1, -4.1, -4],
    [-1, -0.9, -5.5, -3.5],
    [-4.5, -4.1, -5.4, -4.2],
  ],
];

const tick = (x: number): number => Math.round(x * 100) / 100;

export function motifBars(seed: number, count: number): OhlcSeries {
  const r = rng(seed);
  const o: number[] = [];
  const h: number[] = [];
  const l: number[] = [];
  const c: number[] = [];
  let p = 20;
  const push = (bo: number, bh: number, bl: number, bc: number): void => {
    bo = Math.max(0.01, tick(bo));
    bc = Math.max(0.01, tick(bc));
    bh = Math.max(tick(bh), bo, bc);
    bl = Math.max(0.01, Math.min(tick(bl), bo, bc));
    o.push(bo);
    h.push(bh);
    l.push(bl);
    c.push(bc);
    p = bc;
  };
  for (let m = 0; m < count; m++) {
    const u = 0.05 + Math.floor(r() * 20) * 0.01;
    // context: 12 ordinary bars with bodies about u
    for (let k = 0; k < 12; k++) {
      const op = p + (r() - 0.5) * u;
      const cl = op + (r() - 0.5) * 2 * u;
      push(op, Math.max(op, cl) + r() * 0.5 * u, Math.min(op, cl) - r() * 0.5 * u, cl);
    }
    const motif = MOTIFS[Math.floor(r() * MOTIFS.length)]!;
    const mirror = r() < 0.5;
    const P = p;
    const scale = u * (0.8 + r() * 0.6);
    for (const [mo, mh, ml, mc] of motif) {
      const j = (): number => (r() < 0.3 ? Math.floor(r() * 3 - 1) * 0.01 : 0);
      const f = (x: number): number => (mirror ? P - x * scale : P + x * scale) + j();
      const a = f(mo);
      const b = f(mc);
      const hi = mirror ? f(ml) : f(mh);
      const lo = mirror ? f(mh) : f(ml);
      push(a, hi, lo, b);
    }
  }
  return {
    label: `motifs#${seed}`,
    dates: o.map((_, i) => `#${i}`),
    open: Float64Array.from(o),
    high: Float64Array.from(h),
    low: Float64Array.from(l),
    close: Float64Array.from(c),
  };
}
