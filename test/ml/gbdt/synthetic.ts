/** Synthetic classification data with a known nonlinear rule (shared by the GBDT tests). */
import type { DenseMatrix } from '../../../src/ml/gbdt/matrix.js';
import { Rng } from '../../../src/ml/gbdt/random.js';

export interface Synthetic {
  x: DenseMatrix;
  y: Float32Array;
}

/**
 * 8 features: x0, x1 uniform in [-1, 1], x2 a candle-like code (0 / +-100), x3..x7 noise.
 * y = 1 when x0^2 + x1^2 < 0.5 xor x2 > 0, with `noise` of the labels flipped; `missing` is the
 * share of NaN in x0 (and x3), which then means "inside the circle" (so the default direction matters).
 */
export function syntheticData(n: number, seed: number, opts: { missing?: number; noise?: number } = {}): Synthetic {
  const rng = new Rng(seed);
  const nf = 8;
  const data = new Float32Array(n * nf);
  const y = new Float32Array(n);
  for (let r = 0; r < n; r++) {
    const o = r * nf;
    const x0 = rng.next() * 2 - 1;
    const x1 = rng.next() * 2 - 1;
    const u = rng.next();
    const x2 = u < 0.7 ? 0 : u < 0.85 ? 100 : -100;
    let inside = x0 * x0 + x1 * x1 < 0.5;
    data[o] = x0;
    data[o + 1] = x1;
    data[o + 2] = x2;
    for (let f = 3; f < nf; f++) data[o + f] = rng.next() * 2 - 1;
    if (opts.missing && rng.next() < opts.missing) {
      data[o] = NaN;
      inside = true;
    }
    if (opts.missing && rng.next() < opts.missing) data[o + 3] = NaN;
    let label = inside !== x2 > 0;
    if (opts.noise && rng.next() < opts.noise) label = !label;
    y[r] = label ? 1 : 0;
  }
  return { x: { nrow: n, ncol: nf, data }, y };
}
