/** Mounts the Ink app full-screen; only reached through run.ts once stdin and stdout are TTYs. */
import React from 'react';
import { render } from 'ink';
import { App } from './App.js';
import { Engine } from './engine.js';
import { enterAlternateScreen } from './terminal.js';
import { makeTheme, colorEnabled, conventionFromEnv } from '../render/theme.js';
import { initialState, reducer, type State } from './state.js';
import { FRAME_MS } from './controller.js';
import { frameStatsFromEnv } from './frame-stats.js';

export interface TuiOptions {
  dbPath: string;
  workflowDirs: string[];
  noColor?: boolean;
}

export async function mountTui(opts: TuiOptions): Promise<number> {
  const engine = new Engine({ dbPath: opts.dbPath, workflowDirs: opts.workflowDirs });
  const theme = makeTheme({ color: colorEnabled({ noColorFlag: opts.noColor, isTTY: true }), convention: conventionFromEnv() });
  const screen = enterAlternateScreen(process.stdout);
  let code = 0;
  const stopThenExit = (sig: string, exitCode: number) => {
    void engine.stopAll(5000).finally(() => {
      app.unmount();
      screen.restore();
      process.stderr.write(`quantflow: ${sig}: stopped\n`);
      process.exit(exitCode);
    });
  };
  const onTerm = () => stopThenExit('SIGTERM', 143);
  const onHup = () => stopThenExit('SIGHUP', 129);
  const onCrash = (e: unknown) => {
    try {
      app.unmount();
    } catch {
      // already gone
    }
    screen.restore();
    process.stderr.write(`quantflow: internal error in the TUI: ${(e as Error)?.stack ?? String(e)}\n`);
    process.exit(1);
  };
  process.on('SIGTERM', onTerm);
  process.on('SIGHUP', onHup);
  process.on('uncaughtException', onCrash);
  process.on('unhandledRejection', onCrash);
  // The first screen's data before the first render, so the first frame is complete: not an empty
  // list that a second frame fills (up to a frame beat later). On an error the controller's
  // init() scans again and shows it.
  let initial: Partial<State> | undefined;
  try {
    const size = { cols: process.stdout.columns || 80, rows: process.stdout.rows || 24 };
    initial = { workflows: reducer(initialState(size), { type: 'workflows', items: engine.scanWorkflows() }).workflows };
  } catch {
    initial = undefined;
  }
  // Incremental rendering (only the lines that changed are written: calm, and little to send over
  // SSH) only with the Ink of the TUI bundle: Ink 6.8's own moves the cursor up one line too few
  // when a frame ends in a newline (always, as the frame is rows - 1 high), so every frame would
  // land a row low and scroll the alternate screen. scripts/tui-patches.mjs fixes that and marks it.
  const incrementalRendering = (globalThis as Record<symbol, unknown>)[Symbol.for('quantflow.inkIncrementalFixed')] === true;
  // Ink's own throttle sits above the frame beat (FRAME_MS), so it never drops a beat's frame.
  const maxFps = 2 * Math.round(1000 / FRAME_MS);
  const app = render(<App engine={engine} theme={theme} initial={initial} />, { exitOnCtrlC: false, patchConsole: true, maxFps, incrementalRendering, onRender: frameStatsFromEnv()?.onRender });
  try {
    await app.waitUntilExit();
  } catch (e) {
    code = 1;
    process.stderr.write(`quantflow: ${(e as Error).message}\n`);
  } finally {
    await engine.stopAll(5000);
    screen.restore();
    process.off('SIGTERM', onTerm);
    process.off('SIGHUP', onHup);
    process.off('uncaughtException', onCrash);
    process.off('unhandledRejection', onCrash);
  }
  return code;
}
