/**
 * Turns commands into actions and effects: the root key dispatcher (one `useInput` calls
 * `onKey`), text fields for `:` commands, `/` search and params, opening workflows, logs and
 * symbols. Runs go through run-control.ts, whose engine events are applied on the frame beat
 * (FRAME_MS: 10 updates a second at most); the research screens' data through research-loader.ts.
 */
import { Command, SCREEN_ORDER, keyName, resolveKey, type KeyLike, type Screen } from './keys.js';
import { filteredSymbols, reducer, type Action, type State } from './state.js';
import type { Engine } from './engine.js';
import { topoSort } from '../render/dag-model.js';
import { MIN_COLS, MIN_ROWS } from './views/frame.js';
import type { QuoteFetcher } from './monitor.js';
import { ResearchLoader } from './research-loader.js';
import { RunControl } from './run-control.js';

export interface ControllerDeps {
  engine: Engine;
  initial: State;
  exit: () => void;
  /** The live picks monitor's clock and quote source (tests inject them; default: now, live providers). */
  now?: () => number;
  fetchQuotes?: QuoteFetcher;
}

const PERIODS = ['day', 'week', 'month'] as const;

/**
 * While runs are active the screen changes on a beat of this period: each beat applies the engine
 * events that arrived since the last one, or else advances the spinner, as one frame (10 a
 * second; keys still redraw at once). Engine events never redraw more often than this, which
 * bounds the TUI's CPU while a workflow runs: a frame of Ink lays out the whole screen, and the
 * TUI bundle's edits to Ink (scripts/tui-patches.mjs) keep the rows that did not change. When
 * nothing runs, events are flushed this long after they arrive.
 */
export const FRAME_MS = 100;

export class Controller {
  private readonly runs: RunControl;
  private readonly research: ResearchLoader;
  private state: State;
  private listeners = new Set<() => void>();
  private readonly d: { engine: Engine; exit: () => void; dispatch: (a: Action) => void };

  constructor(deps: ControllerDeps) {
    this.state = deps.initial;
    this.d = { engine: deps.engine, exit: deps.exit, dispatch: (a) => this.dispatch(a) };
    // What the research loader and the run control share: the engine and the store.
    const shared = {
      engine: deps.engine,
      dispatch: this.d.dispatch,
      state: () => this.state,
      status: (text: string, level?: 'info' | 'warn' | 'err') => this.status(text, level),
    };
    this.research = new ResearchLoader({ ...shared, now: deps.now, fetchQuotes: deps.fetchQuotes });
    this.runs = new RunControl({
      ...shared,
      exit: deps.exit,
      // The run changed the workflows' last runs, not their files: no re-read and re-parse of
      // every YAML file (R on the Workflows screen does that).
      runEnded: () => {
        this.refreshLastRuns();
        this.refreshRuns();
      },
      flushMs: FRAME_MS,
    });
  }

  /** When the state last changed, i.e. the last frame. */
  lastChange = 0;

  /**
   * One beat while runs are active (the Ink root calls it every FRAME_MS): the pending engine
   * events, or when they change nothing on screen the spinner, make this beat's frame; none when
   * a key has just redrawn the screen.
   */
  beat(): void {
    if (this.runs.pending) this.runs.flush();
    if (Date.now() - this.lastChange > FRAME_MS / 2) this.dispatch({ type: 'tick' });
  }

  /** The store: every change goes through the reducer, then subscribers (the Ink root) re-render. */
  dispatch(a: Action): void {
    const next = reducer(this.state, a);
    if (next === this.state) return;
    this.state = next;
    this.lastChange = Date.now();
    for (const l of this.listeners) l();
  }

  getState = (): State => this.state;

  subscribe = (fn: () => void): (() => void) => {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  };

  private get s(): State {
    return this.state;
  }

  private status(text: string, level: 'info' | 'warn' | 'err' = 'info'): void {
    this.d.dispatch({ type: 'status', text, level });
  }

  init(): void {
    // mountTui reads the workflows before the first frame; tests and errors leave that to here.
    if (!this.s.workflows.loaded) this.refreshWorkflows();
    this.refreshRuns();
  }

  dispose(): void {
    this.research.dispose();
    this.runs.dispose();
  }

  refreshWorkflows(): void {
    try {
      this.d.dispatch({ type: 'workflows', items: this.d.engine.scanWorkflows() });
    } catch (e) {
      this.status(`cannot read workflows: ${(e as Error).message}`, 'err');
    }
  }

  refreshLastRuns(): void {
    try {
      this.d.dispatch({ type: 'workflows', items: this.d.engine.withLastRuns(this.s.workflows.items) });
    } catch (e) {
      this.status(`cannot read runs: ${(e as Error).message}`, 'err');
    }
  }

  refreshRuns(): void {
    try {
      this.d.dispatch({ type: 'runs', items: this.d.engine.listRuns() });
    } catch (e) {
      this.status(`cannot read runs: ${(e as Error).message}`, 'err');
    }
  }

  // ---- keys ----

  onKey(input: string, key: KeyLike): void {
    // Several keys in one read (fast typing, paste, tmux send-keys): one at a time.
    if (input.length > 1 && !key.ctrl && !key.meta && !input.startsWith('\x1b')) {
      for (const ch of input) this.onKey(ch === '\r' || ch === '\n' ? '' : ch, ch === '\r' || ch === '\n' ? { return: true } : ch === '\t' ? { tab: true } : {});
      return;
    }
    const s = this.s;
    const name = keyName(input, key);
    if (s.size.cols < MIN_COLS || s.size.rows < MIN_ROWS) {
      if (name === 'q' || name === 'C-c') this.runs.quit();
      return;
    }
    const o = s.overlay;
    if (o?.kind === 'input') return this.onText(input, key, name);
    if (o?.kind === 'confirm') {
      if (name === 'y' || name === 'Y') {
        this.d.dispatch({ type: 'overlay', overlay: null });
        void this.runs.execIntent(o.intent);
      } else if (name === 'n' || name === 'N' || name === 'esc' || name === 'q') this.d.dispatch({ type: 'overlay', overlay: null });
      return;
    }
    if (o?.kind === 'help') {
      if (name === 'esc' || name === '?' || name === 'q' || name === 'enter') this.d.dispatch({ type: 'overlay', overlay: null });
      return;
    }
    if (o?.kind === 'params') {
      const keys = Object.keys({ ...s.dag.paramDefaults, ...s.dag.params });
      if (name === 'esc' || name === 'q') this.d.dispatch({ type: 'overlay', overlay: null });
      else if (name === 'j' || name === 'down') this.d.dispatch({ type: 'overlay', overlay: { kind: 'params', sel: Math.min(keys.length - 1, o.sel + 1) } });
      else if (name === 'k' || name === 'up') this.d.dispatch({ type: 'overlay', overlay: { kind: 'params', sel: Math.max(0, o.sel - 1) } });
      else if (name === 'enter' && keys[o.sel]) {
        const k = keys[o.sel]!;
        this.d.dispatch({ type: 'overlay', overlay: { kind: 'input', purpose: 'param', label: `param ${k}`, text: { ...s.dag.paramDefaults, ...s.dag.params }[k] ?? '', param: k } });
      } else if (name === 'r') {
        this.d.dispatch({ type: 'overlay', overlay: null });
        this.runs.requestRun({ type: 'run' });
      }
      return;
    }
    const cmd = resolveKey(s.screen, name);
    if (cmd) this.exec(cmd);
  }

  private onText(input: string, key: KeyLike, name: string): void {
    const o = this.s.overlay;
    if (o?.kind !== 'input') return;
    if (name === 'esc') {
      this.d.dispatch({ type: 'overlay', overlay: o.purpose === 'param' ? { kind: 'params', sel: 0 } : null });
      if (o.purpose === 'search' && this.s.screen === 'market') this.d.dispatch({ type: 'market', patch: { filter: '' } });
      return;
    }
    if (name === 'enter') return this.submitText(o.purpose, o.text, o.param);
    let text = o.text;
    if (name === 'backspace') text = text.slice(0, -1);
    else if (!key.ctrl && !key.meta && input && input >= ' ') text += input;
    else return;
    this.d.dispatch({ type: 'overlay-text', text });
    if (o.purpose === 'search' && this.s.screen === 'market') this.d.dispatch({ type: 'market', patch: { filter: text, sel: 0, top: 0 } });
  }

  private submitText(purpose: 'command' | 'search' | 'param', text: string, param?: string): void {
    const s = this.s;
    if (purpose === 'param' && param) {
      this.d.dispatch({ type: 'set-param', key: param, value: text });
      const keys = Object.keys({ ...s.dag.paramDefaults, ...s.dag.params });
      this.d.dispatch({ type: 'overlay', overlay: { kind: 'params', sel: Math.max(0, keys.indexOf(param)) } });
      return;
    }
    this.d.dispatch({ type: 'overlay', overlay: null });
    if (purpose === 'search') {
      if (s.screen === 'log') this.d.dispatch({ type: 'log-search', query: text });
      else if (s.screen === 'patterns') {
        const i = s.patterns.items.findIndex((p) => (p.name + ' ' + p.english).toLowerCase().includes(text.toLowerCase()));
        if (i >= 0) this.d.dispatch({ type: 'move-to', index: i });
        else this.status(`no pattern matches "${text}"`, 'warn');
      }
      return;
    }
    this.runCommandLine(text);
  }

  /** `:` commands. */
  runCommandLine(line: string): void {
    const [cmd, ...rest] = line.trim().replace(/^:/, '').split(/\s+/);
    const arg = rest.join(' ');
    switch (cmd) {
      case 'q':
      case 'quit':
        return this.runs.quit();
      case 'run':
        return this.runs.requestRun({ type: 'run' });
      case 'task': {
        if (!this.s.dag.workflow) return this.status('open a workflow first', 'warn');
        const i = this.s.dag.tasks.findIndex((t) => t.id === arg || t.name === arg);
        if (i < 0) return this.status(`no task "${arg}" in ${this.s.dag.workflow}`, 'err');
        this.goScreen('dag');
        this.d.dispatch({ type: 'move-to', index: i });
        return;
      }
      case 'symbol':
      case 'sym':
        return void this.openSymbol(arg.trim());
      case 'wf':
      case 'workflow': {
        const w = this.s.workflows.items.find((x) => x.name === arg || x.display === arg || x.display.endsWith('/' + arg));
        if (!w) return this.status(`no workflow "${arg}"`, 'err');
        return this.openDag(w.file);
      }
      case 'help':
        return this.d.dispatch({ type: 'overlay', overlay: { kind: 'help' } });
      default: {
        const sc = SCREEN_ORDER.find((x) => x === cmd);
        if (sc) return this.goScreen(sc);
        this.status(`unknown command ":${cmd ?? ''}" (try :run, :task NAME, :symbol CODE, :q)`, 'err');
      }
    }
  }

  exec(cmd: Command): void {
    const s = this.s;
    switch (cmd) {
      case Command.Quit:
        return this.runs.quit();
      case Command.Help:
        return this.d.dispatch({ type: 'overlay', overlay: { kind: 'help' } });
      case Command.Back:
        if (s.screen === 'patterns' && s.patterns.occ) return this.d.dispatch({ type: 'close-occurrences' });
        if (s.screen === 'log') return this.goScreen('dag');
        if (s.screen === 'dag') return this.goScreen('workflows');
        return;
      case Command.CommandMode:
        return this.d.dispatch({ type: 'overlay', overlay: { kind: 'input', purpose: 'command', label: 'command', text: ':' } });
      case Command.NextScreen:
      case Command.PrevScreen: {
        const i = SCREEN_ORDER.indexOf(s.screen);
        const n = SCREEN_ORDER.length;
        return this.goScreen(SCREEN_ORDER[(i + (cmd === Command.NextScreen ? 1 : n - 1)) % n]!);
      }
      case Command.GoWorkflows:
        return this.goScreen('workflows');
      case Command.GoDag:
        return this.goScreen('dag');
      case Command.GoLog:
        return this.goScreen('log');
      case Command.GoRuns:
        return this.goScreen('runs');
      case Command.GoMarket:
        return this.goScreen('market');
      case Command.GoPatterns:
        return this.goScreen('patterns');
      case Command.GoPicks:
        return this.goScreen('picks');
      case Command.GoModel:
        return this.goScreen('model');
      case Command.Up:
        return this.d.dispatch({ type: 'move', delta: -1 });
      case Command.Down:
        return this.d.dispatch({ type: 'move', delta: 1 });
      case Command.PageUp:
        return this.d.dispatch({ type: 'move', delta: -Math.max(1, s.size.rows - 8) });
      case Command.PageDown:
        return this.d.dispatch({ type: 'move', delta: Math.max(1, s.size.rows - 8) });
      case Command.Top:
        return this.d.dispatch({ type: 'move-to', index: 0 });
      case Command.Bottom:
        return this.d.dispatch({ type: 'move-to', index: Number.MAX_SAFE_INTEGER });
      case Command.Open:
        return this.open();
      case Command.Refresh:
        if (s.screen === 'workflows') this.refreshWorkflows();
        else if (s.screen === 'runs') this.refreshRuns();
        else if (s.screen === 'market' && this.research.marketStarted) this.research.loadSymbols();
        else if (s.screen === 'picks') void this.research.loadPicks();
        else if (s.screen === 'model') void this.research.loadModels();
        return this.status('reloaded');
      case Command.Run:
        if (s.screen === 'workflows') {
          const w = s.workflows.items[s.workflows.sel];
          if (!w) return;
          if (w.errors.length) return this.status(`${w.display} has errors: ${w.errors[0]}`, 'err');
          this.openDag(w.file);
        }
        return this.runs.requestRun({ type: 'run' });
      case Command.RunTaskOnly:
      case Command.RunDownstream:
      case Command.RunUpstream: {
        const t = s.dag.tasks[s.dag.sel];
        if (!t) return;
        if (t.indent) return this.status(`${t.id} belongs to a sub-workflow; run its SubProcess task ${t.parent}`, 'warn');
        const deps = cmd === Command.RunTaskOnly ? 'only' : cmd === Command.RunDownstream ? 'post' : 'pre';
        return this.runs.requestRun({ type: 'run', task: t.name, deps });
      }
      case Command.Recover: {
        const id = s.dag.runId;
        if (!id) return this.status('nothing to recover: this workflow has no run', 'warn');
        if (s.activeRuns.includes(id)) return this.status(`run #${id} is still running`, 'warn');
        if (s.dag.runState === 'SUCCESS') return this.status(`run #${id} succeeded; nothing to recover`, 'warn');
        return void this.runs.execIntent({ type: 'recover', runId: id });
      }
      case Command.Stop: {
        const id = s.screen === 'runs' ? s.runs.items[s.runs.sel]?.id : s.dag.runId;
        if (!id || !s.activeRuns.includes(id)) return this.status('no active run to stop here', 'warn');
        const running = Object.entries(s.dag.live).filter(([, l]) => l.state === 'RUNNING_EXECUTION').map(([n]) => n);
        const sm = s.dag.tasks.filter((t) => t.type === 'SAGEMAKER' && running.includes(t.id));
        return this.d.dispatch({
          type: 'overlay',
          overlay: {
            kind: 'confirm',
            title: `stop run #${id}?`,
            lines: [
              running.length ? `kills the running tasks: ${running.join(', ')}` : 'no task is running right now',
              ...(sm.length ? [`stops the SageMaker pipeline execution of ${sm.map((t) => t.name).join(', ')} (billing stops)`] : []),
              'they end KILL; recover later with R',
            ],
            intent: { type: 'stop', runId: id },
          },
        });
      }
      case Command.EditParams:
        if (!s.dag.workflow) return this.status('open a workflow first', 'warn');
        return this.d.dispatch({ type: 'overlay', overlay: { kind: 'params', sel: 0 } });
      case Command.ToggleLayout:
        return this.d.dispatch({ type: 'toggle-layout' });
      case Command.Left:
      case Command.Right: {
        const dir = cmd === Command.Left ? 1 : -1;
        if (s.screen === 'dag') return this.d.dispatch({ type: 'pan-x', delta: -dir * 10 });
        const step = { auto: 20, day: 20, week: 100, month: 400 }[s.market.period];
        return this.d.dispatch({ type: 'market', patch: { panBack: Math.max(0, s.market.panBack + dir * step) } });
      }
      case Command.Follow:
        return this.d.dispatch({ type: 'log-toggle', what: 'follow' });
      case Command.Wrap:
        return this.d.dispatch({ type: 'log-toggle', what: 'wrap' });
      case Command.Search:
        return this.d.dispatch({ type: 'overlay', overlay: { kind: 'input', purpose: 'search', label: 'search', text: s.screen === 'market' ? s.market.filter : '' } });
      case Command.SearchNext:
        return this.d.dispatch({ type: 'log-step', dir: 1 });
      case Command.SearchPrev:
        return this.d.dispatch({ type: 'log-step', dir: -1 });
      case Command.PrevAttempt:
      case Command.NextAttempt: {
        const g = s.log;
        if (!g.task || !g.runId) return;
        const a = Math.max(1, Math.min(g.attempts, g.attempt + (cmd === Command.NextAttempt ? 1 : -1)));
        if (a === g.attempt) return this.status(`attempt ${a} of ${g.attempts}`);
        this.d.dispatch({ type: 'open-log', runId: g.runId, task: g.task, attempt: a, attempts: g.attempts, lines: this.d.engine.logLines(g.runId, g.task, a) });
        return;
      }
      case Command.ZoomIn:
      case Command.ZoomOut: {
        const cur = s.market.period === 'auto' ? 'day' : s.market.period;
        const i = PERIODS.indexOf(cur) + (cmd === Command.ZoomOut ? 1 : -1);
        return this.d.dispatch({ type: 'market', patch: { period: PERIODS[Math.max(0, Math.min(2, i))]! } });
      }
      case Command.ToggleMa:
        return this.d.dispatch({ type: 'market', patch: { ma: !s.market.ma } });
      case Command.ToggleBoll:
        return this.d.dispatch({ type: 'market', patch: { boll: !s.market.boll } });
      case Command.Sort: {
        const order = ['code', 'change', 'name'] as const;
        return this.d.dispatch({ type: 'market', patch: { sort: order[(order.indexOf(s.market.sort) + 1) % 3]!, sel: 0, top: 0 } });
      }
      case Command.Chart:
        return;
    }
  }

  goScreen(sc: Screen): void {
    this.d.dispatch({ type: 'screen', screen: sc });
    if (sc === 'runs') this.refreshRuns();
    this.research.onScreen(sc);
  }

  private open(): void {
    const s = this.s;
    if (s.screen === 'workflows') {
      const w = s.workflows.items[s.workflows.sel];
      if (!w) return;
      if (w.errors.length) return this.status(`${w.errors.length} error(s): ${w.errors[0]}`, 'err');
      return this.openDag(w.file);
    }
    if (s.screen === 'dag') return this.openLog();
    if (s.screen === 'runs') {
      const r = s.runs.items[s.runs.sel];
      if (r) this.openDag(r.file, r.parentRunId ?? r.id);
      return;
    }
    if (s.screen === 'picks') {
      const p = s.picks.items[s.picks.sel];
      if (p) void this.openSymbol(p.code, p.date);
      return;
    }
    if (s.screen === 'patterns') {
      const p = s.patterns;
      if (p.occ) {
        const o = p.occ.items[p.occ.sel];
        if (o) void this.openSymbol(o.code, o.date);
        return;
      }
      const item = p.items[p.sel];
      if (item) this.d.dispatch({ type: 'occurrences', name: item.name, items: this.research.occurrencesOf(item.name) });
    }
  }

  openDag(file: string, runId?: number): void {
    const e = this.d.engine;
    const bundle = e.bundle(file);
    if (!bundle) return this.status(`${e.display(file)} does not load; see the Workflows screen`, 'err');
    const tasks = topoSort(e.dagTasks(bundle));
    const run = runId ? e.getRun(runId) : e.runs.lastRunOf(bundle.root.name);
    this.d.dispatch({
      type: 'open-dag',
      file,
      workflow: bundle.root.name,
      tasks,
      params: { ...bundle.root.params },
      runId: run?.id,
      runState: run?.state,
      live: run ? e.liveOf(run.id) : {},
    });
  }

  private openLog(): void {
    const s = this.s;
    const t = s.dag.tasks[s.dag.sel];
    if (!t) return;
    let runId = s.dag.runId;
    let name = t.name;
    if (t.indent && t.parent) {
      runId = s.dag.live[t.parent]?.childRunId;
      name = t.name;
    }
    if (!runId) return this.status(`${t.id} has not run yet`, 'warn');
    const attempts = Math.max(1, this.d.engine.attemptsOf(runId, name));
    const attempt = s.dag.live[t.id]?.attempt ?? attempts;
    this.d.dispatch({ type: 'open-log', runId, task: name, attempt, attempts, lines: this.d.engine.logLines(runId, name, attempt) });
  }

  async openSymbol(code: string, date?: number): Promise<void> {
    this.goScreen('market');
    await this.research.ensureMarket();
    const s = this.s;
    const list = filteredSymbols({ ...s.market, filter: '' });
    const i = list.findIndex((x) => x.code.toLowerCase() === code.toLowerCase());
    if (i < 0) return this.status(`no symbol ${code} in the store`, 'err');
    this.d.dispatch({ type: 'market', patch: { filter: '' } });
    this.d.dispatch({ type: 'move-to', index: i });
    let panBack = 0;
    if (date) {
      const b = this.d.engine.bars(list[i]!.code);
      let k = b.dates.length - 1;
      while (k > 0 && b.dates[k]! > date) k--;
      panBack = Math.max(0, b.dates.length - k - 6);
    }
    this.d.dispatch({ type: 'market', patch: { panBack, period: 'day', code: list[i]!.code } });
  }
}
