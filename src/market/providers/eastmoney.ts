/**
 * `eastmoney`: the whole A-share market, the source akshare uses (eastmoney publishes no docs;
 * formats learnt from akshare's stock_zh_a_hist / stock_zh_a_spot_em, see
 * test/fixtures/market/PROVENANCE.md):
 * - universe: GET /api/qt/clist/get?fs=m:0 t:6,m:0 t:80,m:1 t:2,m:1 t:23,m:0 t:81 s:2048 (pages of
 *   100), `data.diff[]` with f12 code, f13 market (1 sh, 0 sz/bj), f14 name; plus the main indices;
 * - daily bars: GET /api/qt/stock/kline/get?secid=1.600000&klt=101&fqt=1|0&beg=&end=, `data.klines[]`
 *   strings "date,open,close,high,low,volume(lots),amount,amplitude,pct,change,turnover";
 * - quotes: GET /api/qt/ulist.np/get?fltt=2&secids=..., `data.diff[]` with f2 price, f3 change %,
 *   f4 change, f5 volume (lots), f15 high, f16 low, f17 open, f18 previous close, f124 time.
 * Base URL: option, else QUANTFLOW_EASTMONEY_URL (one server for all paths), else the public hosts.
 */
import { fromEastmoney, toEastmoneySecid, isAShare, kindOf } from '../codes.js';
import { getJson, HttpError, type HttpOptions } from '../http.js';
import type { RawBars, SkipReport } from '../validate.js';
import type { FetchRange, Provider, Quote, UniverseEntry } from './types.js';
import type { ProviderOptions } from './index.js';

const FS_ALL_A = 'm:0 t:6,m:0 t:80,m:1 t:2,m:1 t:23,m:0 t:81 s:2048';
const INDICES: UniverseEntry[] = [
  { code: 'sh.000001', name: '上证指数', market: 'sh', kind: 'index' },
  { code: 'sh.000300', name: '沪深300', market: 'sh', kind: 'index' },
  { code: 'sz.399001', name: '深证成指', market: 'sz', kind: 'index' },
  { code: 'sz.399006', name: '创业板指', market: 'sz', kind: 'index' },
];

interface KlineResponse {
  rc?: number;
  data: { code?: string; market?: number; name?: string; klines?: string[] } | null;
}
type Diff = Record<string, unknown>[] | Record<string, Record<string, unknown>>;
interface ListResponse {
  data: { total?: number; diff?: Diff } | null;
}

function diffRows(diff: Diff | undefined): Record<string, unknown>[] {
  if (!diff) return [];
  return Array.isArray(diff) ? diff : Object.values(diff);
}

const num = (v: unknown): number => (typeof v === 'number' ? v : typeof v === 'string' && v !== '-' && v !== '' ? Number(v) : NaN);
const ymd = (d: number) => String(d);

export class EastmoneyProvider implements Provider {
  readonly name = 'eastmoney';
  readonly synthetic = false;
  readonly incremental = true;
  readonly lazyUniverse = true;
  readonly adjust: string;
  readonly concurrency: number;
  private readonly histBase: string;
  private readonly listBase: string;
  private readonly quoteBase: string;
  private readonly http: HttpOptions;

  constructor(opts: ProviderOptions = {}) {
    const env = opts.env ?? process.env;
    const base = (opts.baseUrl ?? env.QUANTFLOW_EASTMONEY_URL ?? '').replace(/\/+$/, '');
    this.histBase = base || 'https://push2his.eastmoney.com';
    this.listBase = base || 'https://82.push2.eastmoney.com';
    this.quoteBase = base || 'https://push2.eastmoney.com';
    this.adjust = opts.adjust ?? 'qfq';
    this.concurrency = opts.concurrency ?? 4;
    this.http = { label: 'eastmoney', timeoutMs: opts.timeoutMs ?? 10_000, retries: opts.retries ?? 3, baseDelayMs: opts.retryDelayMs, headers: { referer: 'https://quote.eastmoney.com/' } };
  }

  async universe(): Promise<UniverseEntry[]> {
    const out = new Map<string, UniverseEntry>();
    const pz = 100;
    let seen = 0;
    for (let pn = 1; pn <= 200; pn++) {
      const q = new URLSearchParams({ pn: String(pn), pz: String(pz), po: '1', np: '1', fltt: '2', invt: '2', fid: 'f12', fs: FS_ALL_A, fields: 'f12,f13,f14' });
      const res = await getJson<ListResponse>(`${this.listBase}/api/qt/clist/get?${q}`, this.http);
      if (!res || typeof res !== 'object' || !('data' in res)) throw new HttpError('eastmoney: the stock list has no "data" field', undefined, false);
      const rows = diffRows(res.data?.diff);
      for (const r of rows) {
        const digits = String(r.f12 ?? '');
        if (!/^\d{6}$/.test(digits)) continue;
        const code = fromEastmoney(num(r.f13), digits);
        out.set(code, { code, name: String(r.f14 ?? ''), market: code.slice(0, 2), kind: kindOf(code) });
      }
      seen += rows.length;
      const total = res.data?.total ?? 0;
      if (rows.length === 0 || seen >= total) break;
    }
    for (const ix of INDICES) if (!out.has(ix.code)) out.set(ix.code, ix);
    return [...out.values()];
  }

  async fetchBars(sym: UniverseEntry, range: FetchRange, _report: SkipReport): Promise<RawBars> {
    if (!isAShare(sym.code)) throw new Error(`${sym.code} is not an A-share code (eastmoney serves sh./sz./bj.)`);
    const secid = toEastmoneySecid(sym.code);
    const q = new URLSearchParams({
      secid,
      fields1: 'f1,f2,f3,f4,f5,f6',
      fields2: 'f51,f52,f53,f54,f55,f56,f57,f58,f59,f60,f61',
      ut: '7eea3edcaed734bea9cbfc24409ed989',
      klt: '101',
      fqt: this.adjust === 'qfq' ? '1' : '0',
      beg: range.start ? ymd(range.start) : '0',
      end: range.end ? ymd(range.end) : '20500101',
      lmt: '1000000',
    });
    const url = `${this.histBase}/api/qt/stock/kline/get?${q}`;
    const res = await getJson<KlineResponse>(url, this.http);
    if (!res || typeof res !== 'object' || !('data' in res)) throw new HttpError(`eastmoney: kline answer for ${secid} has no "data" field`, undefined, false);
    if (res.data === null) throw new HttpError(`eastmoney: no data for secid ${secid} (unknown or delisted code?)`, undefined, false);
    const lines = res.data.klines ?? [];
    const n = lines.length;
    const dates = new Int32Array(n);
    const open = new Float64Array(n), high = new Float64Array(n), low = new Float64Array(n), close = new Float64Array(n), volume = new Float64Array(n);
    const lineNo = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const f = String(lines[i]).split(',');
      const d = f[0] ?? '';
      dates[i] = /^\d{4}-\d{2}-\d{2}$/.test(d) ? Number(d.slice(0, 4)) * 10000 + Number(d.slice(5, 7)) * 100 + Number(d.slice(8, 10)) : NaN;
      open[i] = num(f[1]);
      close[i] = num(f[2]);
      high[i] = num(f[3]);
      low[i] = num(f[4]);
      volume[i] = num(f[5]) * 100; // lots of 100 shares
      lineNo[i] = i + 1;
    }
    return { code: sym.code, dates, open, high, low, close, volume, lines: lineNo, source: `eastmoney ${secid} kline`, name: res.data.name || undefined };
  }

  async quotes(codes: string[]): Promise<Quote[]> {
    const out: Quote[] = [];
    const list = codes.filter(isAShare);
    for (let i = 0; i < list.length; i += 100) {
      const batch = list.slice(i, i + 100);
      const q = new URLSearchParams({ fltt: '2', invt: '2', fields: 'f2,f3,f4,f5,f12,f13,f14,f15,f16,f17,f18,f124', secids: batch.map(toEastmoneySecid).join(',') });
      const res = await getJson<ListResponse>(`${this.quoteBase}/api/qt/ulist.np/get?${q}`, this.http);
      if (!res || typeof res !== 'object' || !('data' in res)) throw new HttpError('eastmoney: the quote answer has no "data" field', undefined, false);
      for (const r of diffRows(res.data?.diff)) {
        const code = fromEastmoney(num(r.f13), String(r.f12 ?? ''));
        const price = num(r.f2);
        if (!Number.isFinite(price)) continue; // suspended: no price today
        const t = num(r.f124);
        out.push({
          code,
          name: String(r.f14 ?? ''),
          price,
          change: num(r.f4),
          changePct: num(r.f3),
          prevClose: num(r.f18),
          open: num(r.f17),
          high: num(r.f15),
          low: num(r.f16),
          volume: num(r.f5) * 100,
          time: Number.isFinite(t) && t > 0 ? new Date(t * 1000).toISOString() : new Date().toISOString(),
          provider: 'eastmoney',
        });
      }
    }
    return out;
  }
}
