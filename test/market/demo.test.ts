import { afterAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { runCli } from '../support/cli.js';
import { tempDir } from '../support/fs.js';
import { openDb } from '../../src/core/db.js';
import { MarketStore } from '../../src/market/store.js';
import { DemoProvider } from '../../src/market/providers/demo.js';
import { downloadMarket } from '../../src/market/download.js';
import { generateMarket } from '../../src/market/synthetic.js';

const tmp = tempDir('qf-demo-');
afterAll(() => tmp.cleanup());

async function demoStore(opts: { seed?: number; end?: number } = {}) {
  const store = new MarketStore(openDb(':memory:'));
  const summary = await downloadMarket(store, new DemoProvider({ seed: opts.seed }), { end: opts.end });
  return { store, summary };
}

function logReturns(close: Float64Array): number[] {
  const r: number[] = [];
  for (let i = 1; i < close.length; i++) r.push(Math.log(close[i]! / close[i - 1]!));
  return r;
}

describe('demo provider: a deterministic synthetic market', () => {
  it('is the offline default: ~300 symbols with indices, 3 years, labelled synthetic', () => {
    const db = join(tmp.dir, 'demo.db');
    const r = runCli(['--db', db, 'data', 'download', '--json']);
    expect(r.status).toBe(0);
    const s = JSON.parse(r.stdout);
    expect(s).toMatchObject({ provider: 'demo', synthetic: true, symbols: 300, failed: [] });
    const store = new MarketStore(openDb(db));
    const syms = store.listSymbols();
    expect(syms).toHaveLength(300);
    expect(syms.every((x) => x.synthetic && x.name.includes('(synthetic)'))).toBe(true);
    expect(syms.filter((x) => x.kind === 'index').map((x) => x.code).sort()).toEqual(['sh.000001', 'sh.000300', 'sz.399001', 'sz.399006']);
    const ix = store.getSymbol('sh.000300')!;
    expect(ix.first).toBe(20230103);
    expect(ix.last).toBe(20251231);
    expect(ix.bars).toBeGreaterThan(700);
    const text = runCli(['--db', db, 'data', 'download']).stdout;
    expect(text).toMatch(/SYNTHETIC/);
    expect(runCli(['--db', db, 'data', 'show', 'sh.000300', '--last', '1']).stdout).toMatch(/SYNTHETIC/);
  });

  it('gives the same market for the same seed and another for another seed', () => {
    const a = generateMarket({ seed: 7, stocks: 20, start: 20230103, end: 20231231 });
    const b = generateMarket({ seed: 7, stocks: 20, start: 20230103, end: 20231231 });
    const c = generateMarket({ seed: 8, stocks: 20, start: 20230103, end: 20231231 });
    expect(a.close).toEqual(b.close);
    expect(a.volume).toEqual(b.volume);
    expect(a.close[3]).not.toEqual(c.close[3]);
    // a later end only appends days
    const longer = generateMarket({ seed: 7, stocks: 20, start: 20230103, end: 20240630 });
    expect(Array.from(longer.close[5]!.subarray(0, a.dates.length))).toEqual(Array.from(a.close[5]!));
  });

  it('has fat tails, volatility clustering, a common factor, volume tied to |return|, valid ticks and some dojis', async () => {
    const { store } = await demoStore();
    const stocks = store.listSymbols().filter((s) => s.kind === 'stock');
    let n = 0, m2 = 0, m4 = 0, acfSum = 0, volCorrSum = 0, doji = 0, days = 0, offTick = 0, badOhlc = 0;
    const series: number[][] = [];
    for (const s of stocks) {
      const b = store.readBars(s.code);
      const r = logReturns(b.close);
      series.push(r);
      const mean = r.reduce((x, y) => x + y, 0) / r.length;
      let v = 0, k = 0;
      for (const x of r) {
        v += (x - mean) ** 2;
        k += (x - mean) ** 4;
      }
      n += r.length;
      m2 += v;
      m4 += k;
      // lag-1 autocorrelation of |r|
      const a = r.map(Math.abs);
      const am = a.reduce((x, y) => x + y, 0) / a.length;
      let num = 0, den = 0;
      for (let i = 0; i < a.length; i++) {
        den += (a[i]! - am) ** 2;
        if (i > 0) num += (a[i]! - am) * (a[i - 1]! - am);
      }
      acfSum += num / den;
      // corr(log volume, |r|)
      const lv = Array.from(b.volume.subarray(1), Math.log);
      const lm = lv.reduce((x, y) => x + y, 0) / lv.length;
      let cxy = 0, cxx = 0, cyy = 0;
      for (let i = 0; i < a.length; i++) {
        cxy += (a[i]! - am) * (lv[i]! - lm);
        cxx += (a[i]! - am) ** 2;
        cyy += (lv[i]! - lm) ** 2;
      }
      volCorrSum += cxy / Math.sqrt(cxx * cyy);
      for (let i = 0; i < b.dates.length; i++) {
        const o = b.open[i]!, h = b.high[i]!, l = b.low[i]!, c = b.close[i]!;
        days++;
        if (h - l > 0 && Math.abs(c - o) <= 0.1 * (h - l)) doji++;
        for (const p of [o, h, l, c]) if (Math.abs(p * 100 - Math.round(p * 100)) > 1e-6) offTick++;
        if (!(l <= Math.min(o, c) && Math.max(o, c) <= h)) badOhlc++;
      }
    }
    const kurtosis = (m4 / n) / (m2 / n) ** 2;
    expect(kurtosis).toBeGreaterThan(3);
    expect(acfSum / stocks.length).toBeGreaterThan(0.03);
    expect(volCorrSum / stocks.length).toBeGreaterThan(0.2);
    expect(offTick).toBe(0);
    expect(badOhlc).toBe(0);
    expect(doji / days).toBeGreaterThan(0.03);
    expect(doji / days).toBeLessThan(0.2);
    // a common factor: the average pairwise correlation of the first 30 stocks over shared days
    let corr = 0, pairs = 0;
    const first = series.slice(0, 30).filter((r) => r.length === series[0]!.length);
    for (let i = 0; i < first.length; i++) for (let j = i + 1; j < first.length; j++) {
      const x = first[i]!, y = first[j]!;
      const mx = x.reduce((p, q) => p + q, 0) / x.length, my = y.reduce((p, q) => p + q, 0) / y.length;
      let sxy = 0, sxx = 0, syy = 0;
      for (let t = 0; t < x.length; t++) {
        sxy += (x[t]! - mx) * (y[t]! - my);
        sxx += (x[t]! - mx) ** 2;
        syy += (y[t]! - my) ** 2;
      }
      corr += sxy / Math.sqrt(sxx * syy);
      pairs++;
    }
    expect(corr / pairs).toBeGreaterThan(0.1);
    expect(corr / pairs).toBeLessThan(0.8);
  });

  it('downloads incrementally: a later --end adds only the new days and leaves the old bars as they were', async () => {
    const store = new MarketStore(openDb(':memory:'));
    const first = await downloadMarket(store, new DemoProvider(), { end: 20250630 });
    const before = store.readBars('sh.600000');
    expect(before.dates[before.dates.length - 1]).toBeLessThanOrEqual(20250630);
    const second = await downloadMarket(store, new DemoProvider(), {});
    const after = store.readBars('sh.600000');
    const newDays = after.dates.length - before.dates.length;
    expect(newDays).toBeGreaterThan(100);
    expect(Array.from(after.close.subarray(0, before.dates.length))).toEqual(Array.from(before.close));
    // written = only the bars after each symbol's last stored date
    expect(second.bars).toBe(store.counts().bars - first.bars);
    const again = await downloadMarket(store, new DemoProvider(), {});
    expect(again.bars).toBe(0);
    // another seed is another market: the bars are replaced, not mixed
    await downloadMarket(store, new DemoProvider({ seed: 99 }), { symbols: ['sh.600000'] });
    const other = store.readBars('sh.600000');
    expect(other.dates.length).toBe(after.dates.length);
    expect(Array.from(other.close)).not.toEqual(Array.from(after.close));
  });
});
