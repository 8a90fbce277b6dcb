import { describe, it, expect } from 'vitest';
import { topkDropoutStep } from '../../src/ml/backtest/topk-dropout.js';

const scores = (o: Record<string, number>) => new Map(Object.entries(o));

describe("Qlib's TopkDropout decision", () => {
  it('starts by buying the top k', () => {
    const d = topkDropoutStep([], scores({ a: 0.1, b: 0.9, c: 0.5, d: 0.7 }), 3, 1);
    expect(d).toEqual({ hold: ['b', 'd', 'c'], sell: [], buy: ['b', 'd', 'c'] });
  });

  it('sells the held names in the bottom n_drop of held + best new, and buys as many of the best new', () => {
    // Held a, b, c; today b and c still score, a has no score (no signal today): a ranks last.
    // today = best 1 + 3 - 3 = 1 new name: e. comb = b(0.8) e(0.6) c(0.3) a(-inf); bottom 1 = a.
    const d = topkDropoutStep(['a', 'b', 'c'], scores({ b: 0.8, c: 0.3, e: 0.6, f: 0.2 }), 3, 1);
    expect(d).toEqual({ hold: ['b', 'c', 'e'], sell: ['a'], buy: ['e'] });
  });

  it('keeps a held name that still ranks above the new ones', () => {
    const d = topkDropoutStep(['a', 'b'], scores({ a: 0.9, b: 0.8, x: 0.1 }), 2, 1);
    // today = [x]; comb = a b x; the bottom is the new name, so nothing held is sold and nothing bought.
    expect(d).toEqual({ hold: ['a', 'b'], sell: [], buy: [] });
  });

  it('holds invariants on random inputs: at most topk held, at most n_drop sold, no name bought twice', () => {
    let seed = 7;
    const rnd = () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32);
    for (let trial = 0; trial < 500; trial++) {
      const topk = 1 + Math.floor(rnd() * 6);
      const nDrop = 1 + Math.floor(rnd() * topk);
      const universe = Array.from({ length: 12 }, (_, i) => `s${i}`);
      const held = universe.filter(() => rnd() < 0.3).slice(0, topk);
      const sc = new Map(universe.filter(() => rnd() < 0.6).map((c) => [c, Math.round(rnd() * 20) / 20]));
      const d = topkDropoutStep(held, sc, topk, nDrop);
      expect(d.hold.length).toBeLessThanOrEqual(topk);
      expect(d.sell.length).toBeLessThanOrEqual(nDrop);
      expect(new Set(d.hold).size).toBe(d.hold.length);
      for (const c of d.sell) expect(held).toContain(c);
      for (const c of d.buy) {
        expect(held).not.toContain(c);
        expect(sc.has(c)).toBe(true);
      }
      expect([...d.hold].sort()).toEqual([...held.filter((c) => !d.sell.includes(c)), ...d.buy].sort());
      // Enough scored names outside the book: the book is full after the decision.
      const freshCount = [...sc.keys()].filter((c) => !held.includes(c)).length;
      if (freshCount >= topk) expect(d.hold.length).toBe(topk);
    }
  });
});
