/**
 * Entry of `quantflow tui` (and of `quantflow` with no command in a terminal). Decides by isTTY,
 * never by the CI variable: with a terminal the TUI is live even when CI is set (Ink would
 * otherwise print only its last frame), without one it says so and exits 2.
 */
import { readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ExitCode } from '../core/errors.js';

export interface RunTuiOptions {
  dbPath: string;
  workflowDirs: string[];
  noColor?: boolean;
}

export function hasTerminal(): boolean {
  return Boolean(process.stdin.isTTY && process.stdout.isTTY);
}

type MainModule = typeof import('./main.js');

/**
 * dist/tui-bundle/main.js (scripts/bundle-tui.mjs) when it is there and none of the dist/ files it
 * was built from is newer (someone ran tsc or the test transpile after the bundle), else undefined.
 * QUANTFLOW_TUI_BUNDLE=0 skips it.
 */
export function freshBundle(distDir: URL = new URL('../', import.meta.url)): URL | undefined {
  if (process.env.QUANTFLOW_TUI_BUNDLE === '0') return undefined;
  const dir = new URL('tui-bundle/', distDir);
  try {
    const m = JSON.parse(readFileSync(new URL('manifest.json', dir), 'utf8')) as { builtAt: number; inputs: string[] };
    const dist = fileURLToPath(distDir);
    for (const f of m.inputs) if (statSync(dist + f).mtimeMs > m.builtAt) return undefined;
    return new URL('main.js', dir);
  } catch {
    return undefined;
  }
}

/** The TUI's module: the start-up bundle when fresh, else the unbundled dist/ (or src/ under vitest). */
export async function loadTuiMain(): Promise<MainModule> {
  const bundle = freshBundle();
  if (bundle) return (await import(bundle.href)) as MainModule;
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
