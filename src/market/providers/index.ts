/** Builds a provider by name (the CLI's --provider). Network providers are imported lazily. */
import { badInput } from '../../core/errors.js';
import type { Provider, ProviderName } from './types.js';
import { PROVIDER_NAMES } from './types.js';

export interface ProviderOptions {
  /** csv: the folder. */
  source?: string;
  /** demo: the seed, symbol count, first day. */
  seed?: number;
  demoSymbols?: number;
  demoStart?: number;
  demoEnd?: number;
  /** eastmoney: 'qfq' (front-adjusted, default) or 'none'. */
  adjust?: 'qfq' | 'none';
  /** eastmoney / yahoo: base URL override (else QUANTFLOW_EASTMONEY_URL / QUANTFLOW_YAHOO_URL). */
  baseUrl?: string;
  /** yahoo: the tickers to download. */
  tickers?: string[];
  concurrency?: number;
  timeoutMs?: number;
  retries?: number;
  /** First backoff delay in ms (doubles each retry, with jitter). */
  retryDelayMs?: number;
  env?: NodeJS.ProcessEnv;
}

export async function createProvider(name: string, opts: ProviderOptions = {}): Promise<Provider> {
  if (!(PROVIDER_NAMES as readonly string[]).includes(name)) {
    throw badInput(`unknown provider "${name}" (choose ${PROVIDER_NAMES.join(', ')})`);
  }
  switch (name as ProviderName) {
    case 'csv': {
      if (!opts.source) throw badInput('--provider csv needs --source DIR (a folder of <code>.csv files, or its parent holding daily/)');
      const { CsvProvider } = await import('./csv.js');
      return new CsvProvider(opts.source);
    }
    case 'demo': {
      const { DemoProvider } = await import('./demo.js');
      return new DemoProvider({ seed: opts.seed, symbols: opts.demoSymbols, start: opts.demoStart, end: opts.demoEnd });
    }
    case 'eastmoney': {
      const { EastmoneyProvider } = await import('./eastmoney.js');
      return new EastmoneyProvider(opts);
    }
    case 'yahoo': {
      const { YahooProvider } = await import('./yahoo.js');
      return new YahooProvider(opts);
    }
  }
}
