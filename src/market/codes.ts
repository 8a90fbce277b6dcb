/**
 * Canonical instrument codes, as the original system used them: A-shares `sh.600000`, `sz.000001`,
 * `bj.430047`; every other market by its Yahoo ticker (`AAPL`, `0700.HK`, `^GSPC`). Providers
 * translate to and from their own symbols here (eastmoney's secid `1.600000`, Yahoo's `600000.SS`).
 */
export type Market = 'sh' | 'sz' | 'bj' | 'us' | 'hk' | 'other';
export type Kind = 'stock' | 'index';

const A_SHARE = /^(sh|sz|bj)\.(\d{6})$/;

/** The A-share exchange a bare six-digit stock code trades on (600000 -> sh, 000001 -> sz, 430047 -> bj). */
export function exchangeOfDigits(digits: string): 'sh' | 'sz' | 'bj' {
  const c = digits[0];
  if (c === '6' || c === '9' || c === '5') return 'sh';
  if (c === '4' || c === '8') return 'bj';
  return 'sz';
}

/**
 * Normalises what a user types to the canonical code: `sh.600000`, `SH600000`, `600000.SS`,
 * `sh600000` and `600000` all give `sh.600000`; `aapl` gives `AAPL`. Throws nothing; unknown
 * shapes are upper-cased tickers.
 */
export function normalizeCode(input: string): string {
  const s = input.trim();
  const lower = s.toLowerCase();
  let m = /^(sh|sz|bj)\.?(\d{6})$/.exec(lower);
  if (m) return `${m[1]}.${m[2]}`;
  m = /^(\d{6})\.(ss|sh|sz|bj)$/.exec(lower);
  if (m) return `${m[2] === 'ss' ? 'sh' : m[2]}.${m[1]}`;
  if (/^\d{6}$/.test(s)) return `${exchangeOfDigits(s)}.${s}`;
  return s.toUpperCase();
}

export function isAShare(code: string): boolean {
  return A_SHARE.test(code);
}

/** The market of a canonical code: sh, sz, bj, hk (`.HK`), us (plain tickers and `^` indices), other (`.T`, `.L`, ...). */
export function marketOf(code: string): Market {
  const m = A_SHARE.exec(code);
  if (m) return m[1] as Market;
  if (code.endsWith('.HK')) return 'hk';
  if (/^\^?[A-Z][A-Z0-9\-]*(=F)?$/.test(code) && !code.includes('.')) return 'us';
  return 'other';
}

/** Indices: `sh.000xxx`, `sz.399xxx`, `bj.899xxx`, and Yahoo's `^` tickers. */
export function isIndex(code: string): boolean {
  if (code.startsWith('^')) return true;
  const m = A_SHARE.exec(code);
  if (!m) return false;
  const [, ex, d] = m;
  return (ex === 'sh' && d!.startsWith('000')) || (ex === 'sz' && d!.startsWith('399')) || (ex === 'bj' && d!.startsWith('899'));
}

export function kindOf(code: string): Kind {
  return isIndex(code) ? 'index' : 'stock';
}

/** The benchmark index of a market: CSI 300 for A-shares, the S&P 500 otherwise. */
export function benchmarkOf(market: Market): string {
  return market === 'sh' || market === 'sz' || market === 'bj' ? 'sh.000300' : '^GSPC';
}

/** sh.600000 -> 1.600000, sz.000001 -> 0.000001, bj.430047 -> 0.430047 (eastmoney's "secid"). */
export function toEastmoneySecid(code: string): string {
  const m = A_SHARE.exec(code);
  if (!m) throw new Error(`${code} is not an A-share code`);
  return `${m[1] === 'sh' ? 1 : 0}.${m[2]}`;
}

/** eastmoney's market flag f13 (1 = Shanghai, 0 = Shenzhen or Beijing) and code f12 -> canonical code. */
export function fromEastmoney(market: number | string, digits: string): string {
  if (Number(market) === 1) return `sh.${digits}`;
  return `${exchangeOfDigits(digits) === 'bj' ? 'bj' : 'sz'}.${digits}`;
}

/** sh.600000 -> 600000.SS, sz.000001 -> 000001.SZ, bj.430047 -> 430047.BJ; other codes are already Yahoo tickers. */
export function toYahooSymbol(code: string): string {
  const m = A_SHARE.exec(code);
  if (!m) return code;
  return `${m[2]}.${m[1] === 'sh' ? 'SS' : m[1]!.toUpperCase()}`;
}

export function fromYahooSymbol(symbol: string): string {
  return normalizeCode(symbol);
}

/** Splits a comma/space separated list of codes and normalises each (duplicates removed, order kept). */
export function parseCodeList(list: string): string[] {
  const out: string[] = [];
  for (const part of list.split(/[\s,]+/)) {
    if (!part) continue;
    const c = normalizeCode(part);
    if (!out.includes(c)) out.push(c);
  }
  return out;
}
