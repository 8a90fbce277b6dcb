/**
 * `yahoo`: US and other markets by ticker list, from the chart endpoint directly (no package):
 * GET /v8/finance/chart/{symbol}?period1=&period2=&interval=1d&events=div|split, answer
 * `chart.result[0]` with `timestamp[]` (UTC seconds), `indicators.quote[0].{open,high,low,close,volume}`
 * (nulls on holidays/halts) and `indicators.adjclose[0].adjclose`; errors as `chart.error`.
 * Quotes: /v7/finance/quote?symbols=...&crumb=... needs a cookie (from fc.yahoo.com) and a crumb
 * (/v1/test/getcrumb); when Yahoo refuses them, the quote falls back to the chart's `meta`
 * (regularMarketPrice, chartPreviousClose, regularMarketTime) and says so if that fails too.
 * Formats from yahoo-finance2's test fixtures (test/fixtures/market/PROVENANCE.md).
 * Base URL: option, else QUANTFLOW_YAHOO_URL, else https://query1.finance.yahoo.com.
 */
import { kindOf, marketOf, toYahooSymbol, fromYahooSymbol } from '../codes.js';
import { getJson, httpGet, HttpError, type HttpOptions } from '../http.js';
import type { RawBars, SkipReport } from '../validate.js';
import type { FetchRange, Provider, Quote, UniverseEntry } from './types.js';
import type { ProviderOptions } from './index.js';
import { badInput } from '../../core/errors.js';

interface ChartResult {
  meta?: { symbol?: string; shortName?: string; longName?: string; regularMarketPrice?: number; chartPreviousClose?: number; previousClose?: number; regularMarketTime?: number; exchangeTimezoneName?: string };
  timestamp?: number[];
  indicators?: { quote?: { open?: (number | null)[]; high?: (number | null)[]; low?: (number | null)[]; close?: (number | null)[]; volume?: (number | null)[] }[]; adjclose?: { adjclose?: (number | null)[] }[] };
}
interface ChartResponse {
  chart?: { result?: ChartResult[] | null; error?: { code?: string; description?: string } | null };
}
interface QuoteResponse {
  quoteResponse?: { result?: Record<string, unknown>[]; error?: unknown };
  finance?: { error?: { code?: string; description?: string } };
}

/** yyyymmdd of a UTC timestamp in the exchange's time zone. */
function localDate(ts: number, tz: string): number {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(ts * 1000));
  return Number(parts.replace(/-/g, ''));
}

function epochOf(d: number, endOfDay = false): number {
  const t = Date.UTC(Math.floor(d / 10000), (Math.floor(d / 100) % 100) - 1, d % 100) / 1000;
  return endOfDay ? t + 86_400 : t;
}

export const DEFAULT_YAHOO_TICKERS = ['^GSPC', 'AAPL', 'MSFT', 'AMZN', 'GOOGL', 'META', 'NVDA', 'TSLA', 'JPM', 'XOM'];

export class YahooProvider implements Provider {
  readonly name = 'yahoo';
  readonly synthetic = false;
  readonly incremental = true;
  readonly lazyUniverse = true;
  readonly adjust = 'none';
  readonly concurrency: number;
  private readonly base: string;
  private readonly cookieUrl: string;
  private readonly http: HttpOptions;
  private readonly tickers: string[];
  private crumb?: { cookie: string; crumb: string };

  constructor(opts: ProviderOptions = {}) {
    const env = opts.env ?? process.env;
    const base = (opts.baseUrl ?? env.QUANTFLOW_YAHOO_URL ?? '').replace(/\/+$/, '');
    this.base = base || 'https://query1.finance.yahoo.com';
    this.cookieUrl = base ? `${base}/consent` : 'https://fc.yahoo.com/';
    this.concurrency = opts.concurrency ?? 4;
    this.http = { label: 'yahoo', timeoutMs: opts.timeoutMs ?? 10_000, retries: opts.retries ?? 3, baseDelayMs: opts.retryDelayMs };
    this.tickers = opts.tickers && opts.tickers.length > 0 ? opts.tickers : DEFAULT_YAHOO_TICKERS;
  }

  async universe(): Promise<UniverseEntry[]> {
    return this.tickers.map((c) => ({ code: c, name: '', market: marketOf(c), kind: kindOf(c) }));
  }

  private async chart(code: string, range: FetchRange): Promise<ChartResult> {
    const symbol = toYahooSymbol(code);
    const p1 = range.start ? epochOf(range.start) : 0;
    const p2 = range.end ? epochOf(range.end, true) : Math.floor(Date.now() / 1000) + 86_400;
    const q = new URLSearchParams({ period1: String(p1), period2: String(p2), interval: '1d', events: 'div|split', includePrePost: 'false' });
    const url = `${this.base}/v8/finance/chart/${encodeURIComponent(symbol)}?${q}`;
    let res: ChartResponse;
    try {
      res = await getJson<ChartResponse>(url, this.http);
    } catch (e) {
      if (!(e instanceof HttpError) || e.status !== 404) throw e;
      try {
        res = JSON.parse(e.body ?? '') as ChartResponse; // Yahoo explains a 404 in a chart.error body
      } catch {
        throw new HttpError(`yahoo: ${symbol} not found (delisted or misspelt ticker?)`, 404, false);
      }
    }
    const err = res?.chart?.error;
    if (err) throw new HttpError(`yahoo: ${symbol}: ${err.code ?? 'error'}${err.description ? ': ' + err.description : ''}`, undefined, false);
    const r = res?.chart?.result?.[0];
    if (!r) throw new HttpError(`yahoo: ${symbol}: the chart answer has no result`, undefined, false);
    return r;
  }

  async fetchBars(sym: UniverseEntry, range: FetchRange, _report: SkipReport): Promise<RawBars> {
    const r = await this.chart(sym.code, range);
    const ts = r.timestamp ?? [];
    const q = r.indicators?.quote?.[0] ?? {};
    const adjc = r.indicators?.adjclose?.[0]?.adjclose;
    const tz = r.meta?.exchangeTimezoneName ?? 'America/New_York';
    const n = ts.length;
    const val = (a: (number | null)[] | undefined, i: number) => (a && a[i] != null ? Number(a[i]) : NaN);
    const out: RawBars = {
      code: sym.code,
      dates: new Int32Array(n),
      open: new Float64Array(n),
      high: new Float64Array(n),
      low: new Float64Array(n),
      close: new Float64Array(n),
      volume: new Float64Array(n),
      adj: new Float64Array(n),
      lines: Int32Array.from({ length: n }, (_, i) => i + 1),
      source: `yahoo ${toYahooSymbol(sym.code)} chart`,
      name: r.meta?.longName ?? r.meta?.shortName,
    };
    const isIdx = sym.code.startsWith('^');
    for (let i = 0; i < n; i++) {
      (out.dates as Int32Array)[i] = localDate(ts[i]!, tz);
      (out.open as Float64Array)[i] = val(q.open, i);
      (out.high as Float64Array)[i] = val(q.high, i);
      (out.low as Float64Array)[i] = val(q.low, i);
      const c = val(q.close, i);
      (out.close as Float64Array)[i] = c;
      // Yahoo reports volume 0 for some indices on traded days; only a missing close means no trading.
      const v = val(q.volume, i);
      (out.volume as Float64Array)[i] = isIdx && Number.isFinite(c) && !(v > 0) ? 1 : v;
      const a = val(adjc, i);
      (out.adj as Float64Array)[i] = Number.isFinite(a) && c > 0 ? a / c : 1;
    }
    return out;
  }

  /** Cookie + crumb for /v7 quotes; throws a clear message when Yahoo refuses. */
  private async getCrumb(): Promise<{ cookie: string; crumb: string }> {
    if (this.crumb) return this.crumb;
    let cookie = '';
    try {
      const ac = new AbortController();
      const t = setTimeout(() => ac.abort(), this.http.timeoutMs ?? 10_000);
      const res = await fetch(this.cookieUrl, { redirect: 'manual', signal: ac.signal }).finally(() => clearTimeout(t));
      await res.arrayBuffer().catch(() => undefined);
      const set = res.headers.getSetCookie?.() ?? [];
      cookie = set.map((c) => c.split(';')[0]).join('; ');
    } catch (e) {
      throw new HttpError(`yahoo: could not get a cookie from ${this.cookieUrl} (${(e as Error).message})`, undefined, false);
    }
    if (!cookie) throw new HttpError('yahoo: no cookie from Yahoo (consent wall or blocked region): cannot get a crumb for quotes', undefined, false);
    const res = await httpGet(`${this.base}/v1/test/getcrumb`, { ...this.http, retries: 1, headers: { cookie } }).catch((e: unknown) => {
      throw new HttpError(`yahoo: Yahoo refused the crumb request (${(e as Error).message}); quotes need cookie+crumb`, undefined, false);
    });
    const crumb = res.text.trim();
    if (!crumb || crumb.length > 40 || /[<{\s]/.test(crumb)) throw new HttpError(`yahoo: invalid crumb from Yahoo ("${crumb.slice(0, 30)}"): quotes need cookie+crumb`, undefined, false);
    this.crumb = { cookie, crumb };
    return this.crumb;
  }

  async quotes(codes: string[]): Promise<Quote[]> {
    if (codes.length === 0) return [];
    let crumbError: string | undefined;
    try {
      const { cookie, crumb } = await this.getCrumb();
      const q = new URLSearchParams({ symbols: codes.map(toYahooSymbol).join(','), crumb });
      const res = await getJson<QuoteResponse>(`${this.base}/v7/finance/quote?${q}`, { ...this.http, headers: { cookie } });
      const rows = res?.quoteResponse?.result;
      if (!Array.isArray(rows)) throw new HttpError(`yahoo: the quote answer has no quoteResponse.result${res?.finance?.error?.description ? ` (${res.finance.error.description})` : ''}`, undefined, false);
      return rows.map((r) => {
        const price = Number(r.regularMarketPrice);
        const prev = Number(r.regularMarketPreviousClose);
        const t = Number(r.regularMarketTime);
        return {
          code: fromYahooSymbol(String(r.symbol)),
          name: String(r.shortName ?? r.longName ?? ''),
          price,
          prevClose: prev,
          change: Number(r.regularMarketChange ?? price - prev),
          changePct: Number(r.regularMarketChangePercent ?? (prev ? (price / prev - 1) * 100 : 0)),
          open: Number(r.regularMarketOpen),
          high: Number(r.regularMarketDayHigh),
          low: Number(r.regularMarketDayLow),
          volume: Number(r.regularMarketVolume),
          time: Number.isFinite(t) ? new Date(t * 1000).toISOString() : new Date().toISOString(),
          provider: 'yahoo',
        };
      });
    } catch (e) {
      crumbError = (e as Error).message;
    }
    // Fallback: the chart endpoint needs no crumb; its meta carries the last price.
    const out: Quote[] = [];
    const errors: string[] = [];
    for (const code of codes) {
      try {
        const today = Number(new Date().toISOString().slice(0, 10).replace(/-/g, ''));
        const r = await this.chart(code, { start: shiftDays(today, -7), end: today });
        const m = r.meta ?? {};
        const price = Number(m.regularMarketPrice);
        const prev = Number(m.chartPreviousClose ?? m.previousClose);
        if (!Number.isFinite(price)) throw new Error('no price in the chart meta');
        out.push({
          code,
          name: String(m.shortName ?? m.longName ?? ''),
          price,
          prevClose: prev,
          change: Math.round((price - prev) * 1e4) / 1e4,
          changePct: prev ? Math.round((price / prev - 1) * 1e6) / 1e4 : 0,
          time: m.regularMarketTime ? new Date(m.regularMarketTime * 1000).toISOString() : new Date().toISOString(),
          provider: 'yahoo',
        });
      } catch (e) {
        errors.push(`${code}: ${(e as Error).message}`);
      }
    }
    if (out.length === 0) throw badInput(`${crumbError ?? 'yahoo quotes failed'}; the chart fallback failed too (${errors[0] ?? 'no codes'})`);
    return out;
  }
}

function shiftDays(d: number, days: number): number {
  const t = new Date(Date.UTC(Math.floor(d / 10000), (Math.floor(d / 100) % 100) - 1, d % 100) + days * 86_400_000);
  return t.getUTCFullYear() * 10000 + (t.getUTCMonth() + 1) * 100 + t.getUTCDate();
}
