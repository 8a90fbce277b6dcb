/**
 * The one keybinding table: commands, their default keys and the screens they apply to. A key
 * press is named (`keyName`) and resolved against the focused screen first, then the global keys.
 * Nothing else in the TUI looks at raw keys (except text fields: `:` commands, `/` search, params).
 */
export type Screen = 'workflows' | 'dag' | 'log' | 'runs' | 'market' | 'patterns' | 'picks' | 'model';

export enum Command {
  Quit = 'quit',
  Help = 'help',
  Back = 'back',
  CommandMode = 'command-mode',
  NextScreen = 'next-screen',
  PrevScreen = 'prev-screen',
  GoWorkflows = 'go-workflows',
  GoDag = 'go-dag',
  GoLog = 'go-log',
  GoRuns = 'go-runs',
  GoMarket = 'go-market',
  GoPatterns = 'go-patterns',
  GoPicks = 'go-picks',
  GoModel = 'go-model',
  Up = 'up',
  Down = 'down',
  PageUp = 'page-up',
  PageDown = 'page-down',
  Top = 'top',
  Bottom = 'bottom',
  Open = 'open',
  Refresh = 'refresh',
  Run = 'run',
  RunTaskOnly = 'run-task-only',
  RunDownstream = 'run-downstream',
  RunUpstream = 'run-upstream',
  Recover = 'recover',
  Stop = 'stop',
  EditParams = 'edit-params',
  ToggleLayout = 'toggle-layout',
  Left = 'left',
  Right = 'right',
  Follow = 'follow',
  Wrap = 'wrap',
  Search = 'search',
  SearchNext = 'search-next',
  SearchPrev = 'search-prev',
  PrevAttempt = 'prev-attempt',
  NextAttempt = 'next-attempt',
  ZoomIn = 'zoom-in',
  ZoomOut = 'zoom-out',
  ToggleMa = 'toggle-ma',
  ToggleBoll = 'toggle-boll',
  Sort = 'sort',
  Chart = 'chart',
}

export interface Binding {
  command: Command;
  keys: string[];
  /** Screens where it applies; undefined = everywhere. */
  screens?: Screen[];
  help: string;
  /** Shown in the one-line help bar. */
  bar?: boolean;
}

export const SCREEN_ORDER: Screen[] = ['workflows', 'dag', 'log', 'runs', 'market', 'patterns', 'picks', 'model'];

export const BINDINGS: Binding[] = [
  // Screen-specific bindings first: they win over global ones.
  { command: Command.Open, keys: ['enter'], screens: ['workflows'], help: 'open the DAG', bar: true },
  { command: Command.Run, keys: ['r'], screens: ['workflows', 'dag'], help: 'run the workflow', bar: true },
  { command: Command.Refresh, keys: ['R'], screens: ['workflows', 'runs', 'market'], help: 'reload from disk and store' },
  { command: Command.Open, keys: ['enter', 'l'], screens: ['dag'], help: 'task log', bar: true },
  { command: Command.RunTaskOnly, keys: ['t'], screens: ['dag'], help: 'run the selected task only', bar: true },
  { command: Command.RunDownstream, keys: ['d'], screens: ['dag'], help: 'run the task and everything downstream', bar: true },
  { command: Command.RunUpstream, keys: ['u'], screens: ['dag'], help: 'run the task and everything upstream' },
  { command: Command.Recover, keys: ['R'], screens: ['dag'], help: 'recover the failed run (rerun failed/killed tasks)' },
  { command: Command.Stop, keys: ['s'], screens: ['dag', 'runs'], help: 'stop the run (asks first)', bar: true },
  { command: Command.EditParams, keys: ['p'], screens: ['dag', 'workflows'], help: 'edit start-up params' },
  { command: Command.ToggleLayout, keys: ['v'], screens: ['dag'], help: 'graph / box layout' },
  { command: Command.Left, keys: ['left', 'h'], screens: ['dag', 'market'], help: 'pan left (boxes, chart)' },
  { command: Command.Right, keys: ['right'], screens: ['dag', 'market'], help: 'pan right' },
  { command: Command.Follow, keys: ['f'], screens: ['log'], help: 'follow on/off', bar: true },
  { command: Command.Wrap, keys: ['w'], screens: ['log'], help: 'wrap on/off', bar: true },
  { command: Command.Search, keys: ['/'], screens: ['log', 'market', 'patterns'], help: 'search', bar: true },
  { command: Command.SearchNext, keys: ['n'], screens: ['log'], help: 'next match' },
  { command: Command.SearchPrev, keys: ['N'], screens: ['log'], help: 'previous match' },
  { command: Command.PrevAttempt, keys: ['['], screens: ['log'], help: 'earlier attempt' },
  { command: Command.NextAttempt, keys: [']'], screens: ['log'], help: 'later attempt' },
  { command: Command.Open, keys: ['enter'], screens: ['runs'], help: "open the run's DAG", bar: true },
  { command: Command.Right, keys: ['l'], screens: ['market'], help: 'pan right' },
  { command: Command.ZoomOut, keys: ['-'], screens: ['market'], help: 'zoom out (weeks, months)', bar: true },
  { command: Command.ZoomIn, keys: ['+', '='], screens: ['market'], help: 'zoom in', bar: true },
  { command: Command.ToggleMa, keys: ['m'], screens: ['market'], help: 'moving averages on/off' },
  { command: Command.ToggleBoll, keys: ['b'], screens: ['market'], help: 'Bollinger bands on/off' },
  { command: Command.Sort, keys: ['o'], screens: ['market'], help: 'sort by code / change / name', bar: true },
  { command: Command.Open, keys: ['enter'], screens: ['patterns'], help: 'occurrences / open chart', bar: true },
  { command: Command.Open, keys: ['enter'], screens: ['picks'], help: "the pick's chart", bar: true },
  { command: Command.Refresh, keys: ['R'], screens: ['picks', 'model'], help: 'reload', bar: true },
  // Global.
  { command: Command.Quit, keys: ['q', 'C-c'], help: 'quit (asks when runs are active)', bar: true },
  { command: Command.Help, keys: ['?'], help: 'all keys', bar: true },
  { command: Command.Back, keys: ['esc', 'backspace'], help: 'back / close overlay' },
  { command: Command.CommandMode, keys: [':'], help: 'command (:run :task NAME :symbol CODE :q)' },
  { command: Command.NextScreen, keys: ['tab'], help: 'next screen' },
  { command: Command.PrevScreen, keys: ['S-tab'], help: 'previous screen' },
  { command: Command.GoWorkflows, keys: ['1'], help: 'Workflows' },
  { command: Command.GoDag, keys: ['2'], help: 'DAG' },
  { command: Command.GoLog, keys: ['3'], help: 'Log' },
  { command: Command.GoRuns, keys: ['4'], help: 'Runs' },
  { command: Command.GoMarket, keys: ['5'], help: 'Market' },
  { command: Command.GoPatterns, keys: ['6'], help: 'Patterns' },
  { command: Command.GoPicks, keys: ['7'], help: 'Picks' },
  { command: Command.GoModel, keys: ['8'], help: 'Model' },
  { command: Command.Up, keys: ['up', 'k'], help: 'up' },
  { command: Command.Down, keys: ['down', 'j'], help: 'down' },
  { command: Command.PageUp, keys: ['pgup', 'C-u'], help: 'page up' },
  { command: Command.PageDown, keys: ['pgdn', 'C-d'], help: 'page down' },
  { command: Command.Top, keys: ['home', 'g'], help: 'top' },
  { command: Command.Bottom, keys: ['end', 'G'], help: 'bottom' },
];

/** The subset of Ink's Key we read. */
export interface KeyLike {
  upArrow?: boolean;
  downArrow?: boolean;
  leftArrow?: boolean;
  rightArrow?: boolean;
  pageUp?: boolean;
  pageDown?: boolean;
  home?: boolean;
  end?: boolean;
  return?: boolean;
  escape?: boolean;
  tab?: boolean;
  backspace?: boolean;
  delete?: boolean;
  ctrl?: boolean;
  shift?: boolean;
  meta?: boolean;
}

/** Names a key press: 'j', 'G', 'enter', 'esc', 'C-c', 'S-tab', 'pgdn', ... */
export function keyName(input: string, key: KeyLike): string {
  if (key.upArrow) return 'up';
  if (key.downArrow) return 'down';
  if (key.leftArrow) return 'left';
  if (key.rightArrow) return 'right';
  if (key.pageUp) return 'pgup';
  if (key.pageDown) return 'pgdn';
  if (key.home) return 'home';
  if (key.end) return 'end';
  if (key.return) return 'enter';
  if (key.escape) return 'esc';
  if (key.tab) return key.shift ? 'S-tab' : 'tab';
  if (key.backspace || key.delete) return 'backspace';
  if (key.ctrl && input) return `C-${input.toLowerCase()}`;
  return input;
}

const tables = new Map<Screen, Map<string, Command>>();

/** The command a key runs on `screen`, or undefined. */
export function resolveKey(screen: Screen, name: string): Command | undefined {
  let t = tables.get(screen);
  if (!t) {
    t = new Map();
    for (const b of BINDINGS) {
      if (b.screens && !b.screens.includes(screen)) continue;
      for (const k of b.keys) if (!t.has(k)) t.set(k, b.command);
    }
    tables.set(screen, t);
  }
  return t.get(name);
}

/** The bindings that apply on a screen (screen-specific first), for the help bar and overlay. */
const forScreen = new Map<Screen, Binding[]>();

export function bindingsFor(screen: Screen): Binding[] {
  const hit = forScreen.get(screen);
  if (hit) return hit;
  const seen = new Set<string>();
  const out: Binding[] = [];
  for (const b of BINDINGS) {
    if (b.screens && !b.screens.includes(screen)) continue;
    const keys = b.keys.filter((k) => resolveKey(screen, k) === b.command && !seen.has(k));
    if (keys.length === 0) continue;
    keys.forEach((k) => seen.add(k));
    out.push({ ...b, keys });
  }
  forScreen.set(screen, out);
  return out;
}

export function keyLabel(k: string): string {
  return k === 'enter' ? '⏎' : k === 'backspace' ? 'bksp' : k;
}
