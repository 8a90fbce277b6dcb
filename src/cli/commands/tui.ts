/** `quantflow tui [--workflows DIR]`: the full-screen workstation. */
import type { Command } from 'commander';
import { action, collect, globals } from '../action.js';

export function register(program: Command): void {
  program
    .command('tui')
    .description('open the full-screen TUI: workflows, live DAG, logs, runs, market charts, patterns')
    .option('--workflows <dir>', 'another folder of workflow YAML files (repeatable; ./workflows is always read)', collect, [])
    .action(
      action(async (opts: { workflows: string[] }, cmd: Command) => {
        const { openTuiFromCli } = await import('../../tui/cli-entry.js');
        return openTuiFromCli(globals(cmd), opts.workflows);
      }),
    );
}
