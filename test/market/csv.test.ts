import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../support/cli.js';
import { csi300Dir, tempDir } from '../support/fs.js';
import { openDb } from '../../src/core/db.js';
import { MarketStore } from '../../src/market/store.js';
import { CsvProvider } from '../../src/market/providers/csv.js';
import { downloadMarket } from '../../src/market/download.js';

describe('csv provider on the real CSI 300 folder', () => {
  const tmp = tempDir('qf-csv-');
  const db = join(tmp.dir, 'store.db');
  let summary: Record<string, any>;

  beforeAll(() => {
    const r = runCli(['--db', db, 'data', 'download', '--provider', 'csv', '--source', csi300Dir, '--json']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    summary = JSON.parse(r.stdout);
  }, 180_000);
  afterAll(() => tmp.cleanup());

  it('imports 303 symbols and 829,483 traded bars, skipping the 31,857 suspended rows', () => {
    expect(summary.provider).toBe('csv');
    expect(summary.symbols).toBe(303);
    expect(summary.bars).toBe(829_483);
    expect(summary.skipped).toEqual({ suspended: 31_857 });
    expect(summary.repaired).toBe(5); // the 5 sz.399106 rows off by 0.001
    expect(summary.failed).toEqual([]);
    const store = new MarketStore(openDb(db));
    expect(store.counts()).toEqual({ symbols: 303, bars: 829_483 });
    const kinds = store.listSymbols().filter((s) => s.kind === 'index').map((s) => s.code);
    expect(kinds).toEqual(['sh.000001', 'sh.000300', 'sz.399106']);
  });

  it('reads columns by name (the files are date,high,low,open,close,volume) and names from stocks.csv', () => {
    const store = new MarketStore(openDb(db));
    const b = store.readBars('sh.600000');
    const lines = readFileSync(join(csi300Dir, 'daily', 'sh.600000.csv'), 'utf8').trim().split('\n');
    const traded = lines.slice(1).map((l) => l.split(',')).filter((f) => Number(f[5]) > 0);
    expect(b.dates.length).toBe(traded.length);
    const [date, high, low, open, close, volume] = traded[0]!;
    expect(b.dates[0]).toBe(Number(date!.replace(/-/g, '')));
    expect([b.open[0], b.high[0], b.low[0], b.close[0], b.volume[0]]).toEqual([Number(open), Number(high), Number(low), Number(close), Number(volume)]);
    const last = traded[traded.length - 1]!;
    expect(b.close[b.dates.length - 1]).toBe(Number(last[4]));
    expect(store.getSymbol('sh.600000')?.name).toBe('浦发银行');
    // a date range
    const r = store.readBars('sh.600000', 20210901, 20210930);
    expect(r.dates[0]).toBeGreaterThanOrEqual(20210901);
    expect(r.dates[r.dates.length - 1]).toBe(20210930);
  });

  it('shows and lists what is stored', () => {
    const show = runCli(['--db', db, 'data', 'show', '600000', '--last', '2', '--json']);
    expect(show.status).toBe(0);
    const doc = JSON.parse(show.stdout);
    expect(doc.code).toBe('sh.600000');
    expect(doc.rows.map((r: { date: string }) => r.date)).toEqual(['2021-09-29', '2021-09-30']);
    const list = JSON.parse(runCli(['--db', db, 'data', 'list', '--json']).stdout);
    expect(list).toHaveLength(303);
    expect(list.find((s: { code: string }) => s.code === 'sh.000300')).toMatchObject({ name: '沪深300', kind: 'index', first: '2005-01-04', last: '2021-09-30', bars: 4071 });
    const miss = runCli(['--db', db, 'data', 'show', 'sh.999999']);
    expect(miss.status).toBe(2);
    expect(miss.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('takes the daily/ folder itself as --source and gives the same bars', async () => {
    const store = new MarketStore(openDb(':memory:'));
    const s = await downloadMarket(store, new CsvProvider(join(csi300Dir, 'daily')), { limit: 12 });
    expect(s.symbols).toBe(12);
    const full = new MarketStore(openDb(db));
    for (const info of store.listSymbols()) {
      expect(info.name).not.toBe(''); // stocks.csv found in the parent
      expect(info.bars).toBe(full.getSymbol(info.code)!.bars);
    }
    expect(store.readBars('sh.000300').close).toEqual(full.readBars('sh.000300').close);
  });
});
