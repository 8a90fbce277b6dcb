/**
 * The research screens' data (Market, Patterns, Picks, Model) for the controller: loaded on the
 * first visit to each screen, the demo market imported when the store is empty, the pattern scan
 * run once, and the live picks monitor started only while the Picks screen is shown. Results come
 * back as reducer actions; errors become status lines, never exceptions.
 */
import type { Action, State } from './state.js';
import type { Engine } from './engine.js';
import type { Screen } from './keys.js';
import type { Occurrence } from './types.js';
import { PicksMonitor, type QuoteFetcher } from './monitor.js';

export interface ResearchDeps {
  engine: Engine;
  dispatch: (a: Action) => void;
  state: () => State;
  status: (text: string, level?: 'info' | 'warn' | 'err') => void;
  /** The live picks monitor's clock and quote source (tests inject them). */
  now?: () => number;
  fetchQuotes?: QuoteFetcher;
}

export class ResearchLoader {
  private occurrences = new Map<string, Occurrence[]>();
  private patternsStarted = false;
  /** Set once the Market screen was first opened (its loading has started). */
  marketStarted: Promise<void> | undefined;
  private monitor?: PicksMonitor;
  private readonly d: ResearchDeps;

  constructor(deps: ResearchDeps) {
    this.d = deps;
  }

  /** What opening a screen loads or starts (and the monitor runs only on Picks). */
  onScreen(sc: Screen): void {
    const s = this.d.state();
    if (sc === 'market') void this.ensureMarket();
    if (sc === 'patterns') void this.ensurePatterns();
    if (sc === 'picks' && !s.picks.loaded) void this.loadPicks();
    else if (sc === 'picks') this.monitor?.start();
    if (sc !== 'picks') this.monitor?.stop();
    if (sc === 'model' && !s.model.loaded) void this.loadModels();
  }

  occurrencesOf(pattern: string): Occurrence[] {
    return this.occurrences.get(pattern) ?? [];
  }

  dispose(): void {
    this.monitor?.stop();
  }

  async loadPicks(): Promise<void> {
    try {
      const items = await this.d.engine.picks();
      this.d.dispatch({ type: 'picks', items });
      await this.startMonitor(items.filter((x) => x.date === items[0]?.date).map((x) => x.code));
    } catch (e) {
      this.d.status(`picks: ${(e as Error).message}`, 'err');
    }
  }

  /** The live monitor of the latest picks: refreshes while the Picks screen is shown. */
  private async startMonitor(codes: string[]): Promise<void> {
    this.monitor?.stop();
    this.monitor = undefined;
    if (codes.length === 0) return;
    const synthetic = await this.d.engine.synthetic(codes);
    const clock = this.d.now;
    this.monitor = new PicksMonitor({
      codes,
      synthetic,
      now: clock ? () => new Date(clock()) : undefined,
      fetch: this.d.fetchQuotes,
      onChange: (live) => this.d.dispatch({ type: 'picks-live', live }),
    });
    if (this.d.state().screen === 'picks') this.monitor.start();
  }

  async loadModels(): Promise<void> {
    try {
      const r = await this.d.engine.models();
      this.d.dispatch({ type: 'models', items: r.items, backtest: r.backtest });
    } catch (e) {
      this.d.status(`models: ${(e as Error).message}`, 'err');
    }
  }

  ensureMarket(): Promise<void> {
    if (!this.marketStarted) this.marketStarted = this.startMarket();
    return this.marketStarted;
  }

  private async startMarket(): Promise<void> {
    this.d.dispatch({ type: 'market', patch: { loading: 'loading the market…' } });
    await this.d.engine.loadMarket();
    this.loadSymbols();
    if (this.d.state().market.symbols.length === 0) await this.importDemo();
  }

  loadSymbols(): void {
    try {
      const { items, synthetic } = this.d.engine.symbols();
      this.d.dispatch({ type: 'symbols', items, synthetic });
    } catch (e) {
      this.d.status(`cannot read the market store: ${(e as Error).message}`, 'err');
    }
  }

  private async importDemo(): Promise<void> {
    this.d.dispatch({ type: 'market', patch: { loading: 'The store is empty: importing the offline demo market (synthetic data)…' } });
    this.d.status('importing the offline demo market (synthetic, not real prices)…');
    try {
      await new Promise((r) => setTimeout(r, 30));
      const bars = await this.d.engine.importDemo();
      this.loadSymbols();
      this.d.status(`imported the demo market: ${bars} synthetic bars (labelled synthetic everywhere)`);
    } catch (e) {
      this.d.dispatch({ type: 'market', patch: { loading: undefined } });
      this.d.status(`demo import failed: ${(e as Error).message}`, 'err');
    }
  }

  private async ensurePatterns(): Promise<void> {
    if (this.patternsStarted) return;
    this.patternsStarted = true;
    try {
      const catalog = await this.d.engine.patternCatalog();
      this.d.dispatch({
        type: 'patterns',
        items: Object.entries(catalog).map(([name, c]) => ({ name, english: c.english, direction: c.direction, recent: 0 })).sort((a, b) => a.name.localeCompare(b.name)),
        loading: 'counting recent fires across the market…',
      });
      const w = this.d.state().patterns.window;
      const r = await this.d.engine.scanPatterns(w, (done, total) => this.d.dispatch({ type: 'patterns-loading', loading: `counting recent fires… ${done}/${total} symbols` }));
      this.occurrences = r.occurrences;
      this.d.dispatch({ type: 'patterns', items: r.items });
    } catch (e) {
      this.patternsStarted = false;
      this.d.status(`patterns: ${(e as Error).message}`, 'err');
    }
  }
}
