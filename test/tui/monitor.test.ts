/**
 * The live picks monitor against a local quote server speaking eastmoney's recorded spot format
 * (test/fixtures/market/eastmoney/ulist.json), with a fake clock: in session, out of session,
 * source down; and the Picks screen's status line through the real Ink app.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ServerResponse } from 'node:http';
import { startHttpServer, sendJson, sendText, type RecordedRequest, type TestHttpServer } from '../support/http-server.js';
import { csi300Dir, repoRoot, tempDir } from '../support/fs.js';
import { fetchQuotes } from '../../src/market/quotes.js';
import { PicksMonitor, monitorIntervalMs, type MonitorState } from '../../src/tui/monitor.js';
import { renderTui, delay } from './harness.js';
import { expectGolden } from './golden.js';
import { Engine } from '../../src/tui/engine.js';
import { makeTheme } from '../../src/render/theme.js';
import { openDb } from '../../src/core/db.js';
import { MarketStore } from '../../src/market/store.js';
import { CsvProvider } from '../../src/market/providers/csv.js';
import { downloadMarket } from '../../src/market/download.js';
import { PickStore } from '../../src/ml/picks.js';

const recorded = JSON.parse(readFileSync(resolve(repoRoot, 'test/fixtures/market/eastmoney/ulist.json'), 'utf8'));
const template = recorded.data.diff[0] as Record<string, unknown>;

/** Served spot prices by eastmoney secid: [price, previous close]. */
let prices: Record<string, [number, number]> = {};
/** What the quote route does now. */
let mode: 'ok' | '500' | 'hang' = 'ok';

function spot(req: RecordedRequest, res: ServerResponse): void {
  if (mode === '500') return sendText(res, 500, 'upstream error');
  if (mode === 'hang') return; // never answers
  const diff = (req.query.get('secids') ?? '')
    .split(',')
    .filter((s) => prices[s])
    .map((secid) => {
      const [mkt, digits] = secid.split('.');
      const [price, prev] = prices[secid]!;
      return { ...template, f2: price, f3: Number(((price / prev - 1) * 100).toFixed(2)), f4: Number((price - prev).toFixed(2)), f12: digits, f13: Number(mkt), f14: secid, f18: prev };
    });
  sendJson(res, 200, { ...recorded, data: { total: diff.length, diff } });
}

/** Shanghai wall time on 2026-12-03 (a Thursday) and around it, as UTC instants. */
const shanghai = (day: number, h: number, m: number, s = 0) => new Date(Date.UTC(2026, 11, day, h - 8, m, s));
const IN_SESSION = shanghai(3, 10, 15, 30);
const LUNCH = shanghai(3, 12, 5);
const SATURDAY = shanghai(5, 11, 0);

const PICKS = ['sh.600000', 'sh.600036'];
const QUOTES_PATH = '/api/qt/ulist.np/get';

let srv: TestHttpServer;
let clock: Date;

function monitor(extra: Partial<ConstructorParameters<typeof PicksMonitor>[0]> = {}): PicksMonitor {
  return new PicksMonitor({
    codes: PICKS,
    now: () => clock,
    fetch: (codes) => fetchQuotes(codes, { providerOptions: { baseUrl: srv.url, timeoutMs: 300, retries: 0 } }),
    ...extra,
  });
}

beforeAll(async () => {
  srv = await startHttpServer();
  srv.on('GET', QUOTES_PATH, spot);
});
afterAll(() => srv.close());
beforeEach(() => {
  srv.requests.length = 0;
  mode = 'ok';
  clock = IN_SESSION;
  prices = { '1.600000': [9.18, 9.0], '1.600036': [32.67, 33.0], '1.000300': [3939, 3900] };
});

describe('PicksMonitor', () => {
  it('in session: each pick\'s change today and the equal-weight average against CSI 300, from the served prices', async () => {
    const m = monitor();
    const st = await m.refresh();
    expect(srv.hits(QUOTES_PATH)).toHaveLength(1);
    expect(srv.hits(QUOTES_PATH)[0]!.query.get('secids')).toBe('1.600000,1.600036,1.000300');
    expect(st.status).toBe('in-session');
    expect(st.quotes['sh.600000']!.price).toBe(9.18);
    expect(st.quotes['sh.600000']!.change).toBeCloseTo(0.02, 10);
    expect(st.quotes['sh.600036']!.change).toBeCloseTo(-0.01, 10);
    expect(st.average).toBeCloseTo(0.005, 10);
    expect(st.benchmark).toMatchObject({ code: 'sh.000300', name: 'CSI 300' });
    expect(st.benchmark.change).toBeCloseTo(0.01, 10);
    expect(st.lastUpdate).toEqual(IN_SESSION);
    expect(st.message).toBe('live · refreshed 10:15:30 · picks +0.50% vs CSI 300 +1.00%');

    // The next refresh follows the prices.
    prices['1.600036'] = [33.66, 33.0];
    clock = shanghai(3, 10, 16, 0);
    const st2 = await m.refresh();
    expect(st2.average).toBeCloseTo(0.02, 10);
    expect(st2.message).toBe('live · refreshed 10:16:00 · picks +2.00% vs CSI 300 +1.00%');
  });

  it('a pick the source does not quote keeps the rest live and is counted', async () => {
    delete prices['1.600036'];
    const st = await monitor().refresh();
    expect(st.status).toBe('in-session');
    expect(st.quotes['sh.600036']).toBeUndefined();
    expect(st.average).toBeCloseTo(0.02, 10);
    expect(st.message).toContain('1 without a quote');
  });

  it('out of session (lunch break, weekend): no fetch, status closed with the next session', async () => {
    clock = LUNCH;
    let changes = 0;
    const m = monitor({ onChange: () => changes++ });
    let st = await m.refresh();
    expect(st.status).toBe('closed');
    expect(st.message).toBe('market closed · next session Thu 13:00 Asia/Shanghai');
    clock = shanghai(3, 12, 30);
    expect(await m.refresh()).toBe(st); // nothing new to show: no redraw
    expect(changes).toBe(1);
    clock = SATURDAY;
    st = await m.refresh();
    expect(st.message).toBe('market closed · next session Mon 09:30 Asia/Shanghai');
    expect(srv.requests).toHaveLength(0);
    expect(st.quotes).toEqual({});
  });

  it('closing keeps the last known values', async () => {
    const m = monitor();
    await m.refresh();
    clock = shanghai(3, 15, 0, 5);
    const st = await m.refresh();
    expect(srv.hits(QUOTES_PATH)).toHaveLength(1);
    expect(st.status).toBe('closed');
    expect(st.message).toBe('market closed · next session Fri 09:30 Asia/Shanghai · last known values');
    expect(st.quotes['sh.600000']!.price).toBe(9.18);
    expect(st.average).toBeCloseTo(0.005, 10);
  });

  it('source down (HTTP 500, no answer, server gone): status source-down, last known values kept, no throw', async () => {
    const m = monitor();
    await m.refresh();
    const known = m.state;

    mode = '500';
    clock = shanghai(3, 10, 20, 0);
    let st = await m.refresh();
    expect(st.status).toBe('source-down');
    expect(st.message).toBe('quotes unavailable (eastmoney: HTTP 500 Internal Server Error) · last known 10:15:30');
    expect(st.quotes).toEqual(known.quotes);
    expect(st.average).toBe(known.average);
    expect(st.lastUpdate).toEqual(IN_SESSION);

    mode = 'hang';
    st = await m.refresh();
    expect(st.status).toBe('source-down');
    expect(st.message).toBe('quotes unavailable (eastmoney: no answer within 300 ms) · last known 10:15:30');

    // Recovers when the source answers again.
    mode = 'ok';
    st = await m.refresh();
    expect(st.status).toBe('in-session');
    expect(st.lastUpdate).toEqual(clock);

    const gone = await startHttpServer();
    const url = gone.url;
    await gone.close();
    const down = new PicksMonitor({ codes: PICKS, now: () => clock, fetch: (codes) => fetchQuotes(codes, { providerOptions: { baseUrl: url, timeoutMs: 300, retries: 0 } }) });
    st = await down.refresh();
    expect(st.status).toBe('source-down');
    expect(st.message).toMatch(/^quotes unavailable \(eastmoney: cannot reach .*ECONNREFUSED.*\) · no values yet$/);
  });

  it('a fetcher that throws becomes source-down, never a rejection', async () => {
    const m = monitor({ fetch: () => Promise.reject(new Error('eastmoney: boom')) });
    await expect(m.refresh()).resolves.toMatchObject({ status: 'source-down', message: 'quotes unavailable (eastmoney: boom) · no values yet' });
  });

  it('picks from two markets: each on its own calendar and benchmark; only the market in session is fetched', async () => {
    const m = monitor({ codes: ['sh.600000', 'AAPL', 'sh.600036'] });
    expect(m.state.groups.map((g) => [g.market, g.codes.join(','), g.benchmark.code])).toEqual([
      ['cn', 'sh.600000,sh.600036', 'sh.000300'],
      ['us', 'AAPL', '^GSPC'],
    ]);
    // 10:15 in Shanghai is 21:15 the evening before in New York.
    const st = await m.refresh();
    expect(srv.hits(QUOTES_PATH)).toHaveLength(1);
    expect(srv.hits(QUOTES_PATH)[0]!.query.get('secids')).toBe('1.600000,1.600036,1.000300');
    expect(srv.requests).toHaveLength(1); // no request for the US pick while New York is closed
    expect(st.status).toBe('in-session');
    expect(st.groups[0]).toMatchObject({ open: true, benchmark: { name: 'CSI 300' } });
    expect(st.groups[0]!.average).toBeCloseTo(0.005, 10);
    expect(st.groups[1]!.open).toBe(false);
    expect(st.groups[1]!.average).toBeUndefined();
    expect(st.message).toBe('live · refreshed 10:15:30 · A-shares picks +0.50% vs CSI 300 +1.00% · US closed, next session Thu 09:30 America/New_York');

    clock = SATURDAY;
    const closed = await m.refresh();
    expect(closed.status).toBe('closed');
    expect(closed.message).toBe('markets closed · A-shares next session Mon 09:30 Asia/Shanghai · US next session Mon 09:30 America/New_York · last known values');
  });

  it('synthetic picks never ask a live source', async () => {
    const st = await monitor({ synthetic: true }).refresh();
    expect(st).toMatchObject({ status: 'synthetic', message: 'synthetic market: no live quotes' });
    expect(srv.requests).toHaveLength(0);
  });

  it('refreshes every interval while started, and not after stop', async () => {
    const seen: MonitorState[] = [];
    const m = monitor({ intervalMs: 40, onChange: (s) => seen.push(s) });
    m.start();
    await delay(150);
    m.stop();
    const n = srv.hits(QUOTES_PATH).length;
    expect(n).toBeGreaterThanOrEqual(3);
    expect(seen.at(-1)!.status).toBe('in-session');
    await delay(120);
    expect(srv.hits(QUOTES_PATH).length).toBe(n);
    expect(m.running).toBe(false);
  });

  it('interval from QUANTFLOW_MONITOR_SECONDS, default 30 s', () => {
    expect(monitorIntervalMs({})).toBe(30_000);
    expect(monitorIntervalMs({ QUANTFLOW_MONITOR_SECONDS: '5' })).toBe(5_000);
    expect(monitorIntervalMs({ QUANTFLOW_MONITOR_SECONDS: 'x' })).toBe(30_000);
    expect(new PicksMonitor({ codes: PICKS, env: { QUANTFLOW_MONITOR_SECONDS: '10' } }).intervalMs).toBe(10_000);
  });
});

describe('Picks screen with the live monitor', () => {
  const tmp = tempDir('qf-tui-mon-');
  const dbPath = join(tmp.dir, 'q.db');
  const saved = process.env.QUANTFLOW_EASTMONEY_URL;

  beforeAll(async () => {
    const db = openDb(dbPath);
    await downloadMarket(new MarketStore(db), new CsvProvider(csi300Dir), { symbols: ['sh.600000', 'sh.600036'] });
    new PickStore(db).storeTop(
      [
        { date: 20201130, code: 'sh.600036', score: 0.7 },
        { date: 20201201, code: 'sh.600000', score: 0.9 },
        { date: 20201201, code: 'sh.600036', score: 0.8 },
      ],
      2,
      'test-model',
    );
    db.close();
    process.env.QUANTFLOW_EASTMONEY_URL = srv.url;
  }, 60_000);
  afterAll(() => {
    if (saved === undefined) delete process.env.QUANTFLOW_EASTMONEY_URL;
    else process.env.QUANTFLOW_EASTMONEY_URL = saved;
    tmp.cleanup();
  });

  it.each([
    [80, 24],
    [120, 40],
  ])('%ix%i: status line and the today column from the local quote server', async (columns, rows) => {
    const engine = new Engine({ dbPath, workflowDirs: [join(tmp.dir, 'none')], cwd: tmp.dir });
    const r = await renderTui({ engine, theme: makeTheme({ color: false }), now: () => IN_SESSION.getTime() }, { columns, rows });
    await r.press('7');
    const f = await r.waitFor((x) => x.includes('live · refreshed'));
    expect(f).toContain('● live · refreshed 10:15:30 · picks +0.50% vs CSI 300 +1.00%');
    expect(f).toMatch(/sh\.600000.*\+2\.00%/);
    expect(f).toMatch(/sh\.600036.*-1\.00%/);
    expect(f.split('\n').length).toBeLessThanOrEqual(rows - 1);
    expect(srv.hits(QUOTES_PATH).length).toBeGreaterThanOrEqual(1);
    expectGolden(`picks_live_${columns}x${rows}`, f);
    r.unmount();
  });

  it('no quote source answering: a clear status line, the screen keeps working', async () => {
    const gone = await startHttpServer();
    await gone.close();
    process.env.QUANTFLOW_EASTMONEY_URL = gone.url;
    try {
      const engine = new Engine({ dbPath, workflowDirs: [join(tmp.dir, 'none')], cwd: tmp.dir });
      const r = await renderTui({ engine, theme: makeTheme({ color: false }), now: () => IN_SESSION.getTime() }, { columns: 80, rows: 24 });
      await r.press('7');
      const f = await r.waitFor((x) => x.includes('quotes unavailable'));
      expect(f).toMatch(/✗ quotes unavailable \(eastmoney: cannot reach/);
      expect(f).toContain('no values yet');
      expect(f).toMatch(/sh\.600000.*0\.9000/);
      await r.press('j');
      await r.waitFor((x) => /› 2020-12-01 +2 sh\.600036/.test(x));
      r.unmount();
    } finally {
      process.env.QUANTFLOW_EASTMONEY_URL = srv.url;
    }
  });
});
