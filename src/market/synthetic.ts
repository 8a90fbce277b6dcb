/**
 * A deterministic synthetic A-share-like market (the demo provider's engine). NOT real prices.
 *
 * Daily log returns r = beta * market + gamma * sector + idio, each a GARCH(1,1) process with
 * Student-t(6) innovations: fat tails and volatility clustering; the common factor and 8 sector
 * factors give cross-sectional correlation. The overnight gap carries part of the day's move plus
 * noise; the intraday range scales with the day's volatility; volume rises with |return|;
 * prices move in ticks of 0.01 within the +-10% (+-20% for 300xxx) daily limits; ~3% of days are
 * forced doji-like (close within a tick of open); a few stocks list late or are suspended for a
 * spell (volume-0 rows, as real feeds pad them). Every stock, factor and index has its own random
 * stream, and days are generated in order, so the same seed gives the same market and a later end
 * date only appends days.
 */
export interface SyntheticOptions {
  seed?: number;
  /** Stocks, not counting the 4 indices. */
  stocks?: number;
  /** First and last calendar day, yyyymmdd. */
  start: number;
  end: number;
}

export interface SyntheticSymbol {
  code: string;
  name: string;
  kind: 'stock' | 'index';
  sector: number;
}

export interface SyntheticMarket {
  symbols: SyntheticSymbol[];
  dates: Int32Array;
  /** Per symbol, one column per field over `dates` (volume 0 = not traded that day). */
  open: Float64Array[];
  high: Float64Array[];
  low: Float64Array[];
  close: Float64Array[];
  volume: Float64Array[];
}

export const DEMO_INDICES: ReadonlyArray<{ code: string; name: string; filter: (code: string) => boolean }> = [
  { code: 'sh.000300', name: 'DEMO CSI 300 (synthetic)', filter: () => true },
  { code: 'sh.000001', name: 'DEMO SSE Composite (synthetic)', filter: (c) => c.startsWith('sh.') },
  { code: 'sz.399001', name: 'DEMO SZSE Component (synthetic)', filter: (c) => c.startsWith('sz.') },
  { code: 'sz.399006', name: 'DEMO ChiNext (synthetic)', filter: (c) => c.startsWith('sz.3') },
];

/** A small, fast, seedable generator (mulberry32) with normal and Student-t draws. */
export class Rng {
  private s: number;
  private spare = NaN;
  constructor(seed: number) {
    this.s = seed >>> 0 || 0x9e3779b9;
  }
  next(): number {
    let t = (this.s = (this.s + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  normal(): number {
    if (!Number.isNaN(this.spare)) {
      const v = this.spare;
      this.spare = NaN;
      return v;
    }
    let u = this.next();
    while (u <= 1e-12) u = this.next();
    const v = this.next();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }
  /** Student-t with 6 degrees of freedom, scaled to unit variance (chi2(6) = -2 ln(U1 U2 U3)). */
  t6(): number {
    let u = this.next() * this.next() * this.next();
    if (u <= 1e-300) u = 1e-300;
    const chi = -2 * Math.log(u);
    return (this.normal() / Math.sqrt(chi / 6)) * Math.sqrt(4 / 6);
  }
}

function hashSeed(seed: number, stream: number): number {
  let h = (seed ^ 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (stream + 0x27d4eb2f), 0x9e3779b1) >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  return h >>> 0;
}

/** Weekdays from start to end minus the main mainland holidays (approximate calendar). */
export function demoCalendar(start: number, end: number): Int32Array {
  const out: number[] = [];
  const d = new Date(Date.UTC(Math.floor(start / 10000), (Math.floor(start / 100) % 100) - 1, start % 100));
  const springFestival: Record<number, number> = {
    2015: 219, 2016: 208, 2017: 128, 2018: 216, 2019: 205, 2020: 125, 2021: 212, 2022: 201, 2023: 122,
    2024: 210, 2025: 129, 2026: 217, 2027: 206, 2028: 126, 2029: 213, 2030: 203,
  };
  for (;;) {
    const y = d.getUTCFullYear();
    const md = (d.getUTCMonth() + 1) * 100 + d.getUTCDate();
    const ymd = y * 10000 + md;
    if (ymd > end) break;
    const wd = d.getUTCDay();
    let holiday = md === 101 || (md >= 501 && md <= 503) || (md >= 1001 && md <= 1007) || md === 404;
    const sf = springFestival[y] ?? 210;
    const sfDay = Date.UTC(y, Math.floor(sf / 100) - 1, sf % 100);
    const diff = Math.round((d.getTime() - sfDay) / 86_400_000);
    if (diff >= -1 && diff <= 5) holiday = true;
    if (wd !== 0 && wd !== 6 && !holiday) out.push(ymd);
    d.setUTCDate(d.getUTCDate() + 1);
  }
  return Int32Array.from(out);
}

const round2 = (x: number) => Math.round(x * 100) / 100;

interface Garch {
  h: number;
  omega: number;
  alpha: number;
  beta: number;
}
function garch(vol: number, alpha: number, beta: number): Garch {
  const v = vol * vol;
  return { h: v, omega: v * (1 - alpha - beta), alpha, beta };
}
function garchStep(g: Garch, z: number): number {
  const e = Math.sqrt(g.h) * z;
  g.h = g.omega + g.alpha * e * e + g.beta * g.h;
  return e;
}

export function stockCode(i: number): string {
  const k = Math.floor(i / 4);
  switch (i % 4) {
    case 0:
    case 2:
      return `sh.${600000 + Math.floor(i / 2)}`;
    case 1:
      return `sz.${String(1 + k).padStart(6, '0')}`;
    default:
      return `sz.${300001 + k}`;
  }
}

export function demoSymbols(stocks: number): SyntheticSymbol[] {
  const syms: SyntheticSymbol[] = [];
  for (let i = 0; i < stocks; i++) {
    syms.push({ code: stockCode(i), name: `DEMO ${String(i + 1).padStart(3, '0')} (synthetic)`, kind: 'stock', sector: i % 8 });
  }
  for (const ix of DEMO_INDICES) syms.push({ code: ix.code, name: ix.name, kind: 'index', sector: -1 });
  return syms;
}

export function generateMarket(opts: SyntheticOptions): SyntheticMarket {
  const seed = opts.seed ?? 42;
  const nStocks = opts.stocks ?? 296;
  const symbols = demoSymbols(nStocks);
  const dates = demoCalendar(opts.start, opts.end);
  const T = dates.length;
  const nSym = symbols.length;
  const cols = () => Array.from({ length: nSym }, () => new Float64Array(T));
  const open = cols(), high = cols(), low = cols(), close = cols(), volume = cols();

  const fr = new Rng(hashSeed(seed, 1_000_000));
  const mkt = garch(0.011, 0.09, 0.89);
  const sectors = Array.from({ length: 8 }, () => garch(0.007, 0.08, 0.9));
  const marketRet = new Float64Array(T);
  const marketVar = new Float64Array(T);
  const sectorRet = Array.from({ length: 8 }, () => new Float64Array(T));
  for (let t = 0; t < T; t++) {
    marketVar[t] = mkt.h;
    marketRet[t] = 0.0002 + garchStep(mkt, fr.t6());
    for (let k = 0; k < 8; k++) sectorRet[k]![t] = garchStep(sectors[k]!, fr.t6());
  }

  for (let i = 0; i < nStocks; i++) {
    const rng = new Rng(hashSeed(seed, i));
    const code = symbols[i]!.code;
    const limit = code.startsWith('sz.3') ? 0.2 : 0.1;
    const sigma = 0.011 + 0.012 * rng.next();
    const beta = 0.6 + 0.8 * rng.next();
    const gamma = 0.5 + 0.7 * rng.next();
    const idio = garch(sigma, 0.07, 0.9);
    let prev = round2(Math.exp(Math.log(4) + rng.next() * Math.log(40)));
    const baseVol = Math.exp(Math.log(3e5) + rng.next() * Math.log(150));
    // In trading days from the start, independent of the end date (a later end only appends days).
    const listDay = rng.next() < 0.06 ? Math.floor(rng.next() * 450) : 0;
    const suspendAt = rng.next() < 0.08 ? Math.floor(rng.next() * 750) : -1;
    const suspendLen = 3 + Math.floor(rng.next() * 25);
    let volNoise = 0;
    const O = open[i]!, H = high[i]!, L = low[i]!, C = close[i]!, V = volume[i]!;
    const sec = sectorRet[symbols[i]!.sector]!;
    for (let t = 0; t < T; t++) {
      // Draw every variate every day so the stream stays aligned whatever happens below.
      const zI = rng.t6();
      const zGap = rng.normal();
      const zUp = rng.normal();
      const zDn = rng.normal();
      const zVol = rng.normal();
      const uDoji = rng.next();
      const uDojiSide = rng.next();
      const e = garchStep(idio, zI);
      if (t < listDay) continue; // not listed yet: no row at all
      const suspended = suspendAt >= 0 && t >= suspendAt && t < suspendAt + suspendLen;
      if (suspended) {
        O[t] = H[t] = L[t] = C[t] = prev;
        V[t] = 0;
        continue;
      }
      const r = Math.max(-limit * 0.999, Math.min(limit * 0.999, beta * marketRet[t]! + gamma * sec[t]! + e));
      const dayVol = Math.sqrt(beta * beta * marketVar[t]! + idio.h);
      const up = round2(prev * (1 + limit));
      const dn = round2(prev * (1 - limit));
      let c = Math.min(up, Math.max(dn, round2(prev * Math.exp(r))));
      let o = Math.min(up, Math.max(dn, round2(prev * Math.exp(0.3 * r + 0.35 * dayVol * zGap))));
      if (uDoji < 0.03) c = Math.min(up, Math.max(dn, round2(o + (uDojiSide < 0.33 ? -0.01 : uDojiSide < 0.66 ? 0 : 0.01))));
      if (c < 0.01) c = 0.01;
      if (o < 0.01) o = 0.01;
      const wick = 0.45 * dayVol;
      let h = round2(Math.max(o, c) * (1 + Math.abs(zUp) * wick));
      let l = round2(Math.min(o, c) * (1 - Math.abs(zDn) * wick));
      h = Math.max(Math.max(o, c), Math.min(h, up));
      l = Math.min(Math.min(o, c), Math.max(l, dn, 0.01));
      volNoise = 0.7 * volNoise + 0.3 * zVol;
      const absR = Math.abs(Math.log(c / prev));
      const v = Math.max(100, Math.round((baseVol * Math.exp(0.5 * volNoise + (1.2 * absR) / sigma - 0.6)) / 100) * 100);
      O[t] = o;
      H[t] = h;
      L[t] = l;
      C[t] = c;
      V[t] = v;
      prev = c;
    }
  }

  // Indices: weighted averages of their members' moves, on their own level.
  DEMO_INDICES.forEach((ix, j) => {
    const s = nStocks + j;
    const rng = new Rng(hashSeed(seed, 2_000_000 + j));
    const members: number[] = [];
    const weights: number[] = [];
    for (let i = 0; i < nStocks; i++) if (ix.filter(symbols[i]!.code)) {
      members.push(i);
      weights.push(0.2 + rng.next());
    }
    let level = [4000, 3200, 11000, 2300][j]!;
    const O = open[s]!, H = high[s]!, L = low[s]!, C = close[s]!, V = volume[s]!;
    for (let t = 0; t < T; t++) {
      let wSum = 0, rc = 0, ro = 0, ru = 0, rd = 0, vol = 0;
      for (let k = 0; k < members.length; k++) {
        const i = members[k]!;
        if (t === 0 || volume[i]![t]! <= 0 || close[i]![t - 1]! <= 0) continue;
        const pc = close[i]![t - 1]!;
        const w = weights[k]!;
        rc += w * (close[i]![t]! / pc - 1);
        ro += w * (open[i]![t]! / pc - 1);
        ru += w * (high[i]![t]! / Math.max(open[i]![t]!, close[i]![t]!) - 1);
        rd += w * (1 - low[i]![t]! / Math.min(open[i]![t]!, close[i]![t]!));
        wSum += w;
        vol += volume[i]![t]!;
      }
      if (wSum > 0) {
        rc /= wSum; ro /= wSum; ru /= wSum; rd /= wSum;
      }
      const o = round2(level * (1 + ro));
      const c = round2(level * (1 + rc));
      O[t] = o;
      C[t] = c;
      H[t] = round2(Math.max(o, c) * (1 + 0.6 * ru));
      L[t] = round2(Math.min(o, c) * (1 - 0.6 * rd));
      V[t] = Math.max(100, vol);
      level = c;
    }
  });
  return { symbols, dates, open, high, low, close, volume };
}
