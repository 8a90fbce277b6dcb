/** The worker-thread whole-market pass returns exactly what the single-threaded pass does. */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { PATTERN_NAMES, computeAllPatterns } from '../../../src/analysis/candles/index.js';
import { computeAllPatternsParallel, createPatternPool } from '../../../src/analysis/candles/parallel.js';
import { repoRoot } from '../../support/fs.js';
import { adversarialBars, tickWalk } from './bars-fixtures.js';

// the worker runs the compiled module (global setup builds dist/ before the suites)
const workerUrl = pathToFileURL(resolve(repoRoot, 'dist/analysis/candles/pattern-worker.js'));

describe('computeAllPatternsParallel', () => {
  it('equals computeAllPatterns for every stock and pattern, in input order', async () => {
    const stocks = [
      ...Array.from({ length: 30 }, (_, k) => adversarialBars(300 + k, 200 + k * 7)),
      ...Array.from({ length: 10 }, (_, k) => tickWalk(400 + k, 5 + k * 40)),
    ];
    const par = await computeAllPatternsParallel(stocks, { threads: 2, chunk: 3, workerUrl });
    expect(par.length).toBe(stocks.length);
    let fired = 0;
    stocks.forEach((s, i) => {
      const one = computeAllPatterns(s);
      for (const name of PATTERN_NAMES) {
        expect(par[i]![name]!.length).toBe(s.open.length);
        expect(Array.from(par[i]![name]!), `${name} stock ${i}`).toEqual(Array.from(one[name]!));
        for (const v of one[name]!) if (v) fired++;
      }
    });
    expect(fired).toBeGreaterThan(1000);
  });

  it('streams results through onResult without keeping them', async () => {
    const stocks = Array.from({ length: 12 }, (_, k) => tickWalk(500 + k, 120));
    const seen: number[] = [];
    const kept = await computeAllPatternsParallel(stocks, { threads: 2, chunk: 5, workerUrl, onResult: (i, r) => { seen.push(i); expect(Object.keys(r).length).toBe(61); } });
    expect(kept).toEqual([]);
    expect(seen.sort((a, b) => a - b)).toEqual(stocks.map((_, i) => i));
  });

  it('a pool serves several runs with the same workers', async () => {
    const pool = createPatternPool({ threads: 2, workerUrl });
    try {
      for (const len of [50, 300]) {
        const stocks = Array.from({ length: 7 }, (_, k) => adversarialBars(600 + k + len, len));
        const par = await pool.run(stocks, { chunk: 2 });
        stocks.forEach((s, i) => {
          const one = computeAllPatterns(s);
          for (const name of PATTERN_NAMES) expect(Array.from(par[i]![name]!), `${name} ${i}`).toEqual(Array.from(one[name]!));
        });
      }
    } finally {
      await pool.close();
    }
  });
});
