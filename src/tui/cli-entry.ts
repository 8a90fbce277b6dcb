/** Shared by `quantflow tui` and `quantflow` with no command. */
import { resolve } from 'node:path';
import { resolveDbPath } from '../core/config.js';
import { runTui } from './run.js';

export async function openTuiFromCli(g: { db?: string; color?: boolean }, extraDirs: string[] = []): Promise<number> {
  return runTui({
    dbPath: resolveDbPath(g.db),
    workflowDirs: [resolve('workflows'), ...extraDirs.map((d) => resolve(d))],
    noColor: g.color === false,
  });
}
