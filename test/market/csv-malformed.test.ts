import { afterAll, describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../support/cli.js';
import { tempDir } from '../support/fs.js';
import { openDb } from '../../src/core/db.js';
import { MarketStore } from '../../src/market/store.js';

const tmp = tempDir('qf-csvbad-');
afterAll(() => tmp.cleanup());

function folder(): string {
  const dir = join(tmp.dir, 'daily');
  mkdirSync(dir, { recursive: true });
  const w = (name: string, text: string) => writeFileSync(join(dir, name), text);
  w('sh.600000.csv', 'date,open,high,low,close,volume\n2021-01-04,10,10.5,9.9,10.2,1000\n2021-01-05,10.2,10.4,10.0,10.3,0\n2021-01-06,10.3,10.6,10.1,10.5,1200\n');
  // columns in another order, upper case, an extra column, CRLF
  w('sz.000001.csv', 'Volume,Close,Extra,Low,High,Open,Date\r\n500,20.1,x,19.8,20.5,20.0,2021-01-04\r\n600,20.3,y,20.0,20.6,20.1,2021-01-05\r\n');
  w('sz.000002.csv', 'date,open,high,low,volume\n2021-01-04,1,1,1,1\n'); // missing close
  w('sz.000004.csv', ''); // empty
  w('sz.000005.csv', 'date,open,high,low,close,volume\n2021-01-04,5,5.2,4.9,5.1,100\n2021-01-05,5.1,5.3,5.0,abc,100\n2021-01-06,5.1,5.3,5.0,5.2,100\n');
  w('sz.000006.csv', 'date,open,high,low,close,volume\n2021-01-05,6,6.2,5.9,6.1,100\n2021-01-06,6.1,6.3,6.0,6.2,100\n2021-01-04,5.9,6.0,5.8,6.0,100\n2021-01-06,6.1,6.4,6.0,6.3,150\n'); // unsorted + duplicate
  w('sz.000007.csv', 'date,open,high,low,close,volume\n2021-01-04,7,7.2,6.9,7.1,100\n2021-01-05,7.1,7.0,6.9,7.05,100\n2021-01-06,7.0,7.1995,6.95,7.2,100\n'); // high < open by 0.1 (skip); by 0.0005 (repair)
  writeFileSync(join(tmp.dir, 'stocks.csv'), 'code,code_name\nsh.600000,浦发银行\n');
  writeFileSync(join(dir, 'README'), 'not a symbol');
  return tmp.dir;
}

describe('csv provider on malformed files', () => {
  const src = folder();
  const db = join(tmp.dir, 'bad.db');
  const r = runCli(['--db', db, 'data', 'download', '--provider', 'csv', '--source', src, '--json']);
  const s = JSON.parse(r.stdout);

  it('names file and line on one line for a missing column and an empty file, and goes on with the others', () => {
    const failed = Object.fromEntries(s.failed.map((f: { symbol: string; error: string }) => [f.symbol, f.error]));
    expect(Object.keys(failed).sort()).toEqual(['sz.000002', 'sz.000004']);
    expect(failed['sz.000002']).toMatch(/sz\.000002\.csv:1:1: missing column "close"/);
    expect(failed['sz.000004']).toMatch(/sz\.000004\.csv:1:1: empty file/);
    for (const e of Object.values(failed)) expect(e).not.toContain('\n');
    expect(s.symbols).toBe(5);
    // 2 failed of 7 is above the default 1%: exit 1; allowed with --max-failed
    expect(r.status).toBe(1);
    const ok = runCli(['--db', db, 'data', 'download', '--provider', 'csv', '--source', src, '--max-failed', '2']);
    expect(ok.status).toBe(0);
    expect(ok.stdout).toContain('failed 2 (allowed 2)');
  });

  it('skips a row with a non-numeric price with file:line:col and keeps the rest of the file', () => {
    expect(s.problems).toContainEqual(expect.stringMatching(/sz\.000005\.csv:3:\d+: close "abc" is not a number$/));
    const store = new MarketStore(openDb(db));
    expect(Array.from(store.readBars('sz.000005').dates)).toEqual([20210104, 20210106]);
    expect(s.skipped.bad_row).toBe(1);
  });

  it('sorts unsorted dates (with a warning naming the line) and keeps the last of duplicate dates', () => {
    expect(s.problems).toContainEqual(expect.stringMatching(/sz\.000006\.csv:4: dates are not in ascending order/));
    const b = new MarketStore(openDb(db)).readBars('sz.000006');
    expect(Array.from(b.dates)).toEqual([20210104, 20210105, 20210106]);
    expect(b.close[2]).toBe(6.3);
    expect(s.skipped.duplicate).toBe(1);
  });

  it('repairs a rounding OHLC violation below 0.01 and skips a real one', () => {
    const b = new MarketStore(openDb(db)).readBars('sz.000007');
    expect(Array.from(b.dates)).toEqual([20210104, 20210106]);
    expect(b.high[1]).toBe(7.2);
    expect(s.skipped.ohlc).toBe(1);
    expect(s.repaired).toBe(1);
    expect(s.problems).toContainEqual(expect.stringMatching(/sz\.000007\.csv:3: low <= open, close <= high is broken by 0\.1000/));
  });

  it('matches columns by name in any order and counts suspended rows', () => {
    const store = new MarketStore(openDb(db));
    const b = store.readBars('sz.000001');
    expect([b.open[0], b.high[0], b.low[0], b.close[0], b.volume[0]]).toEqual([20.0, 20.5, 19.8, 20.1, 500]);
    expect(s.skipped.suspended).toBe(1);
    expect(store.getSymbol('sh.600000')?.name).toBe('浦发银行');
    expect(store.getSymbol('README')).toBeUndefined();
  });
});
