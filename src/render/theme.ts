/**
 * Colours as semantic tokens rendered with plain 16-colour ANSI SGR codes (the terminal's own
 * palette, so light and dark terminals both work). Colour is decided once: --no-color, NO_COLOR
 * and TERM=dumb turn it off, FORCE_COLOR=0 off and FORCE_COLOR=1..3 on, otherwise on when the
 * stream is a TTY. Nothing is ever shown by colour alone: statuses and candles also differ by glyph.
 */
export type Token =
  | 'up'
  | 'down'
  | 'ok'
  | 'warn'
  | 'err'
  | 'info'
  | 'run'
  | 'dim'
  | 'accent'
  | 'title'
  | 'sel'
  | 'ma1'
  | 'ma2'
  | 'ma3'
  | 'band'
  | 'bull'
  | 'bear';

/** red-up is the A-share convention (default), green-up the US one. */
export type UpColorConvention = 'red-up' | 'green-up';

export interface Theme {
  readonly color: boolean;
  readonly convention: UpColorConvention;
  paint(token: Token, s: string): string;
}

const RED = '31';
const GREEN = '32';
const CODES: Record<Exclude<Token, 'up' | 'down' | 'bull' | 'bear'>, string> = {
  ok: GREEN,
  warn: '33',
  err: RED,
  info: '36',
  run: '34',
  dim: '2',
  accent: '35',
  title: '1',
  sel: '7',
  ma1: '33',
  ma2: '35',
  ma3: '36',
  band: '34',
};

export function makeTheme(opts: { color?: boolean; convention?: UpColorConvention } = {}): Theme {
  const color = opts.color ?? false;
  const convention = opts.convention ?? 'red-up';
  const upCode = convention === 'red-up' ? RED : GREEN;
  const downCode = convention === 'red-up' ? GREEN : RED;
  const code = (t: Token): string =>
    t === 'up' || t === 'bull' ? upCode : t === 'down' || t === 'bear' ? downCode : CODES[t];
  return {
    color,
    convention,
    paint(token, s) {
      if (!color || s.length === 0) return s;
      const c = code(token);
      const close = c === '1' || c === '2' ? '22' : c === '7' ? '27' : '39';
      return `\x1b[${c}m${s}\x1b[${close}m`;
    },
  };
}

export const plainTheme: Theme = makeTheme({ color: false });

/** A row of cells as text, with one style code a run of cells of the same style (not one a cell). */
export function paintRuns(cells: readonly { ch: string; tok?: Token }[], theme: Theme): string {
  if (!theme.color) return cells.map((c) => c.ch).join('');
  let out = '';
  let run = '';
  let tok: Token | undefined;
  for (const c of cells) {
    if (c.tok !== tok) {
      out += tok ? theme.paint(tok, run) : run;
      run = '';
      tok = c.tok;
    }
    run += c.ch;
  }
  return out + (tok ? theme.paint(tok, run) : run);
}

/** Whether to colour output on `stream`, honouring --no-color, NO_COLOR, FORCE_COLOR and TERM=dumb. */
export function colorEnabled(
  opts: { noColorFlag?: boolean; env?: NodeJS.ProcessEnv; isTTY?: boolean } = {},
): boolean {
  const env = opts.env ?? process.env;
  if (opts.noColorFlag) return false;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  const force = env.FORCE_COLOR;
  if (force !== undefined) {
    if (force === '0' || force === 'false') return false;
    return true;
  }
  if (env.TERM === 'dumb') return false;
  return opts.isTTY ?? Boolean(process.stdout.isTTY);
}

/** The up/down convention from `QUANTFLOW_UP_COLOR` (red|green), else red-up. */
export function conventionFromEnv(env: NodeJS.ProcessEnv = process.env): UpColorConvention {
  const v = (env.QUANTFLOW_UP_COLOR ?? '').toLowerCase();
  return v === 'green' || v === 'green-up' ? 'green-up' : 'red-up';
}
