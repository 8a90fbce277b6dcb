import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { startHttpServer, sendJson, sendText, type TestHttpServer, type RecordedRequest } from '../support/http-server.js';
import { csi300Dir, repoRoot, tempDir } from '../support/fs.js';

const tmpDb = tempDir('qf-em-');
import { runCliAsync } from '../support/cli.js';
import { openDb } from '../../src/core/db.js';
import { MarketStore } from '../../src/market/store.js';
import { EastmoneyProvider } from '../../src/market/providers/eastmoney.js';
import { downloadMarket } from '../../src/market/download.js';
import { fetchQuotes } from '../../src/market/quotes.js';
import type { ServerResponse } from 'node:http';

const fixtures = resolve(repoRoot, 'test/fixtures/market/eastmoney');
const fixture = (name: string) => JSON.parse(readFileSync(join(fixtures, name), 'utf8'));

/** Real bars of a CSI 300 symbol in eastmoney's kline string format (volume in lots). */
function klinesOf(code: string): { date: number; line: string }[] {
  const lines = readFileSync(join(csi300Dir, 'daily', `${code}.csv`), 'utf8').trim().split('\n').slice(1);
  return lines
    .map((l) => l.split(','))
    .filter((f) => Number(f[5]) > 0)
    .map(([date, high, low, open, close, volume]) => ({ date: Number(date!.replace(/-/g, '')), line: `${date},${open},${close},${high},${low},${Number(volume) / 100},0,0,0,0,0` }));
}

const real: Record<string, { date: number; line: string }[]> = { '1.600000': klinesOf('sh.600000'), '0.000001': klinesOf('sz.000001') };

describe('eastmoney provider against a local server in eastmoney formats', () => {
  let srv: TestHttpServer;
  /** Per-secid misbehaviour: a list of actions consumed one per request. */
  let script: Record<string, Array<(res: ServerResponse) => void | Promise<void>>> = {};

  const kline = async (req: RecordedRequest, res: ServerResponse) => {
    const secid = req.query.get('secid')!;
    const step = script[secid]?.shift();
    if (step) return step(res);
    if (!real[secid]) return sendJson(res, 200, fixture('kline-unknown.json'));
    const beg = Number(req.query.get('beg') ?? 0);
    const end = Number(req.query.get('end') ?? 20500101);
    const klines = real[secid]!.filter((k) => k.date >= beg && k.date <= end).map((k) => k.line);
    sendJson(res, 200, { rc: 0, rt: 17, data: { code: secid.slice(2), market: Number(secid[0]), name: secid, decimal: 2, dktotal: klines.length, klines } });
  };

  beforeAll(async () => {
    srv = await startHttpServer();
    srv.on('GET', '/api/qt/stock/kline/get', kline);
    srv.on('GET', '/api/qt/clist/get', (req, res) => sendJson(res, 200, fixture(req.query.get('pn') === '1' ? 'clist-page1.json' : 'clist-page2.json')));
    srv.on('GET', '/api/qt/ulist.np/get', (_req, res) => sendJson(res, 200, fixture('ulist.json')));
  });
  afterAll(async () => {
    await srv.close();
    tmpDb.cleanup();
  });
  beforeEach(() => {
    script = {};
    srv.requests.length = 0;
  });

  const provider = (extra: Record<string, unknown> = {}) => new EastmoneyProvider({ baseUrl: srv.url, timeoutMs: 300, retries: 3, retryDelayMs: 20, ...extra });

  it('lists the universe over pages of the stock list, plus the main indices', async () => {
    const u = await provider().universe();
    const codes = u.map((x) => x.code).sort();
    expect(codes).toEqual(['bj.430047', 'sh.000001', 'sh.000300', 'sh.600000', 'sz.000001', 'sz.399001', 'sz.399006']);
    expect(u.find((x) => x.code === 'sh.600000')?.name).toBe('浦发银行');
    expect(srv.hits('/api/qt/clist/get').map((r) => r.query.get('pn'))).toEqual(['1', '2']);
  });

  it('downloads front-adjusted daily bars, lists a failing symbol without stopping the others, then updates incrementally', async () => {
    const store = new MarketStore(openDb(':memory:'));
    const first = await downloadMarket(store, provider(), { symbols: ['sh.600000', 'sz.000001', 'sh.688999'], end: 20210630, maxFailed: '1' });
    expect(first.failed).toEqual([{ symbol: 'sh.688999', error: expect.stringContaining('no data for secid 1.688999') }]);
    expect(first.ok).toBe(true);
    const upTo = real['1.600000']!.filter((k) => k.date <= 20210630);
    expect(store.getSymbol('sh.600000')).toMatchObject({ bars: upTo.length, last: upTo[upTo.length - 1]!.date, provider: 'eastmoney', adjust: 'qfq' });
    const req = srv.hits('/api/qt/stock/kline/get').find((r) => r.query.get('secid') === '1.600000')!;
    expect(req.query.get('fqt')).toBe('1');
    expect(req.query.get('klt')).toBe('101');
    const b = store.readBars('sh.600000');
    expect(b.volume[0]).toBeCloseTo(3808939, 3); // served in lots of 100, stored in shares

    srv.requests.length = 0;
    const second = await downloadMarket(store, provider(), { symbols: ['sh.600000', 'sz.000001'] });
    const begs = srv.hits('/api/qt/stock/kline/get').map((r) => [r.query.get('secid'), r.query.get('beg')]);
    expect(begs).toContainEqual(['1.600000', String(upTo[upTo.length - 1]!.date)]);
    const newDays = real['1.600000']!.length - upTo.length + real['0.000001']!.length - real['0.000001']!.filter((k) => k.date <= 20210630).length;
    expect(second.bars).toBe(newDays);
    expect(store.getSymbol('sh.600000')!.bars).toBe(real['1.600000']!.length);
  });

  it('re-downloads a symbol whole when the provider re-adjusted its history', async () => {
    const store = new MarketStore(openDb(':memory:'));
    await downloadMarket(store, provider(), { symbols: ['sh.600000'], end: 20210630 });
    const last = store.getSymbol('sh.600000')!.last;
    // next answer: every price halved (as after a 2-for-1 adjustment)
    const halved = (res: ServerResponse) =>
      sendJson(res, 200, { rc: 0, data: { code: '600000', market: 1, klines: real['1.600000']!.filter((k) => k.date >= last).map((k) => k.line.split(',').map((v, i) => (i >= 1 && i <= 4 ? String(Number(v) / 2) : v)).join(',')) } });
    const halvedAll = (res: ServerResponse) =>
      sendJson(res, 200, { rc: 0, data: { code: '600000', market: 1, klines: real['1.600000']!.map((k) => k.line.split(',').map((v, i) => (i >= 1 && i <= 4 ? String(Number(v) / 2) : v)).join(',')) } });
    script['1.600000'] = [halved, halvedAll];
    const s = await downloadMarket(store, provider(), { symbols: ['sh.600000'] });
    expect(s.failed).toEqual([]);
    const b = store.readBars('sh.600000');
    expect(b.dates.length).toBe(real['1.600000']!.length);
    expect(b.close[0]).toBeCloseTo(6.88 / 2, 6);
  });

  it('retries 429 and 5xx with backoff, and a timeout', async () => {
    const store = new MarketStore(openDb(':memory:'));
    script['1.600000'] = [
      (res) => sendText(res, 429, 'slow down', { 'retry-after': '0' }),
      (res) => sendText(res, 503, 'busy'),
      async (res) => {
        await new Promise((r) => setTimeout(r, 1000)); // longer than the 300 ms timeout
        sendText(res, 500, 'late');
      },
    ];
    const s = await downloadMarket(store, provider(), { symbols: ['sh.600000'], end: 20050131 });
    expect(s.failed).toEqual([]);
    expect(store.getSymbol('sh.600000')!.bars).toBeGreaterThan(10);
    expect(srv.hits('/api/qt/stock/kline/get')).toHaveLength(4);
  });

  it('gives up after the retries with a one-line error, and reports bad JSON clearly', async () => {
    const store = new MarketStore(openDb(':memory:'));
    script['1.600000'] = Array.from({ length: 5 }, () => (res: ServerResponse) => sendText(res, 502, 'bad gateway'));
    script['0.000001'] = [(res) => sendText(res, 200, '<html>captcha</html>', { 'content-type': 'text/html' })];
    const s = await downloadMarket(store, provider({ retries: 2 }), { symbols: ['sh.600000', 'sz.000001', 'sz.000002'], maxFailed: '0' });
    const errors = Object.fromEntries(s.failed.map((f) => [f.symbol, f.error]));
    expect(errors['sh.600000']).toMatch(/^eastmoney: HTTP 502 .* \(after 3 attempts\)$/);
    expect(errors['sz.000001']).toMatch(/^eastmoney: bad JSON from http:\/\/127\.0\.0\.1:\d+\/api\/qt\/stock\/kline\/get.*body starts "<html>captcha/);
    expect(errors['sz.000002']).toMatch(/no data for secid 0\.000002/);
    expect(s.ok).toBe(false);
  });

  it('reads spot quotes, leaving out a suspended stock', async () => {
    const res = await fetchQuotes(['sh.600000', 'sz.000001'], { provider: 'eastmoney', providerOptions: { baseUrl: srv.url } });
    expect(res.quotes).toEqual([expect.objectContaining({ code: 'sh.600000', name: '浦发银行', price: 9.05, change: 0.05, changePct: 0.56, prevClose: 9, provider: 'eastmoney', time: '2021-10-01T07:00:00.000Z' })]);
    expect(res.failed).toEqual([{ symbol: 'sz.000001', error: 'eastmoney: no quote for sz.000001' }]);
    expect(srv.hits('/api/qt/ulist.np/get')[0]!.query.get('secids')).toBe('1.600000,0.000001');
    const cli = await runCliAsync(['data', 'quotes', 'sh.600000', '--provider', 'eastmoney', '--json'], { env: { QUANTFLOW_EASTMONEY_URL: srv.url, QUANTFLOW_DB: join(tmpDb.dir, 'q.db') } });
    expect(cli.status).toBe(0);
    expect(JSON.parse(cli.stdout).quotes[0]).toMatchObject({ code: 'sh.600000', price: 9.05 });
  });
});
