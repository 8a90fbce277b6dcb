/**
 * The live picks monitor (no React): while the picks' market is in session it refreshes their
 * quotes every N seconds (QUANTFLOW_MONITOR_SECONDS, default 30), computes each pick's change
 * today and the picks' equal-weight average against the market's benchmark index, and keeps the
 * last known values when no quote source answers. Out of session it fetches nothing. It never
 * throws into the UI: every failure becomes a status and a message; `stop()` clears its timer.
 * Picks from several markets (A-shares with US or Hong Kong names) are grouped by the session
 * calendar they trade on: each group has its own session, benchmark and average, and only the
 * groups in session are fetched.
 */
import { benchmarkOf, marketOf } from '../market/codes.js';
import { sessionMarketOf, sessionState, SESSIONS, type SessionMarket } from '../market/sessions.js';
import type { QuotesResult } from '../market/quotes.js';

export type MonitorStatus = 'idle' | 'in-session' | 'closed' | 'source-down' | 'synthetic';

export interface MonitorQuote {
  code: string;
  price: number;
  /** Change today as a fraction (0.0084 = +0.84%), against the previous close. */
  change: number;
  /** The quote's own time (ISO-8601). */
  time: string;
}

/** One session calendar's share of the picks. */
export interface MarketGroup {
  market: SessionMarket;
  codes: string[];
  /** In session at the last refresh. */
  open: boolean;
  /** Equal-weight average of this group's change today, over its picks with a quote. */
  average?: number;
  benchmark: { code: string; name: string; change?: number };
}

export interface MonitorState {
  status: MonitorStatus;
  /** When quotes were last received (undefined: never). */
  lastUpdate?: Date;
  /** The last known quote of each pick, by code. */
  quotes: Record<string, MonitorQuote>;
  /** Equal-weight average of the picks' change today (fraction), over the picks with a quote. */
  average?: number;
  /** The benchmark of the top pick's market (groups[0]). */
  benchmark: { code: string; name: string; change?: number };
  /** Per session calendar, in the order of each market's first pick. */
  groups: MarketGroup[];
  /** The status line, ready to show. */
  message: string;
}

export type QuoteFetcher = (codes: string[]) => Promise<QuotesResult>;

export interface MonitorOptions {
  /** The latest picks' codes, best first (grouped by session calendar; the first code's group leads). */
  codes: string[];
  now?: () => Date;
  fetch?: QuoteFetcher;
  /** Refresh interval in ms; default QUANTFLOW_MONITOR_SECONDS (else 30) seconds. */
  intervalMs?: number;
  /** The picks are synthetic (demo store): never ask a live source. */
  synthetic?: boolean;
  onChange?: (s: MonitorState) => void;
  env?: NodeJS.ProcessEnv;
}

const BENCHMARK_NAMES: Record<string, string> = { 'sh.000300': 'CSI 300', '^GSPC': 'S&P 500', '^HSI': 'Hang Seng' };
const MARKET_LABELS: Record<SessionMarket, string> = { cn: 'A-shares', us: 'US', hk: 'HK' };

/** A session calendar's benchmark index: CSI 300, S&P 500, Hang Seng. */
function benchmarkFor(market: SessionMarket, firstCode: string): string {
  return market === 'hk' ? '^HSI' : benchmarkOf(marketOf(firstCode));
}

function groupCodes(codes: string[]): MarketGroup[] {
  const groups: MarketGroup[] = [];
  for (const code of codes) {
    const market = sessionMarketOf(code);
    let g = groups.find((x) => x.market === market);
    if (!g) {
      const bench = benchmarkFor(market, code);
      groups.push((g = { market, codes: [], open: false, benchmark: { code: bench, name: BENCHMARK_NAMES[bench] ?? bench } }));
    }
    g.codes.push(code);
  }
  return groups;
}

/** The refresh interval from the environment: QUANTFLOW_MONITOR_SECONDS (at least 1), else 30 s. */
export function monitorIntervalMs(env: NodeJS.ProcessEnv = process.env): number {
  const v = Number(env.QUANTFLOW_MONITOR_SECONDS);
  return Number.isFinite(v) && v >= 1 ? Math.round(v * 1000) : 30_000;
}

async function defaultFetch(codes: string[]): Promise<QuotesResult> {
  const { fetchQuotes } = await import('../market/quotes.js');
  // One quick attempt per refresh: the next refresh is the retry.
  return fetchQuotes(codes, { providerOptions: { timeoutMs: 5_000, retries: 0 } });
}

const pct = (x: number | undefined) => (x === undefined || !Number.isFinite(x) ? '-' : `${x >= 0 ? '+' : ''}${(x * 100).toFixed(2)}%`);

const fmtCache = new Map<string, Intl.DateTimeFormat>();
function fmt(timeZone: string, kind: 'time' | 'next'): Intl.DateTimeFormat {
  const key = `${timeZone}|${kind}`;
  let f = fmtCache.get(key);
  if (!f) {
    f =
      kind === 'time'
        ? new Intl.DateTimeFormat('en-GB', { timeZone, hourCycle: 'h23', hour: '2-digit', minute: '2-digit', second: '2-digit' })
        : new Intl.DateTimeFormat('en-GB', { timeZone, hourCycle: 'h23', weekday: 'short', hour: '2-digit', minute: '2-digit' });
    fmtCache.set(key, f);
  }
  return f;
}

/** "eastmoney: no answer within 5000 ms from http://… (after 1 attempts)" -> "eastmoney: no answer within 5000 ms". */
function shortError(msg: string): string {
  return msg
    .split('\n')[0]!
    .replace(/ \(after \d+ attempts?\)$/, '')
    .replace(/ from \S+$/, '')
    .replace(/ \(?https?:\/\/\S+/g, '')
    .slice(0, 80);
}

export class PicksMonitor {
  /** The top pick's session calendar. */
  readonly market: SessionMarket;
  readonly intervalMs: number;
  private readonly codes: string[];
  private readonly now: () => Date;
  private readonly fetcher: QuoteFetcher;
  private readonly synthetic: boolean;
  private readonly onChange?: (s: MonitorState) => void;
  private timer?: ReturnType<typeof setInterval>;
  private inFlight = false;
  private st: MonitorState;

  constructor(opts: MonitorOptions) {
    this.codes = [...new Set(opts.codes)];
    const groups = groupCodes(this.codes.length ? this.codes : ['sh.000300']);
    this.market = groups[0]!.market;
    this.now = opts.now ?? (() => new Date());
    this.fetcher = opts.fetch ?? defaultFetch;
    this.intervalMs = opts.intervalMs ?? monitorIntervalMs(opts.env);
    this.synthetic = opts.synthetic ?? false;
    this.onChange = opts.onChange;
    this.st = { status: 'idle', quotes: {}, benchmark: groups[0]!.benchmark, groups, message: 'live monitor starting…' };
  }

  get state(): MonitorState {
    return this.st;
  }

  get running(): boolean {
    return this.timer !== undefined;
  }

  /** Refreshes now, then every interval, until `stop()`. */
  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.refresh(), this.intervalMs);
    this.timer.unref?.();
    void this.refresh();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** One refresh: fetches only in session; never rejects. */
  async refresh(): Promise<MonitorState> {
    if (this.inFlight) return this.st;
    this.inFlight = true;
    try {
      await this.step();
    } catch (e) {
      // Defensive: nothing below should throw, but the UI must never see it.
      this.set({ status: 'source-down', message: `quotes unavailable (${shortError((e as Error)?.message ?? String(e))})${this.lastKnown()}` });
    } finally {
      this.inFlight = false;
    }
    return this.st;
  }

  private async step(): Promise<void> {
    if (this.codes.length === 0) return this.set({ status: 'closed', message: 'no picks to monitor' });
    if (this.synthetic) return this.set({ status: 'synthetic', message: 'synthetic market: no live quotes' });
    const now = this.now();
    const states = this.st.groups.map((g) => ({ g, ss: sessionState(g.market, now) }));
    const open = states.filter((x) => x.ss.open).map((x) => x.g);
    const nextOf = (g: MarketGroup, ss: ReturnType<typeof sessionState>) => {
      const tz = SESSIONS[g.market].timeZone;
      return ss.nextOpen ? `next session ${fmt(tz, 'next').format(ss.nextOpen).replace(',', '')} ${tz}` : 'next session unknown';
    };
    const several = this.st.groups.length > 1;
    if (open.length === 0) {
      const next = several ? states.map(({ g, ss }) => `${MARKET_LABELS[g.market]} ${nextOf(g, ss)}`).join(' · ') : nextOf(states[0]!.g, states[0]!.ss);
      const groups = this.st.groups.map((g) => (g.open ? { ...g, open: false } : g));
      return this.set({ status: 'closed', groups, message: `${several ? 'markets' : 'market'} closed · ${next}${this.st.lastUpdate ? ' · last known values' : ''}` });
    }
    let res: QuotesResult;
    try {
      res = await this.fetcher([...open.flatMap((g) => g.codes), ...open.map((g) => g.benchmark.code)]);
    } catch (e) {
      return this.set({ status: 'source-down', message: `quotes unavailable (${shortError((e as Error)?.message ?? String(e))})${this.lastKnown()}` });
    }
    const got = (res?.quotes ?? []).filter((q) => Number.isFinite(q.price));
    if (got.length === 0) {
      const err = res?.failed?.[0]?.error ?? 'no quotes';
      return this.set({ status: 'source-down', message: `quotes unavailable (${shortError(err)})${this.lastKnown()}` });
    }
    const quotes = { ...this.st.quotes };
    const benchChange = new Map<string, number>();
    for (const q of got) {
      const change = q.prevClose > 0 && Number.isFinite(q.prevClose) ? q.price / q.prevClose - 1 : q.changePct / 100;
      if (!Number.isFinite(change)) continue;
      if (open.some((g) => g.benchmark.code === q.code)) benchChange.set(q.code, change);
      if (this.codes.includes(q.code)) quotes[q.code] = { code: q.code, price: q.price, change, time: q.time };
    }
    const mean = (codes: string[]) => {
      const xs = codes.map((c) => quotes[c]?.change).filter((x): x is number => x !== undefined);
      return xs.length ? xs.reduce((a, x) => a + x, 0) / xs.length : undefined;
    };
    const groups = states.map(({ g, ss }) =>
      ss.open ? { ...g, open: true, average: mean(g.codes), benchmark: { ...g.benchmark, change: benchChange.get(g.benchmark.code) ?? g.benchmark.change } } : { ...g, open: false },
    );
    const missing = open.flatMap((g) => g.codes).filter((c) => !got.some((q) => q.code === c)).length;
    const when = fmt(SESSIONS[open[0]!.market].timeZone, 'time').format(now);
    const parts = groups.map((g, i) =>
      g.open
        ? `${several ? `${MARKET_LABELS[g.market]} ` : ''}picks ${pct(g.average)} vs ${g.benchmark.name} ${pct(g.benchmark.change)}`
        : `${MARKET_LABELS[g.market]} closed, ${nextOf(g, states[i]!.ss)}`,
    );
    const message = `live · refreshed ${when} · ${parts.join(' · ')}${missing ? ` · ${missing} without a quote` : ''}`;
    this.set({ status: 'in-session', lastUpdate: now, quotes, average: mean(this.codes), benchmark: groups[0]!.benchmark, groups, message });
  }

  private lastKnown(): string {
    const t = this.st.lastUpdate;
    return t ? ` · last known ${fmt(SESSIONS[this.market].timeZone, 'time').format(t)}` : ' · no values yet';
  }

  private set(patch: Partial<MonitorState>): void {
    const next = { ...this.st, ...patch };
    // Nothing the user sees changed (e.g. every refresh while closed): no new state, no redraw.
    if (next.status === this.st.status && next.message === this.st.message && next.lastUpdate === this.st.lastUpdate && next.quotes === this.st.quotes) return;
    this.st = next;
    try {
      this.onChange?.(this.st);
    } catch {
      // a listener's error is not the monitor's
    }
  }
}
