/**
 * `demo`: the offline default provider, a deterministic SYNTHETIC market (src/market/synthetic.ts):
 * 296 stocks + 4 indices (sh.000300 ...) over 2023-01-03 .. 2025-12-31 by default, names
 * "DEMO 001 (synthetic)". Stored with `synthetic = 1` so every view can label it. Same seed,
 * same market; a later --end only appends days (downloads are incremental).
 */
import { marketOf } from '../codes.js';
import { generateMarket, demoSymbols, type SyntheticMarket } from '../synthetic.js';
import type { RawBars, SkipReport } from '../validate.js';
import type { FetchRange, Provider, Quote, UniverseEntry } from './types.js';
import { yyyymmddToIso } from '../../core/time.js';

export const DEMO_START = 20230103;
export const DEMO_END = 20251231;

export interface DemoOptions {
  seed?: number;
  /** Total symbols including the 4 indices (default 300). */
  symbols?: number;
  start?: number;
  end?: number;
}

export class DemoProvider implements Provider {
  readonly name = 'demo';
  readonly synthetic = true;
  readonly incremental = true;
  readonly adjust = 'none';
  readonly concurrency = 1;
  readonly seed: number;
  readonly stocks: number;
  private readonly start: number;
  private readonly end: number;
  private market?: SyntheticMarket;
  private generatedTo = 0;
  private index = new Map<string, number>();

  constructor(opts: DemoOptions = {}) {
    this.seed = opts.seed ?? 42;
    this.stocks = Math.max(1, (opts.symbols ?? 300) - 4);
    this.start = opts.start ?? DEMO_START;
    this.end = opts.end ?? DEMO_END;
  }

  async universe(): Promise<UniverseEntry[]> {
    return demoSymbols(this.stocks).map((s) => ({ code: s.code, name: s.name, market: marketOf(s.code), kind: s.kind }));
  }

  /** The whole generated market up to `end` (cached; regenerated when a later end is asked for). */
  generate(end = this.end): SyntheticMarket {
    if (!this.market || this.generatedTo < end) {
      this.market = generateMarket({ seed: this.seed, stocks: this.stocks, start: this.start, end: Math.max(end, this.end) });
      this.generatedTo = Math.max(end, this.end);
      this.index = new Map(this.market.symbols.map((s, i) => [s.code, i]));
    }
    return this.market;
  }

  async fetchBars(sym: UniverseEntry, range: FetchRange, _report: SkipReport): Promise<RawBars> {
    const m = this.generate(range.end ?? this.end);
    const i = this.index.get(sym.code);
    if (i === undefined) throw new Error(`${sym.code} is not in the demo market`);
    const from = range.start ?? 0;
    const to = range.end ?? this.end;
    const keep: number[] = [];
    const O = m.open[i]!;
    for (let t = 0; t < m.dates.length; t++) {
      const d = m.dates[t]!;
      if (d >= from && d <= to && O[t]! > 0) keep.push(t);
    }
    const pick = (col: Float64Array) => Float64Array.from(keep, (t) => col[t]!);
    return {
      code: sym.code,
      dates: Int32Array.from(keep, (t) => m.dates[t]!),
      open: pick(m.open[i]!),
      high: pick(m.high[i]!),
      low: pick(m.low[i]!),
      close: pick(m.close[i]!),
      volume: pick(m.volume[i]!),
      source: `demo:${sym.code}`,
    };
  }

  /** Synthetic quotes: each symbol's last generated bar against the one before (labelled synthetic). */
  async quotes(codes: string[]): Promise<Quote[]> {
    const m = this.generate();
    const out: Quote[] = [];
    for (const code of codes) {
      const i = this.index.get(code);
      if (i === undefined) continue;
      const C = m.close[i]!, V = m.volume[i]!;
      let t = m.dates.length - 1;
      while (t > 0 && !(V[t]! > 0)) t--;
      let p = t - 1;
      while (p > 0 && !(V[p]! > 0)) p--;
      const price = C[t]!;
      const prevClose = p >= 0 ? C[p]! : price;
      out.push({
        code,
        name: m.symbols[i]!.name,
        price,
        prevClose,
        change: Math.round((price - prevClose) * 100) / 100,
        changePct: prevClose > 0 ? Math.round(((price / prevClose - 1) * 100) * 100) / 100 : 0,
        open: m.open[i]![t]!,
        high: m.high[i]![t]!,
        low: m.low[i]![t]!,
        volume: V[t]!,
        time: `${yyyymmddToIso(m.dates[t]!)}T15:00:00+08:00`,
        provider: 'demo',
        synthetic: true,
      });
    }
    return out;
  }
}
