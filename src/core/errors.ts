/**
 * Errors a user can cause. The CLI prints `message` on one line (prefixed with `path:line:col` when
 * the error points into a file) and exits with `exitCode`; anything else is a bug and gets a stack
 * trace only with --debug.
 */
export const ExitCode = {
  ok: 0,
  failed: 1,
  badInput: 2,
  alreadyRunning: 3,
  interrupted: 130,
} as const;
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

export interface SourceLocation {
  file: string;
  line: number; // 1-based
  col: number; // 1-based
}

export function formatLocation(loc: SourceLocation): string {
  return `${loc.file}:${loc.line}:${loc.col}`;
}

export class QuantflowError extends Error {
  readonly code: string;
  readonly exitCode: ExitCodeValue;
  readonly location?: SourceLocation;

  constructor(code: string, message: string, opts: { exitCode?: ExitCodeValue; location?: SourceLocation; cause?: unknown } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'QuantflowError';
    this.code = code;
    this.exitCode = opts.exitCode ?? ExitCode.badInput;
    this.location = opts.location;
  }

  /** The one line the CLI prints. */
  oneLine(): string {
    const where = this.location ? `${formatLocation(this.location)}: ` : '';
    return `${where}${this.message}`.replace(/\s*\n\s*/g, ' ');
  }
}

/** Bad input, usage or configuration (exit 2). */
export function badInput(message: string, location?: SourceLocation): QuantflowError {
  return new QuantflowError('BAD_INPUT', message, { exitCode: ExitCode.badInput, location });
}

/** The work itself failed (exit 1). */
export function workFailed(message: string, cause?: unknown): QuantflowError {
  return new QuantflowError('FAILED', message, { exitCode: ExitCode.failed, cause });
}

export function isQuantflowError(e: unknown): e is QuantflowError {
  return e instanceof QuantflowError;
}

/** The message of any thrown value, on one line. */
export function errorMessage(e: unknown): string {
  if (e instanceof QuantflowError) return e.oneLine();
  if (e instanceof Error) return e.message.replace(/\s*\n\s*/g, ' ');
  return String(e);
}
