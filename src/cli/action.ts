/**
 * Every command's action goes through `action()`: it turns a returned exit code or a thrown error
 * into the process exit code, and prints user errors on one line (a stack trace only with --debug).
 */
import type { Command } from 'commander';
import { ExitCode, QuantflowError, errorMessage } from '../core/errors.js';

export type Handler<A extends unknown[]> = (...args: A) => Promise<number | void> | number | void;

export function isDebug(): boolean {
  return process.argv.includes('--debug') || process.env.QUANTFLOW_DEBUG === '1';
}

export function reportError(e: unknown): number {
  if (e instanceof QuantflowError) {
    process.stderr.write(`quantflow: ${e.oneLine()}\n`);
    if (isDebug() && e.stack) process.stderr.write(`${e.stack}\n`);
    return e.exitCode;
  }
  process.stderr.write(`quantflow: internal error: ${errorMessage(e)}\n`);
  if (isDebug() && e instanceof Error && e.stack) process.stderr.write(`${e.stack}\n`);
  else process.stderr.write('quantflow: run again with --debug for the stack trace\n');
  return ExitCode.failed;
}

/** Wraps a command handler; commander passes (positionals..., options, command). */
export function action<A extends unknown[]>(fn: Handler<A>): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      const code = await fn(...args);
      process.exitCode = typeof code === 'number' ? code : ExitCode.ok;
    } catch (e) {
      process.exitCode = reportError(e);
    }
  };
}

/** The global options (--db, --debug, --no-color) from any subcommand. */
export function globals(cmd: Command): { db?: string; debug?: boolean; color?: boolean } {
  let root: Command = cmd;
  while (root.parent) root = root.parent;
  return root.opts();
}

/** Prints a value as JSON on stdout. */
export function printJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value, null, 2) + '\n');
}

/** Collects a repeatable option (`--param a=1 --param b=2`). */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** Parses a positive integer option with a one-line error. */
export function intOption(name: string): (value: string) => number {
  return (value: string) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 0) throw new QuantflowError('BAD_OPTION', `${name} expects a whole number, got "${value}"`);
    return n;
  };
}
