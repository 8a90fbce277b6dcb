/**
 * Live quotes for a list of codes, from the provider that serves each: demo for symbols the store
 * holds as synthetic, eastmoney for A-shares, yahoo for everything else (or one forced provider).
 */
import { errorMessage, badInput } from '../core/errors.js';
import { isAShare } from './codes.js';
import type { MarketStore } from './store.js';
import type { Provider, Quote } from './providers/types.js';
import { createProvider, type ProviderOptions } from './providers/index.js';

export interface QuotesResult {
  quotes: Quote[];
  failed: { symbol: string; error: string }[];
}

export async function fetchQuotes(codes: string[], opts: { provider?: string; store?: MarketStore; providerOptions?: ProviderOptions } = {}): Promise<QuotesResult> {
  const forced = opts.provider && opts.provider !== 'auto' ? opts.provider : undefined;
  if (forced === 'csv') throw badInput('the csv provider has no live quotes');
  const groups = new Map<string, string[]>();
  for (const code of codes) {
    let p = forced;
    if (!p) {
      const info = opts.store?.getSymbol(code);
      p = info?.synthetic ? 'demo' : isAShare(code) ? 'eastmoney' : 'yahoo';
    }
    (groups.get(p) ?? groups.set(p, []).get(p)!).push(code);
  }
  const quotes: Quote[] = [];
  const failed: { symbol: string; error: string }[] = [];
  for (const [name, list] of groups) {
    let provider: Provider;
    try {
      provider = await createProvider(name, opts.providerOptions ?? {});
      if (!provider.quotes) throw new Error(`${name} has no live quotes`);
      const got = await provider.quotes(list);
      const seen = new Set(got.map((q) => q.code));
      quotes.push(...got);
      for (const c of list) if (!seen.has(c)) failed.push({ symbol: c, error: `${name}: no quote for ${c}` });
    } catch (e) {
      for (const c of list) failed.push({ symbol: c, error: errorMessage(e) });
    }
  }
  const order = new Map(codes.map((c, i) => [c, i]));
  quotes.sort((a, b) => (order.get(a.code) ?? 0) - (order.get(b.code) ?? 0));
  return { quotes, failed };
}
