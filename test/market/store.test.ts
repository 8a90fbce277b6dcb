import { afterAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { openDb } from '../../src/core/db.js';
import { MarketStore } from '../../src/market/store.js';
import type { Bars } from '../../src/market/bars.js';
import { runCli } from '../support/cli.js';
import { tempDir } from '../support/fs.js';

const tmp = tempDir('qf-store-');
afterAll(() => tmp.cleanup());

function bars(code: string, dates: number[], base = 10): Bars {
  const f = (k: number) => Float64Array.from(dates, (_, i) => base + i + k);
  return { code, dates: Int32Array.from(dates), open: f(0), high: f(0.5), low: f(-0.5), close: f(0.2), volume: Float64Array.from(dates, () => 1000) };
}

describe('MarketStore', () => {
  it('reads typed columns by date range and keeps symbol stats in step with the rows', () => {
    const s = new MarketStore(openDb(':memory:'));
    s.importBars({ meta: { code: 'sh.600000', name: 'X' }, bars: bars('sh.600000', [20240102, 20240103, 20240104]), provider: 'csv' });
    const b = s.readBars('sh.600000', 20240103);
    expect(b.dates).toBeInstanceOf(Int32Array);
    expect(b.close).toBeInstanceOf(Float64Array);
    expect(Array.from(b.dates)).toEqual([20240103, 20240104]);
    expect(Array.from(s.readBars('sh.600000', 0, 20240103).dates)).toEqual([20240102, 20240103]);
    expect(s.readBars('nope').dates.length).toBe(0);
    // appending and overwriting a date: the new bar wins
    s.importBars({ meta: { code: 'sh.600000' }, bars: bars('sh.600000', [20240104, 20240105], 50), provider: 'csv' });
    const all = s.readBars('sh.600000');
    expect(Array.from(all.dates)).toEqual([20240102, 20240103, 20240104, 20240105]);
    expect(all.open[2]).toBe(50);
    expect(s.getSymbol('sh.600000')).toMatchObject({ name: 'X', first: 20240102, last: 20240105, bars: 4, market: 'sh', kind: 'stock' });
    const n = (s.db.prepare('SELECT COUNT(*) AS n FROM daily_bars WHERE code = ?').get('sh.600000') as { n: number }).n;
    expect(n).toBe(4);
  });

  it('never mixes two providers: bars from another provider replace the old ones', () => {
    const s = new MarketStore(openDb(':memory:'));
    s.importBars({ meta: { code: 'sh.600000' }, bars: bars('sh.600000', [20240102, 20240103]), provider: 'demo', synthetic: true });
    s.importBars({ meta: { code: 'sh.600000' }, bars: bars('sh.600000', [20240104]), provider: 'csv' });
    expect(Array.from(s.readBars('sh.600000').dates)).toEqual([20240104]);
    expect(s.getSymbol('sh.600000')).toMatchObject({ provider: 'csv', synthetic: false, bars: 1 });
  });

  it('serves synthetic quotes for stored demo symbols through the CLI, labelled synthetic', () => {
    const db = join(tmp.dir, 'q.db');
    expect(runCli(['--db', db, 'data', 'download', '--demo-symbols', '24', '--json']).status).toBe(0);
    const r = runCli(['--db', db, 'data', 'quotes', 'sh.600000,sh.000300', '--json']);
    expect(r.status).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.quotes.map((q: { code: string }) => q.code)).toEqual(['sh.600000', 'sh.000300']);
    expect(doc.quotes.every((q: { synthetic: boolean; provider: string }) => q.synthetic && q.provider === 'demo')).toBe(true);
    expect(runCli(['--db', db, 'data', 'quotes', 'sh.600000']).stdout).toContain('(synthetic)');
  });
});
