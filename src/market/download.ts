/**
 * The download loop shared by every provider: universe -> filter -> per symbol (a limited number
 * at once) fetch raw rows -> validate -> write in batches, one transaction each. Incremental
 * providers fetch from the last stored bar on (that bar included, to notice a changed price
 * adjustment, which triggers a full re-download of that symbol). One failing symbol never stops
 * the others; the summary lists them.
 */
import { errorMessage, badInput } from '../core/errors.js';
import { silentProgress, type Progress } from '../core/progress.js';
import type { MarketStore, ImportItem } from './store.js';
import type { Provider, UniverseEntry } from './providers/types.js';
import { cleanBars, SkipReport } from './validate.js';
import { mapLimit } from './concurrency.js';
import { sliceBars } from './bars.js';
import { kindOf, marketOf } from './codes.js';

export interface DownloadOptions {
  /** Only these canonical codes (in universe order; codes missing from the universe are fetched anyway). */
  symbols?: string[];
  /** Keep the first N symbols of the sorted universe. */
  limit?: number;
  /** yyyymmdd bounds, inclusive. */
  start?: number;
  end?: number;
  /** "N" symbols or "P%" of the universe allowed to fail before the run counts as failed; default 1%. */
  maxFailed?: string;
  /** Ignore what is stored and fetch every symbol's whole range. */
  full?: boolean;
  progress?: Progress;
  /** Flush a batch once it holds this many bars (default 50,000). */
  batchBars?: number;
  signal?: AbortSignal;
}

export interface DownloadSummary {
  provider: string;
  synthetic: boolean;
  /** Symbols read successfully (with or without new bars). */
  symbols: number;
  universe: number;
  /** Bars written. */
  bars: number;
  skipped: Record<string, number>;
  repaired: number;
  failed: { symbol: string; error: string }[];
  /** The first problems found (`file:line:col: message`), and how many there were. */
  problems: string[];
  problemCount: number;
  maxFailed: number;
  ok: boolean;
  interrupted: boolean;
  seconds: number;
}

export function parseMaxFailed(spec: string | undefined, universe: number): number {
  const s = (spec ?? '1%').trim();
  const pct = /^(\d+(?:\.\d+)?)%$/.exec(s);
  if (pct) return Math.floor((Number(pct[1]) / 100) * universe + 1e-9);
  if (/^\d+$/.test(s)) return Number(s);
  throw badInput(`--max-failed expects N or P% (e.g. 3 or 1%), got "${spec}"`);
}

export function selectUniverse(all: UniverseEntry[], opts: Pick<DownloadOptions, 'symbols' | 'limit'>): UniverseEntry[] {
  let list = [...all].sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  if (opts.symbols && opts.symbols.length > 0) {
    const byCode = new Map(list.map((u) => [u.code, u]));
    list = opts.symbols.map((c) => byCode.get(c) ?? { code: c, name: '', market: marketOf(c), kind: kindOf(c) });
  }
  if (opts.limit !== undefined && opts.limit > 0) list = list.slice(0, opts.limit);
  return list;
}

export async function downloadMarket(store: MarketStore, provider: Provider, opts: DownloadOptions = {}): Promise<DownloadSummary> {
  const t0 = performance.now();
  const progress = opts.progress ?? silentProgress;
  const report = new SkipReport();
  const failed: { symbol: string; error: string }[] = [];
  const listed = provider.lazyUniverse && opts.symbols && opts.symbols.length > 0 ? [] : await provider.universe();
  const universe = selectUniverse(listed, opts);
  const maxFailed = parseMaxFailed(opts.maxFailed, universe.length);
  const batchBars = opts.batchBars ?? 50_000;
  let pending: ImportItem[] = [];
  let pendingBars = 0;
  let written = 0;
  let ok = 0;

  const flush = () => {
    if (pending.length === 0) return;
    written += store.importBatch(pending);
    pending = [];
    pendingBars = 0;
  };

  progress.total(universe.length);
  await mapLimit(universe, Math.max(1, provider.concurrency), async (sym) => {
    if (opts.signal?.aborted) return;
    try {
      const stored = store.getSymbol(sym.code);
      const last = provider.incremental && !opts.full && stored && stored.bars > 0 && stored.provider === provider.name && stored.adjust === provider.adjust ? stored.last : undefined;
      const symReport = new SkipReport();
      const fetchStart = last !== undefined ? Math.max(opts.start ?? 0, last) : opts.start;
      let raw = await provider.fetchBars(sym, { start: fetchStart, end: opts.end }, symReport);
      let { bars, adj } = cleanBars(raw, symReport, { start: fetchStart, end: opts.end, withAdj: raw.adj !== undefined });
      let replace = false;
      if (last !== undefined) {
        const k = bars.dates.indexOf(last);
        const storedLast = store.readBars(sym.code, last, last);
        const changed = k >= 0 && storedLast.close.length === 1 && Math.abs(bars.close[k]! - storedLast.close[0]!) > 1e-6 * Math.max(1, Math.abs(storedLast.close[0]!));
        if (changed) {
          // The provider re-adjusted the history (a dividend or split): fetch it all again.
          const again = new SkipReport();
          raw = await provider.fetchBars(sym, { start: opts.start, end: opts.end }, again);
          ({ bars, adj } = cleanBars(raw, again, { start: opts.start, end: opts.end, withAdj: raw.adj !== undefined }));
          symReport.merge(again);
          replace = true;
        } else {
          let from = 0;
          while (from < bars.dates.length && bars.dates[from]! <= last) from++;
          if (from > 0) {
            bars = sliceBars(bars, from);
            adj = adj?.subarray(from);
          }
        }
      }
      report.merge(symReport);
      const meta = { code: sym.code, name: sym.name || raw.name || stored?.name || '', market: sym.market || undefined, kind: sym.kind };
      if (bars.dates.length > 0 || !stored || replace) {
        pending.push({ meta, bars, adj, provider: provider.name, synthetic: provider.synthetic, adjust: provider.adjust, replace });
        pendingBars += bars.dates.length;
      }
      ok++;
      if (pendingBars >= batchBars || pending.length >= 200) flush();
    } catch (e) {
      failed.push({ symbol: sym.code, error: errorMessage(e) });
    } finally {
      progress.tick(1, sym.code);
    }
  });
  flush();
  progress.done();
  const interrupted = opts.signal?.aborted ?? false;
  return {
    provider: provider.name,
    synthetic: provider.synthetic,
    symbols: ok,
    universe: universe.length,
    bars: written,
    skipped: report.skipped,
    repaired: report.repaired,
    failed,
    problems: report.problems,
    problemCount: report.problemCount,
    maxFailed,
    ok: failed.length <= maxFailed && !interrupted,
    interrupted,
    seconds: Math.round((performance.now() - t0) / 10) / 100,
  };
}
