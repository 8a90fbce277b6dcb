import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { startHttpServer, sendJson, sendText, type TestHttpServer } from '../support/http-server.js';
import { repoRoot } from '../support/fs.js';
import { openDb } from '../../src/core/db.js';
import { MarketStore } from '../../src/market/store.js';
import { YahooProvider } from '../../src/market/providers/yahoo.js';
import { downloadMarket } from '../../src/market/download.js';

const fixture = (name: string) => JSON.parse(readFileSync(join(resolve(repoRoot, 'test/fixtures/market/yahoo'), name), 'utf8'));

describe('yahoo provider against a local server in Yahoo formats', () => {
  let srv: TestHttpServer;
  let crumbStatus = 200;
  let chartStatus = 200;

  beforeAll(async () => {
    srv = await startHttpServer();
    srv.on('GET', '*', (req, res) => {
      if (!req.path.startsWith('/v8/finance/chart/')) return sendText(res, 404, 'no');
      if (chartStatus !== 200) return sendText(res, chartStatus, 'Will be right back');
      const sym = decodeURIComponent(req.path.slice('/v8/finance/chart/'.length));
      if (sym === 'AAPL') return sendJson(res, 200, fixture('chart-AAPL.json'));
      return sendJson(res, 404, fixture('chart-not-found.json'));
    });
    srv.on('GET', '/consent', (_req, res) => sendText(res, 404, 'consent', { 'set-cookie': 'A3=d=AQABBK; Path=/; HttpOnly' }));
    srv.on('GET', '/v1/test/getcrumb', (req, res) => {
      if (crumbStatus !== 200 || !String(req.headers.cookie ?? '').includes('A3=')) return sendText(res, crumbStatus === 200 ? 401 : crumbStatus, 'Unauthorized');
      sendText(res, 200, 'xC9rumbZ');
    });
    srv.on('GET', '/v7/finance/quote', (req, res) => {
      if (req.query.get('crumb') !== 'xC9rumbZ') return sendJson(res, 401, { finance: { result: null, error: { code: 'Unauthorized', description: 'Invalid Crumb' } } });
      sendJson(res, 200, fixture('quote-AAPL-BABA.json'));
    });
  });
  afterAll(() => srv.close());
  beforeEach(() => {
    crumbStatus = 200;
    chartStatus = 200;
    srv.requests.length = 0;
  });

  const provider = (tickers: string[]) => new YahooProvider({ baseUrl: srv.url, tickers, timeoutMs: 500, retries: 2, retryDelayMs: 10 });

  it('downloads daily bars from the chart endpoint, dropping the all-null row, with the adjustment factor', async () => {
    const store = new MarketStore(openDb(':memory:'));
    const s = await downloadMarket(store, provider(['AAPL', 'NOPE']), { maxFailed: '1' });
    expect(s.failed).toEqual([{ symbol: 'NOPE', error: 'yahoo: NOPE: Not Found: No data found, symbol may be delisted' }]);
    const b = store.readBars('AAPL');
    expect(Array.from(b.dates)).toEqual([20200102, 20200103, 20200107]); // New York dates of the UTC timestamps
    expect(b.open[0]).toBeCloseTo(74.06, 4);
    expect(b.volume[0]).toBe(135480400);
    expect(store.readAdj('AAPL')[0]).toBeCloseTo(73.98847198486328 / 75.0875015258789, 9);
    expect(store.getSymbol('AAPL')).toMatchObject({ market: 'us', kind: 'stock', provider: 'yahoo' });
    const req = srv.hits('/v8/finance/chart/AAPL')[0]!;
    expect(req.query.get('interval')).toBe('1d');
  });

  it('retries a 503 and then reports it on one line', async () => {
    chartStatus = 503;
    const store = new MarketStore(openDb(':memory:'));
    const s = await downloadMarket(store, provider(['AAPL']), {});
    expect(s.failed[0]!.error).toMatch(/^yahoo: HTTP 503 .*\(after 3 attempts\)$/);
    expect(srv.hits('/v8/finance/chart/AAPL')).toHaveLength(3);
  });

  it('gets quotes with cookie + crumb', async () => {
    const q = await provider([]).quotes(['AAPL', 'BABA']);
    expect(q.map((x) => [x.code, x.price, x.prevClose])).toEqual([
      ['AAPL', 136.76, 137.185],
      ['BABA', 265.67, 266.96],
    ]);
    expect(q[0]!.time).toBe(new Date(1612558802 * 1000).toISOString());
    expect(srv.hits('/v7/finance/quote')[0]!.headers.cookie).toContain('A3=');
  });

  it('falls back to the chart meta when Yahoo refuses the crumb, and says clearly when both fail', async () => {
    crumbStatus = 403;
    const q = await provider([]).quotes(['AAPL']);
    expect(q[0]).toMatchObject({ code: 'AAPL', price: 160.55, prevClose: 157.87 });
    chartStatus = 500;
    await expect(provider([]).quotes(['AAPL'])).rejects.toThrow(/crumb.*chart fallback failed too/);
  });
});
