/**
 * Entry of `quantflow tui` (and of `quantflow` with no command in a terminal). Decides by isTTY,
 * never by the CI variable: with a terminal the TUI is live even when CI is set (Ink would
 * otherwise print only its last frame), without one it says so and exits 2.
 */
import { ExitCode } from '../core/errors.js';
import { freshBundle, loadBundle } from './bundle.js';

export interface RunTuiOptions {
  dbPath: string;
  workflowDirs: string[];
  noColor?: boolean;
}

export function hasTerminal(): boolean {
  return Boolean(process.stdin.isTTY && process.stdout.isTTY);
}

type MainModule = typeof import('./main.js');

/** The TUI's module: the start-up bundle when fresh, else the unbundled dist/ (or src/ under vitest). */
export async function loadTuiMain(): Promise<MainModule> {
  const bundle = freshBundle();
  if (bundle) return loadBundle<MainModule>(bundle);
  return import('./main.js');
}

export async function runTui(opts: RunTuiOptions): Promise<number> {
  if (!hasTerminal()) {
    process.stderr.write('quantflow: the TUI needs a terminal (stdin and stdout must be TTYs); use the CLI commands (quantflow --help) when piping or in scripts\n');
    return ExitCode.badInput;
  }
  // Ink reads CI when it loads: a real terminal gets the live TUI.
  if (process.env.CI !== undefined) process.env.CI = 'false';
  const { mountTui } = await loadTuiMain();
  return mountTui(opts);
}
