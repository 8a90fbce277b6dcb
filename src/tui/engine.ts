/**
 * The TUI's one door to the domain: workflow files, the run store, the runner, the market store
 * and candlestick patterns. Runs go through the same engine as `quantflow run`, in this process,
 * and are stored the same way.
 */
import { join, relative, resolve } from 'node:path';
import { sharedDb } from '../core/db.js';
import { loadWorkflowFile, formatDiagnostic } from '../workflow/dialect/load.js';
import type { WorkflowBundle } from '../workflow/model.js';
import { RunStore } from '../workflow/store.js';
import type { RunHandle } from '../workflow/runner/index.js';
import type { MarketStore } from '../market/store.js';
import type { Bars } from '../market/bars.js';
import { findWorkflowFiles } from '../workflow/dialect/discover.js';
import type { BacktestView, DagTask, ModelItem, Occurrence, PatternItem, PickItem, RunItem, SymbolItem, TaskLive, WorkflowEntry } from './types.js';
import type { EngineEvent } from './engine-events.js';

export interface EngineOptions {
  dbPath: string;
  workflowDirs: string[];
  cwd?: string;
}


export class Engine {
  readonly dbPath: string;
  readonly dirs: string[];
  private readonly cwd: string;
  private runStore?: RunStore;
  private market?: MarketStore;
  private bundles = new Map<string, WorkflowBundle>();
  private barsCache = new Map<string, Bars>();
  readonly handles = new Map<number, RunHandle>();

  constructor(opts: EngineOptions) {
    this.dbPath = opts.dbPath;
    this.cwd = opts.cwd ?? process.cwd();
    this.dirs = [...new Set(opts.workflowDirs.map((d) => resolve(this.cwd, d)))];
  }

  get runs(): RunStore {
    return (this.runStore ??= new RunStore(sharedDb(this.dbPath)));
  }

  private marketMods?: { MarketStore: typeof import('../market/store.js').MarketStore; computeAllPatterns: typeof import('../analysis/candles/index.js').computeAllPatterns };

  /** Loads the market and pattern modules (kept out of the TUI's start-up path). */
  async loadMarket(): Promise<void> {
    if (this.marketMods) return;
    const [m, c] = await Promise.all([import('../market/store.js'), import('../analysis/candles/index.js')]);
    this.marketMods = { MarketStore: m.MarketStore, computeAllPatterns: c.computeAllPatterns };
  }

  get marketStore(): MarketStore {
    if (!this.marketMods) throw new Error('the market modules are not loaded yet');
    return (this.market ??= new this.marketMods.MarketStore(sharedDb(this.dbPath)));
  }

  display(file: string): string {
    const r = relative(this.cwd, file);
    return r.startsWith('..') ? file : r;
  }

  scanWorkflows(): WorkflowEntry[] {
    const files = [...new Set(this.dirs.flatMap((d) => findWorkflowFiles(d, 2)))];
    const out: WorkflowEntry[] = [];
    for (const file of files) {
      const r = loadWorkflowFile(file, { cwd: this.cwd });
      const errors = r.diagnostics.filter((d) => d.severity === 'error').map((d) => formatDiagnostic({ ...d, loc: { ...d.loc, file: this.display(d.loc.file) } }));
      const warnings = r.diagnostics.filter((d) => d.severity === 'warning').map((d) => formatDiagnostic({ ...d, loc: { ...d.loc, file: this.display(d.loc.file) } }));
      if (r.bundle) this.bundles.set(file, r.bundle);
      else this.bundles.delete(file);
      const name = r.bundle?.root.name;
      const last = name ? this.runs.lastRunOf(name) : undefined;
      out.push({
        file,
        display: this.display(file),
        name,
        tasks: r.bundle?.root.tasks.length ?? 0,
        errors,
        warnings,
        lastRun: last ? { id: last.id, state: last.state, startTime: last.startTime, endTime: last.endTime } : undefined,
      });
    }
    return out;
  }

  /** The same entries with their last run read again (after a run: one query each, no file re-read). */
  withLastRuns(items: WorkflowEntry[]): WorkflowEntry[] {
    return items.map((w) => {
      const last = w.name ? this.runs.lastRunOf(w.name) : undefined;
      return { ...w, lastRun: last ? { id: last.id, state: last.state, startTime: last.startTime, endTime: last.endTime } : undefined };
    });
  }

  bundle(file: string): WorkflowBundle | undefined {
    if (!this.bundles.has(file)) {
      const r = loadWorkflowFile(file, { cwd: this.cwd });
      if (r.bundle) this.bundles.set(file, r.bundle);
    }
    return this.bundles.get(file);
  }

  /**
   * The root's tasks, each SubProcess followed by its child workflow's tasks, recursively (ids are
   * paths: `sub/child/grandchild`). A workflow already on the path is not expanded again (the
   * loader rejects such cycles; this only keeps a bad bundle from looping).
   */
  dagTasks(bundle: WorkflowBundle): DagTask[] {
    const out: DagTask[] = [];
    const walk = (wf: WorkflowBundle['root'], prefix: string, parent: string | undefined, depth: number, path: Set<string>) => {
      for (const t of wf.tasks) {
        const id = prefix + t.name;
        const deps = t.deps.length ? t.deps.map((d) => prefix + d) : parent ? [parent] : [];
        out.push({ id, name: t.name, deps, type: t.type, indent: depth, parent, maxAttempts: t.failRetryTimes + 1 });
        const child = t.type === 'SUB_PROCESS' && t.childWorkflow ? bundle.byName.get(t.childWorkflow) : undefined;
        if (child && !path.has(child.name)) walk(child, `${id}/`, id, depth + 1, new Set(path).add(child.name));
      }
    };
    walk(bundle.root, '', undefined, 0, new Set([bundle.root.name]));
    return out;
  }

  /** Task states of a stored run and of its sub-workflow runs at any depth, keyed like dagTasks ids. */
  liveOf(runId: number): Record<string, TaskLive> {
    const out: Record<string, TaskLive> = {};
    const walk = (id: number, prefix: string, depth: number) => {
      for (const [name, t] of this.runs.currentTasks(id)) {
        out[prefix + name] = {
          state: t.state,
          attempt: t.attempt,
          taskInstanceId: t.id,
          start: t.startTime ?? undefined,
          end: t.endTime ?? undefined,
          message: t.message ?? undefined,
          childRunId: t.childRunId ?? undefined,
        };
        if (t.childRunId && depth < 16) walk(t.childRunId, `${prefix}${name}/`, depth + 1);
      }
    };
    walk(runId, '', 0);
    return out;
  }

  listRuns(limit = 200): RunItem[] {
    return this.runs.listRuns(limit).map((r) => ({
      id: r.id,
      name: r.name,
      file: r.file,
      state: r.state,
      startTime: r.startTime,
      endTime: r.endTime,
      commandType: r.commandType,
      parentRunId: r.parentRunId,
    }));
  }

  getRun(id: number) {
    return this.runs.getRun(id);
  }

  /** Lines of one attempt of a task (a `runId` of a sub-workflow run for child tasks). */
  logLines(runId: number, task: string, attempt?: number): string[] {
    return this.runs.logLines(runId, task, attempt).map((l) => (l.stream === 'stderr' ? `! ${l.line}` : l.stream === 'system' ? `» ${l.line}` : l.line));
  }

  attemptsOf(runId: number, task: string): number {
    let n = 0;
    for (const t of this.runs.taskInstances(runId)) if (t.name === task && t.attempt > n) n = t.attempt;
    return n;
  }

  async start(
    kind: 'start' | 'recover',
    opts: { file: string; params?: Record<string, string>; startTasks?: string[]; deps?: 'post' | 'pre' | 'only'; runId?: number },
    onEvent: (e: EngineEvent) => void,
  ): Promise<RunHandle> {
    const bundle = this.bundle(opts.file);
    if (!bundle) throw new Error(`${this.display(opts.file)} does not load; fix its errors first`);
    const runner = await import('../workflow/runner/index.js');
    const common = { dbPath: this.dbPath, bundle, params: opts.params };
    const h =
      kind === 'recover'
        ? runner.recoverRun({ ...common, runId: opts.runId! })
        : runner.startRun({ ...common, startTasks: opts.startTasks, deps: opts.deps });
    this.handles.set(h.runId, h);
    h.events.on('run', (e) => onEvent({ kind: 'run', ...e }));
    h.events.on('task', (e) => onEvent({ kind: 'task', ...e }));
    h.events.on('log', (e) => onEvent({ kind: 'log', ...e }));
    h.events.on('progress', (e) => onEvent({ kind: 'progress', ...e }));
    h.events.on('step', (e) => onEvent({ kind: 'step', ...e }));
    h.events.on('alert', ({ kind, ...e }) => onEvent({ kind: 'alert', alert: kind, ...e }));
    void h.done.catch(() => undefined).finally(() => this.handles.delete(h.runId));
    return h;
  }

  /** Stops every active run and waits for them to end (their tasks end KILL, recoverable). */
  async stopAll(timeoutMs = 10_000): Promise<void> {
    const all = [...this.handles.values()];
    for (const h of all) h.stop();
    await Promise.race([Promise.allSettled(all.map((h) => h.done)), new Promise((r) => setTimeout(r, timeoutMs).unref())]);
  }

  // ---- market ----

  symbols(): { items: SymbolItem[]; synthetic: boolean } {
    const list = this.marketStore.listSymbols();
    let synthetic = false;
    const items = list.map((s) => {
      if (s.synthetic) synthetic = true;
      const b = this.marketStore.readBars(s.code, s.last - 200);
      const n = b.close.length;
      const close = n ? b.close[n - 1]! : NaN;
      const prev = n > 1 ? b.close[n - 2]! : close;
      return { code: s.code, name: s.name, last: s.last, bars: s.bars, close, change: prev ? ((close - prev) / prev) * 100 : 0 };
    });
    return { items, synthetic };
  }

  bars(code: string): Bars {
    let b = this.barsCache.get(code);
    if (!b) {
      b = this.marketStore.readBars(code);
      this.barsCache.set(code, b);
      if (this.barsCache.size > 50) this.barsCache.delete(this.barsCache.keys().next().value!);
    }
    return b;
  }

  /** Imports the offline demo market (synthetic) into an empty store. */
  async importDemo(): Promise<number> {
    const [{ DemoProvider }, { downloadMarket }] = await Promise.all([import('../market/providers/demo.js'), import('../market/download.js')]);
    const r = await downloadMarket(this.marketStore, new DemoProvider(), {});
    this.barsCache.clear();
    this.patternCache.clear();
    return r.bars;
  }

  // ---- picks and models ----

  async picks(limit = 300): Promise<PickItem[]> {
    await this.loadMarket();
    const { PickStore } = await import('../ml/picks.js');
    const list = new PickStore(sharedDb(this.dbPath)).list({ limit });
    return list.map((p) => {
      const date = Number(p.date.replace(/-/g, ''));
      let next: number | undefined;
      try {
        const b = this.marketStore.readBars(p.code, date);
        if (b.dates.length > 1 && b.dates[0] === date) next = b.close[1]! / b.close[0]! - 1;
      } catch {
        // no bars
      }
      return { date, rank: p.rank, code: p.code, name: p.name, score: p.score, next };
    });
  }

  /** Whether the store holds any of these codes as synthetic (demo) symbols: no live quotes then. */
  async synthetic(codes: string[]): Promise<boolean> {
    await this.loadMarket();
    return codes.some((c) => this.marketStore.getSymbol(c)?.synthetic === true);
  }

  async models(): Promise<{ items: ModelItem[]; backtest?: BacktestView }> {
    const { ModelRegistry, latestBacktest } = await import('../ml/registry.js');
    const db = sharedDb(this.dbPath);
    const items = new ModelRegistry(db).list(50).map((m) => ({
      id: m.id,
      createdAt: m.createdAt,
      source: m.source,
      labelKind: m.labelKind,
      universe: m.universe,
      dataRange: m.dataRange,
      metrics: m.metrics,
      importance: Object.entries(m.importance ?? {})
        .map(([k, v]) => [k, v.gain] as [string, number])
        .sort((a, b) => b[1] - a[1]),
    }));
    const bt = latestBacktest<{ curve?: { equity: number; baseEquity: number }[]; from?: string; to?: string; annualReturn?: number; baseAnnualReturn?: number; maxDrawdown?: number; strategy?: string; top?: number; nDrop?: number }>(db);
    const strategy = bt?.report.strategy === 'topk-dropout' ? `TopkDropout ${bt.report.top}/${bt.report.nDrop}` : bt?.report.top ? `top ${bt.report.top}` : '';
    const backtest = bt?.report.curve?.length
      ? {
          equity: bt.report.curve.map((c) => c.equity),
          base: bt.report.curve.map((c) => c.baseEquity),
          summary: `backtest ${bt.report.from ?? ''}..${bt.report.to ?? ''}${strategy ? ` ${strategy}` : ''}: annual ${((bt.report.annualReturn ?? 0) * 100).toFixed(1)}% vs base ${((bt.report.baseAnnualReturn ?? 0) * 100).toFixed(1)}%, max drawdown ${((bt.report.maxDrawdown ?? 0) * 100).toFixed(1)}%`,
        }
      : undefined;
    return { items, backtest };
  }

  // ---- patterns ----

  async patternCatalog(): Promise<Record<string, { english: string; direction: string }>> {
    // A literal import (the TUI bundle has no dynamic import of a computed path: see scripts/bundle-tui.mjs).
    const { PATTERN_CATALOG } = await import('../analysis/candles/catalog.js');
    return PATTERN_CATALOG;
  }

  private patternCache = new Map<string, Record<string, Int32Array>>();

  /** Every pattern's output over the symbol's whole history (cached per symbol). */
  patternsSync(code: string): Record<string, Int32Array> {
    let p = this.patternCache.get(code);
    if (!p) {
      p = this.marketMods!.computeAllPatterns(this.bars(code));
      this.patternCache.set(code, p);
      if (this.patternCache.size > 20) this.patternCache.delete(this.patternCache.keys().next().value!);
    }
    return p;
  }

  /**
   * How often each pattern fired in the last `window` bars across the market, and every
   * occurrence; yields between symbols so the UI stays responsive.
   */
  async scanPatterns(window: number, onProgress?: (done: number, total: number) => void): Promise<{ items: PatternItem[]; occurrences: Map<string, Occurrence[]> }> {
    await this.loadMarket();
    const catalog = await this.patternCatalog();
    const { computeAllPatterns } = this.marketMods!;
    const { sliceBars } = await import('../market/bars.js');
    const symbols = this.marketStore.listSymbols();
    const occ = new Map<string, Occurrence[]>(Object.keys(catalog).map((n) => [n, []]));
    for (let k = 0; k < symbols.length; k++) {
      const s = symbols[k]!;
      const all = this.marketStore.readBars(s.code, s.last - 20000 > 0 ? Math.floor(s.last / 10000 - 1) * 10000 : 0);
      const from = Math.max(0, all.dates.length - window - 60);
      const b = sliceBars(all, from);
      const res = computeAllPatterns(b);
      const start = Math.max(0, b.dates.length - window);
      for (const [name, out] of Object.entries(res)) {
        const list = occ.get(name) ?? occ.set(name, []).get(name)!;
        for (let i = start; i < out.length; i++) if (out[i] !== 0) list.push({ code: s.code, date: b.dates[i]!, value: out[i]! });
      }
      if (k % 10 === 9) {
        onProgress?.(k + 1, symbols.length);
        await new Promise((r) => setImmediate(r));
      }
    }
    for (const l of occ.values()) l.sort((a, b) => b.date - a.date || a.code.localeCompare(b.code));
    const items = Object.entries(catalog)
      .map(([name, c]) => ({ name, english: c.english, direction: c.direction, recent: occ.get(name)?.length ?? 0 }))
      .sort((a, b) => a.name.localeCompare(b.name));
    return { items, occurrences: occ };
  }
}
