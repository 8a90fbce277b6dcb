/**
 * Progress of long work. Three sinks, chosen once per process:
 * - under the workflow engine (QUANTFLOW_PROGRESS=1): `::progress DONE/TOTAL LABEL` lines on stderr,
 *   which the runner turns into progress events (stdout stays clean for JSON);
 * - in a terminal (stderr is a TTY): a one-line bar redrawn at most ten times a second;
 * - otherwise: nothing.
 */
export interface Progress {
  /** Sets the total (may be called again when it becomes known). */
  total(n: number): void;
  /** Advances by `by` (default 1) and optionally relabels. */
  tick(by?: number, label?: string): void;
  /** Sets the absolute count. */
  set(done: number, label?: string): void;
  done(): void;
}

export type ProgressMode = 'lines' | 'bar' | 'silent';

export function progressMode(env: NodeJS.ProcessEnv = process.env, stream: NodeJS.WriteStream = process.stderr): ProgressMode {
  if (env.QUANTFLOW_PROGRESS === '1') return 'lines';
  if (stream.isTTY) return 'bar';
  return 'silent';
}

export const silentProgress: Progress = { total() {}, tick() {}, set() {}, done() {} };

const PROGRESS_RE = /^::progress (\d+)\/(\d+)(?: (.*))?$/;

/** Parses a `::progress DONE/TOTAL LABEL` line, or returns undefined. */
export function parseProgressLine(line: string): { done: number; total: number; label: string } | undefined {
  const m = PROGRESS_RE.exec(line.trimEnd());
  if (!m) return undefined;
  return { done: Number(m[1]), total: Number(m[2]), label: m[3] ?? '' };
}

export function createProgress(label: string, opts: { mode?: ProgressMode; stream?: NodeJS.WriteStream; intervalMs?: number } = {}): Progress {
  const stream = opts.stream ?? process.stderr;
  const mode = opts.mode ?? progressMode(process.env, stream);
  if (mode === 'silent') return silentProgress;
  const interval = opts.intervalMs ?? (mode === 'lines' ? 250 : 100);
  let total = 0;
  let done = 0;
  let current = label;
  let last = 0;
  let finished = false;

  const emit = (force: boolean) => {
    const now = Date.now();
    if (!force && now - last < interval) return;
    last = now;
    if (mode === 'lines') {
      stream.write(`::progress ${done}/${total} ${current}\n`);
    } else {
      const width = Math.max(10, Math.min(40, (stream.columns ?? 80) - 40));
      const frac = total > 0 ? Math.min(1, done / total) : 0;
      const filled = Math.round(frac * width);
      const bar = '█'.repeat(filled) + '░'.repeat(width - filled);
      stream.write(`\r${bar} ${done}/${total} ${current}`.slice(0, (stream.columns ?? 80) - 1) + '\x1b[K');
    }
  };

  return {
    total(n) {
      total = n;
      emit(true);
    },
    tick(by = 1, l) {
      done += by;
      if (l !== undefined) current = l;
      emit(false);
    },
    set(d, l) {
      done = d;
      if (l !== undefined) current = l;
      emit(false);
    },
    done() {
      if (finished) return;
      finished = true;
      emit(true);
      if (mode === 'bar') stream.write('\r\x1b[K');
    },
  };
}
