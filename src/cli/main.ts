/**
 * The quantflow CLI. Commands are thin: parse, call a module, print text or JSON, return an exit
 * code. Each area registers its commands from its own file; the modules behind them are imported
 * lazily inside the actions so `quantflow --help` stays fast.
 */
import { Command, CommanderError } from 'commander';
import { registerAll } from './commands/index.js';
import { reportError } from './action.js';
import { ExitCode } from '../core/errors.js';

// The AWS SDK clients print, on Node 20, that releases after January 2027 will need Node 22. The
// versions quantflow pins keep working on Node 20, so the notice would only be noise on every
// SageMaker and S3 command (and break their one-line error contract).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const program = new Command('quantflow');
program
  .description('A terminal workstation for machine-learning stock selection.')
  .version('0.1.0', '-V, --version')
  .option('--db <path>', 'the SQLite store (else QUANTFLOW_DB, else ./data/quantflow.db)')
  .option('--debug', 'print stack traces for internal errors')
  .option('--no-color', 'no colours in output')
  .showHelpAfterError('(add --help for usage)')
  .configureOutput({ outputError: (str, write) => write(str) })
  .exitOverride();

registerAll(program);

// No command: the TUI when stdin and stdout are terminals, else the help.
program.allowExcessArguments(true).action(async () => {
  if (program.args.length > 0) program.error(`error: unknown command '${program.args[0]}'`, { exitCode: 2, code: 'commander.unknownCommand' });
  const { hasTerminal } = await import('../tui/run.js');
  if (!hasTerminal()) return program.outputHelp();
  const { openTuiFromCli } = await import('../tui/cli-entry.js');
  process.exitCode = await openTuiFromCli(program.opts());
});

try {
  await program.parseAsync(process.argv);
} catch (e) {
  if (e instanceof CommanderError) {
    // Help and version exit 0; usage errors exit 2 (commander already printed the message).
    process.exitCode = e.exitCode === 0 ? ExitCode.ok : ExitCode.badInput;
  } else {
    process.exitCode = reportError(e);
  }
}
