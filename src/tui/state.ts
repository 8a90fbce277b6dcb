/**
 * All TUI state in one reducer with typed actions. Pure: effects (loading, starting runs) live in
 * the controller, which dispatches these actions with their results.
 */
import type { Screen } from './keys.js';
import type {
  DagTask,
  Intent,
  ListState,
  Occurrence,
  Overlay,
  PickItem,
  ModelItem,
  BacktestView,
  PatternItem,
  RunItem,
  SymbolItem,
  TaskLive,
  WorkflowEntry,
} from './types.js';
import type { EngineEvent } from './engine-events.js';
import type { MonitorState } from './monitor.js';

export interface State {
  screen: Screen;
  size: { cols: number; rows: number };
  overlay: Overlay | null;
  status: { text: string; level: 'info' | 'warn' | 'err' };
  spinner: number;
  activeRuns: number[];
  workflows: ListState & { items: WorkflowEntry[]; loaded: boolean };
  dag: ListState & {
    file?: string;
    workflow?: string;
    tasks: DagTask[];
    runId?: number;
    runState?: string;
    live: Record<string, TaskLive>;
    layout: 'graph' | 'boxes';
    offsetX: number;
    params: Record<string, string>;
    paramDefaults: Record<string, string>;
  };
  log: {
    runId?: number;
    task?: string;
    attempt: number;
    attempts: number;
    lines: string[];
    top: number;
    follow: boolean;
    wrap: boolean;
    query: string;
    match: number;
  };
  runs: ListState & { items: RunItem[] };
  market: ListState & {
    symbols: SymbolItem[];
    filter: string;
    sort: 'code' | 'change' | 'name';
    code?: string;
    period: 'auto' | 'day' | 'week' | 'month';
    /** Bars hidden at the right end (pan), 0 = latest. */
    panBack: number;
    ma: boolean;
    boll: boolean;
    synthetic: boolean;
    loading?: string;
  };
  /** `live`: the live monitor of the latest picks (status line, change today). */
  picks: ListState & { items: PickItem[]; loaded: boolean; live?: MonitorState };
  model: ListState & { items: ModelItem[]; loaded: boolean; backtest?: BacktestView };
  patterns: ListState & {
    items: PatternItem[];
    window: number;
    loading?: string;
    occ?: ListState & { name: string; items: Occurrence[] };
  };
}

export const LOG_LIMIT = 10_000;

export function initialState(size = { cols: 80, rows: 24 }): State {
  return {
    screen: 'workflows',
    size,
    overlay: null,
    status: { text: '', level: 'info' },
    spinner: 0,
    activeRuns: [],
    workflows: { items: [], sel: 0, top: 0, loaded: false },
    dag: { tasks: [], live: {}, sel: 0, top: 0, layout: 'graph', offsetX: 0, params: {}, paramDefaults: {} },
    log: { attempt: 1, attempts: 1, lines: [], top: 0, follow: true, wrap: false, query: '', match: -1 },
    runs: { items: [], sel: 0, top: 0 },
    market: { symbols: [], filter: '', sort: 'code', sel: 0, top: 0, period: 'day', panBack: 0, ma: true, boll: false, synthetic: false },
    patterns: { items: [], sel: 0, top: 0, window: 20 },
    picks: { items: [], sel: 0, top: 0, loaded: false },
    model: { items: [], sel: 0, top: 0, loaded: false },
  };
}

export type Action =
  | { type: 'resize'; cols: number; rows: number }
  | { type: 'screen'; screen: Screen }
  | { type: 'move'; delta: number }
  | { type: 'move-to'; index: number }
  | { type: 'overlay'; overlay: Overlay | null }
  | { type: 'overlay-text'; text: string }
  | { type: 'status'; text: string; level?: 'info' | 'warn' | 'err' }
  | { type: 'tick' }
  | { type: 'workflows'; items: WorkflowEntry[] }
  | { type: 'open-dag'; file: string; workflow: string; tasks: DagTask[]; params: Record<string, string>; runId?: number; runState?: string; live?: Record<string, TaskLive> }
  | { type: 'dag-run'; runId: number; live?: Record<string, TaskLive>; runState?: string }
  | { type: 'set-param'; key: string; value: string }
  | { type: 'toggle-layout' }
  | { type: 'pan-x'; delta: number }
  | { type: 'engine'; events: EngineEvent[] }
  | { type: 'run-active'; runId: number; active: boolean }
  | { type: 'open-log'; runId?: number; task: string; attempt: number; attempts: number; lines: string[] }
  | { type: 'log-toggle'; what: 'follow' | 'wrap' }
  | { type: 'log-search'; query: string }
  | { type: 'log-step'; dir: 1 | -1 }
  | { type: 'runs'; items: RunItem[] }
  | { type: 'symbols'; items: SymbolItem[]; synthetic: boolean }
  | { type: 'market'; patch: Partial<Omit<State['market'], 'symbols'>> }
  | { type: 'patterns'; items: PatternItem[]; loading?: string }
  | { type: 'patterns-loading'; loading?: string }
  | { type: 'occurrences'; name: string; items: Occurrence[] }
  | { type: 'close-occurrences' }
  | { type: 'picks'; items: PickItem[] }
  | { type: 'picks-live'; live: MonitorState }
  | { type: 'models'; items: ModelItem[]; backtest?: BacktestView };

/** Rows of the screen body: the frame is rows-1 tall (Ink 6.8 clears the screen otherwise), minus tab bar, status and help bar. */
export function bodyHeight(s: State): number {
  return Math.max(1, s.size.rows - 1 - 3);
}

/** Rows a list has on a screen (what paging and windowing use). */
export function listHeight(s: State, screen: Screen = s.screen): number {
  const h = bodyHeight(s);
  switch (screen) {
    case 'workflows':
      return Math.max(3, h - 1 - Math.min(6, Math.floor(h / 3)));
    case 'dag':
      return Math.max(3, h - 2);
    case 'log':
      return Math.max(3, h - 1);
    case 'market':
      return Math.max(3, h - 2);
    case 'patterns':
      return Math.max(3, h - 2);
    case 'picks':
      // head line, live-monitor status line, table header
      return Math.max(3, h - 3);
    default:
      return Math.max(3, h - 1);
  }
}

/** Keeps `sel` in [0, count) and the window [top, top+h) around it. */
export function windowed(l: ListState, count: number, h: number, delta: number, absolute?: number): ListState {
  if (count <= 0) return { sel: 0, top: 0 };
  let sel = absolute ?? l.sel + delta;
  sel = Math.max(0, Math.min(count - 1, sel));
  let top = l.top;
  if (sel < top) top = sel;
  if (sel >= top + h) top = sel - h + 1;
  top = Math.max(0, Math.min(top, Math.max(0, count - h)));
  return { sel, top };
}

export function filteredSymbols(m: State['market']): SymbolItem[] {
  const f = m.filter.trim().toLowerCase();
  let list = f ? m.symbols.filter((s) => s.code.toLowerCase().includes(f) || s.name.toLowerCase().includes(f)) : m.symbols;
  if (m.sort === 'change') list = [...list].sort((a, b) => b.change - a.change || a.code.localeCompare(b.code));
  else if (m.sort === 'name') list = [...list].sort((a, b) => a.name.localeCompare(b.name) || a.code.localeCompare(b.code));
  return list;
}

function listCount(s: State): number {
  switch (s.screen) {
    case 'workflows':
      return s.workflows.items.length;
    case 'dag':
      return s.dag.tasks.length;
    case 'runs':
      return s.runs.items.length;
    case 'market':
      return filteredSymbols(s.market).length;
    case 'patterns':
      return s.patterns.occ ? s.patterns.occ.items.length : s.patterns.items.length;
    case 'picks':
      return s.picks.items.length;
    case 'model':
      return s.model.items.length;
    default:
      return 0;
  }
}

function logMatches(lines: string[], q: string): number[] {
  if (!q) return [];
  const needle = q.toLowerCase();
  const out: number[] = [];
  for (let i = 0; i < lines.length; i++) if (lines[i]!.toLowerCase().includes(needle)) out.push(i);
  return out;
}

function clampLogTop(s: State, top: number): number {
  return Math.max(0, Math.min(top, Math.max(0, s.log.lines.length - listHeight(s, 'log'))));
}

function move(s: State, delta: number, absolute?: number): State {
  const h = listHeight(s);
  const count = listCount(s);
  switch (s.screen) {
    case 'workflows':
      return { ...s, workflows: { ...s.workflows, ...windowed(s.workflows, count, h, delta, absolute) } };
    case 'dag':
      return { ...s, dag: { ...s.dag, ...windowed(s.dag, count, h, delta, absolute) } };
    case 'runs':
      return { ...s, runs: { ...s.runs, ...windowed(s.runs, count, h, delta, absolute) } };
    case 'market':
      return { ...s, market: { ...s.market, ...windowed(s.market, count, h, delta, absolute), panBack: 0 } };
    case 'patterns':
      if (s.patterns.occ) return { ...s, patterns: { ...s.patterns, occ: { ...s.patterns.occ, ...windowed(s.patterns.occ, count, h - 1, delta, absolute) } } };
      return { ...s, patterns: { ...s.patterns, ...windowed(s.patterns, count, h, delta, absolute) } };
    case 'picks':
      return { ...s, picks: { ...s.picks, ...windowed(s.picks, count, h, delta, absolute) } };
    case 'model':
      return { ...s, model: { ...s.model, ...windowed(s.model, count, Math.min(h, 5), delta, absolute) } };
    case 'log': {
      const top = absolute !== undefined ? (absolute === 0 ? 0 : s.log.lines.length) : s.log.top + delta;
      const t = clampLogTop(s, top);
      const atEnd = t >= Math.max(0, s.log.lines.length - listHeight(s, 'log'));
      return { ...s, log: { ...s.log, top: t, follow: delta < 0 ? false : atEnd ? s.log.follow || absolute !== undefined : s.log.follow } };
    }
    default:
      return s;
  }
}

function applyEvents(s: State, events: EngineEvent[]): State {
  let dag = s.dag;
  let log = s.log;
  let active = s.activeRuns;
  let live = dag.live;
  let liveChanged = false;
  const touch = () => {
    if (!liveChanged) {
      live = { ...live };
      liveChanged = true;
    }
  };
  const idFor = (runId: number, name: string): string | undefined => {
    if (runId === dag.runId) return name;
    // A sub-workflow run at any depth: the task whose child run it is gives the id's prefix.
    for (const t of dag.tasks) if (live[t.id]?.childRunId === runId) return `${t.id}/${name}`;
    return undefined;
  };
  const newLines: string[] = [];
  let status = s.status;
  let runState = dag.runState;
  for (const e of events) {
    if (e.kind === 'run') {
      if (e.state === 'RUNNING_EXECUTION') {
        if (!active.includes(e.runId) && e.parentRunId === undefined) active = [...active, e.runId];
      } else if (active.includes(e.runId)) active = active.filter((r) => r !== e.runId);
      if (e.runId === dag.runId) runState = e.state;
    } else if (e.kind === 'task') {
      const id = idFor(e.runId, e.name);
      if (!id) continue;
      touch();
      const prev = live[id];
      const restart = prev && prev.attempt !== e.attempt;
      live[id] = {
        ...(restart ? {} : prev),
        state: e.state,
        attempt: e.attempt,
        taskInstanceId: e.taskInstanceId,
        start: e.state === 'RUNNING_EXECUTION' && (!prev?.start || restart) ? e.time : prev?.start,
        end: e.state === 'RUNNING_EXECUTION' || e.state === 'SUBMITTED_SUCCESS' || e.state === 'DELAY_EXECUTION' ? undefined : e.time,
        message: e.message ?? (restart ? undefined : prev?.message),
        childRunId: e.childRunId ?? prev?.childRunId,
        progress: restart ? undefined : prev?.progress,
        steps: prev?.steps,
      };
      if (log.runId === e.runId && log.task === e.name && e.attempt > log.attempts) log = { ...log, attempts: e.attempt };
    } else if (e.kind === 'progress') {
      const id = idFor(e.runId, e.name);
      if (!id || !live[id]) continue;
      touch();
      live[id] = { ...live[id]!, progress: { done: e.done, total: e.total, label: e.label } };
    } else if (e.kind === 'step') {
      const id = idFor(e.runId, e.name);
      if (!id) continue;
      touch();
      const cur = live[id] ?? { state: 'RUNNING_EXECUTION', attempt: 1 };
      const steps = [...(cur.steps ?? [])];
      const i = steps.findIndex((x) => x.name === e.step);
      const st = { name: e.step, status: e.status, detail: e.detail };
      if (i >= 0) steps[i] = st;
      else steps.push(st);
      live[id] = { ...cur, steps };
    } else if (e.kind === 'log') {
      if (log.runId === e.runId && log.task === e.name && log.attempt === e.attempt) newLines.push(e.line);
    } else if (e.kind === 'alert') {
      // Whatever screen is open: a workflow timeout only alerts, so this line is the alert.
      status = { text: `⚠ run #${e.runId} ${e.workflow}: ${e.alert === 'timeout' ? 'exceeded its timeout, still running' : e.message}`, level: 'warn' };
    }
  }
  if (liveChanged || runState !== dag.runState) dag = { ...dag, live, runState };
  if (newLines.length) {
    let lines = log.lines.concat(newLines);
    if (lines.length > LOG_LIMIT) lines = lines.slice(lines.length - LOG_LIMIT);
    log = { ...log, lines };
    const h = listHeight(s, 'log');
    if (log.follow) log.top = Math.max(0, lines.length - h);
  }
  // Nothing on screen changed (e.g. only log lines of tasks whose log is not open): the same
  // state, so no frame; the spinner advances with the frames that do happen.
  if (dag === s.dag && log === s.log && active === s.activeRuns && status === s.status) return s;
  return { ...s, dag, log, activeRuns: active, status, spinner: active.length ? (s.spinner + 1) % 1000 : s.spinner };
}

export function reducer(s: State, a: Action): State {
  switch (a.type) {
    case 'resize': {
      const n = { ...s, size: { cols: a.cols, rows: a.rows } };
      return move(n, 0);
    }
    case 'screen':
      return { ...s, screen: a.screen, overlay: null };
    case 'move':
      return move(s, a.delta);
    case 'move-to':
      return move(s, 0, a.index);
    case 'overlay':
      return { ...s, overlay: a.overlay };
    case 'overlay-text':
      return s.overlay?.kind === 'input' ? { ...s, overlay: { ...s.overlay, text: a.text } } : s;
    case 'status':
      return { ...s, status: { text: a.text, level: a.level ?? 'info' } };
    case 'tick':
      return { ...s, spinner: (s.spinner + 1) % 1000 };
    case 'workflows': {
      const w = { ...s.workflows, items: a.items, loaded: true };
      return { ...s, workflows: { ...w, ...windowed(w, a.items.length, listHeight(s, 'workflows'), 0) } };
    }
    case 'open-dag':
      return {
        ...s,
        screen: 'dag',
        overlay: null,
        dag: {
          ...s.dag,
          file: a.file,
          workflow: a.workflow,
          tasks: a.tasks,
          runId: a.runId,
          runState: a.runState,
          live: a.live ?? {},
          sel: 0,
          top: 0,
          offsetX: 0,
          params: s.dag.workflow === a.workflow ? s.dag.params : {},
          paramDefaults: a.params,
        },
      };
    case 'dag-run':
      return { ...s, dag: { ...s.dag, runId: a.runId, live: a.live ?? {}, runState: a.runState ?? 'RUNNING_EXECUTION' } };
    case 'set-param':
      return { ...s, dag: { ...s.dag, params: { ...s.dag.params, [a.key]: a.value } } };
    case 'toggle-layout':
      return { ...s, dag: { ...s.dag, layout: s.dag.layout === 'graph' ? 'boxes' : 'graph', offsetX: 0 } };
    case 'pan-x':
      return { ...s, dag: { ...s.dag, offsetX: Math.max(0, s.dag.offsetX + a.delta) } };
    case 'engine':
      return applyEvents(s, a.events);
    case 'run-active': {
      const has = s.activeRuns.includes(a.runId);
      if (a.active === has) return s;
      return { ...s, activeRuns: a.active ? [...s.activeRuns, a.runId] : s.activeRuns.filter((r) => r !== a.runId) };
    }
    case 'open-log': {
      const lines = a.lines.length > LOG_LIMIT ? a.lines.slice(a.lines.length - LOG_LIMIT) : a.lines;
      const n: State = { ...s, screen: 'log', overlay: null, log: { ...s.log, runId: a.runId, task: a.task, attempt: a.attempt, attempts: a.attempts, lines, follow: true, match: -1 } };
      return { ...n, log: { ...n.log, top: clampLogTop(n, lines.length) } };
    }
    case 'log-toggle': {
      if (a.what === 'wrap') return { ...s, log: { ...s.log, wrap: !s.log.wrap } };
      const follow = !s.log.follow;
      return { ...s, log: { ...s.log, follow, top: follow ? clampLogTop(s, s.log.lines.length) : s.log.top } };
    }
    case 'log-search': {
      const n = { ...s, log: { ...s.log, query: a.query, match: -1 } };
      return reducer(n, { type: 'log-step', dir: 1 });
    }
    case 'log-step': {
      const m = logMatches(s.log.lines, s.log.query);
      if (m.length === 0) return { ...s, status: { text: s.log.query ? `no match for "${s.log.query}"` : '', level: 'warn' } };
      const cur = s.log.match;
      let idx: number;
      if (a.dir > 0) idx = m.find((i) => i > cur) ?? m[0]!;
      else idx = [...m].reverse().find((i) => i < cur) ?? m[m.length - 1]!;
      const h = listHeight(s, 'log');
      const top = clampLogTop(s, idx - Math.floor(h / 2));
      const pos = m.indexOf(idx) + 1;
      return { ...s, log: { ...s.log, match: idx, top, follow: false }, status: { text: `match ${pos}/${m.length} for "${s.log.query}"`, level: 'info' } };
    }
    case 'runs': {
      const r = { ...s.runs, items: a.items };
      return { ...s, runs: { ...r, ...windowed(r, a.items.length, listHeight(s, 'runs'), 0) } };
    }
    case 'symbols':
      return { ...s, market: { ...s.market, symbols: a.items, synthetic: a.synthetic, loading: undefined } };
    case 'market': {
      const n = { ...s, market: { ...s.market, ...a.patch } };
      return s.screen === 'market' ? move(n, 0) : n;
    }
    case 'patterns':
      return { ...s, patterns: { ...s.patterns, items: a.items, loading: a.loading } };
    case 'patterns-loading':
      return { ...s, patterns: { ...s.patterns, loading: a.loading } };
    case 'occurrences':
      return { ...s, patterns: { ...s.patterns, occ: { name: a.name, items: a.items, sel: 0, top: 0 } } };
    case 'close-occurrences':
      return { ...s, patterns: { ...s.patterns, occ: undefined } };
    case 'picks':
      return { ...s, picks: { ...s.picks, items: a.items, loaded: true } };
    case 'picks-live':
      return { ...s, picks: { ...s.picks, live: a.live } };
    case 'models':
      return { ...s, model: { ...s.model, items: a.items, backtest: a.backtest, loaded: true } };
  }
}

export function isIntent(x: unknown): x is Intent {
  return typeof x === 'object' && x !== null && 'type' in x;
}
