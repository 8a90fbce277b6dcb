/**
 * The one interface every bar provider implements: list the universe, fetch one symbol's bars
 * between two dates. The download loop (src/market/download.ts) does the rest: validation,
 * batching, incremental ranges, concurrency, the per-symbol error list.
 */
import type { Kind } from '../codes.js';
import type { RawBars, SkipReport } from '../validate.js';

export interface UniverseEntry {
  code: string;
  name: string;
  market: string;
  kind: Kind;
}

/** Inclusive yyyymmdd bounds; undefined means "as far as the provider goes". */
export interface FetchRange {
  start?: number;
  end?: number;
}

export interface Quote {
  code: string;
  name: string;
  price: number;
  /** Change today, absolute and in percent, against the previous close. */
  change: number;
  changePct: number;
  prevClose: number;
  open?: number;
  high?: number;
  low?: number;
  volume?: number;
  /** The time of the quote (ISO-8601). */
  time: string;
  provider: string;
  synthetic?: boolean;
}

export interface Provider {
  readonly name: string;
  /** True for generated (not real) prices: shown as "synthetic" wherever the data appears. */
  readonly synthetic: boolean;
  /** Fetch only the dates after the last stored bar (network providers). */
  readonly incremental: boolean;
  /** 'none' (unadjusted), 'qfq' (front-adjusted) or '' (unknown). */
  readonly adjust: string;
  /** How many symbols to fetch at once. */
  readonly concurrency: number;
  universe(): Promise<UniverseEntry[]>;
  /**
   * True when listing the universe is expensive (a network call) and fetching named symbols needs
   * no list: with --symbols the download then skips `universe()` and takes names from the bars.
   */
  readonly lazyUniverse?: boolean;
  /** Raw rows for one symbol; throws (a one-line message) when the symbol cannot be read at all. */
  fetchBars(sym: UniverseEntry, range: FetchRange, report: SkipReport): Promise<RawBars>;
  /** Live (or, for demo, synthetic) quotes for canonical codes. */
  quotes?(codes: string[]): Promise<Quote[]>;
}

export type ProviderName = 'demo' | 'csv' | 'eastmoney' | 'yahoo';
export const PROVIDER_NAMES: readonly ProviderName[] = ['demo', 'csv', 'eastmoney', 'yahoo'];
