/**
 * The demo market is realistic enough for the pattern browser: for the ten patterns that fire most
 * often on the CSI 300 stocks, the demo market's fire rates are within a factor of 2 of CSI 300's.
 * (The generator is src/market/synthetic.ts; this test prints the table so a failure shows the numbers.)
 */
import { describe, expect, it } from 'vitest';
import { computeAllPatterns, PATTERN_NAMES } from '../../../src/analysis/candles/index.js';
import { emptyBars } from '../../../src/market/bars.js';
import { DemoProvider } from '../../../src/market/providers/demo.js';
import { CSI300_INDICES, allCsiBars } from './csi300.js';

function rates(barsList: { open: Float64Array; high: Float64Array; low: Float64Array; close: Float64Array }[]): Record<string, number> {
  const fired: Record<string, number> = Object.fromEntries(PATTERN_NAMES.map((p) => [p, 0]));
  let total = 0;
  for (const b of barsList) {
    const pats = computeAllPatterns(b as Parameters<typeof computeAllPatterns>[0]);
    for (const p of PATTERN_NAMES) {
      const col = pats[p]!;
      for (let i = 0; i < col.length; i++) if (col[i] !== 0) fired[p]!++;
    }
    total += b.close.length;
  }
  return Object.fromEntries(PATTERN_NAMES.map((p) => [p, fired[p]! / total]));
}

describe('demo market realism', () => {
  it('the ten most frequent CSI 300 patterns fire on the demo market within a factor of 2', () => {
    const csi = rates(allCsiBars().filter((b) => !CSI300_INDICES.includes(b.code)));
    const m = new DemoProvider().generate();
    const demoBars = m.symbols
      .map((s, i) => ({ s, i }))
      .filter(({ s }) => s.kind === 'stock')
      .map(({ s, i }) => {
        const keep: number[] = [];
        for (let t = 0; t < m.dates.length; t++) if (m.open[i]![t]! > 0) keep.push(t);
        const b = emptyBars(s.code, keep.length);
        keep.forEach((t, k) => {
          b.open[k] = m.open[i]![t]!;
          b.high[k] = m.high[i]![t]!;
          b.low[k] = m.low[i]![t]!;
          b.close[k] = m.close[i]![t]!;
        });
        return b;
      });
    const demo = rates(demoBars);
    const top = [...PATTERN_NAMES].sort((a, b) => csi[b]! - csi[a]!).slice(0, 10);
    const table = top.map((p) => ({ pattern: p, csi300: +(csi[p]! * 100).toFixed(2), demo: +(demo[p]! * 100).toFixed(2), ratio: +(demo[p]! / csi[p]!).toFixed(2) }));
    console.log('fire rates in % of bars (top 10 on CSI 300 stocks):\n' + table.map((r) => `${r.pattern.padEnd(22)} csi300 ${String(r.csi300).padStart(6)}  demo ${String(r.demo).padStart(6)}  ratio ${r.ratio}`).join('\n'));
    const off = table.filter((r) => !(r.ratio >= 0.5 && r.ratio <= 2));
    expect(off, 'patterns outside a factor of 2').toEqual([]);
  }, 180_000);
});
