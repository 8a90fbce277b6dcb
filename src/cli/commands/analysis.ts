/**
 * `quantflow signals`, `quantflow features [export]`, `quantflow patterns`: compute and read the
 * analysis tables. Thin: the work is in src/analysis/ (imported lazily).
 */
import type { Command } from 'commander';
import { action, globals, intOption, printJson } from '../action.js';
import { badInput } from '../../core/errors.js';

function parseDateOption(name: string): (v: string) => number {
  return (v: string) => {
    const m = /^(\d{4})-?(\d{2})-?(\d{2})$/.exec(v.trim());
    if (!m) throw badInput(`${name} expects YYYY-MM-DD, got "${v}"`);
    return Number(m[1]) * 10000 + Number(m[2]) * 100 + Number(m[3]);
  };
}

const list = (v: string) => v.split(',').map((s) => s.trim()).filter((s) => s.length > 0);

async function openDb(cmd: Command) {
  const { resolveDbPath } = await import('../../core/config.js');
  const { sharedDb } = await import('../../core/db.js');
  return sharedDb(resolveDbPath(globals(cmd).db));
}

/** The config file (default: workflows/feature_signal.txt, see loadAnalysisConfig). */
async function loadConfig(file: string | undefined) {
  const { loadAnalysisConfig } = await import('../../analysis/config.js');
  return loadAnalysisConfig(file);
}

async function ensureMarket(db: Awaited<ReturnType<typeof openDb>>) {
  const { MarketStore } = await import('../../market/store.js');
  if (new MarketStore(db).counts().bars === 0) throw badInput('the store has no bars; run `quantflow data download` first');
}

const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

interface ComputeFlags {
  config?: string;
  name?: string;
  json?: boolean;
}

export function register(program: Command): void {
  program
    .command('signals')
    .description('compute the configured buy signals (ma_cross, ma_up) for every stock, incrementally')
    .option('--config <file>', 'feature/signal config (text or .yaml; default workflows/feature_signal.txt)')
    .option('--name <signal>', 'only this signal (ma_cross | ma_up)')
    .option('--json', 'print the summary as JSON')
    .action(
      action(async (flags: ComputeFlags, cmd: Command) => {
        const cfg = await loadConfig(flags.config);
        if (flags.name && !cfg.signals.some((s) => s.name === flags.name)) {
          const { SIGNAL_NAMES } = await import('../../analysis/config.js');
          if (!(SIGNAL_NAMES as readonly string[]).includes(flags.name)) throw badInput(`unknown signal "${flags.name}" (known: ${SIGNAL_NAMES.join(', ')})`);
          cfg.signals.push({ name: flags.name as 'ma_cross', fast: 5, slow: 10, maxChange: 0.09 });
        }
        if (cfg.signals.length === 0) throw badInput(`${cfg.source}: no signal configured`);
        const db = await openDb(cmd);
        await ensureMarket(db);
        const { computeMarket } = await import('../../analysis/features/market.js');
        const { createProgress } = await import('../../core/progress.js');
        const { signalSummary } = await import('../../analysis/store.js');
        const sum = await computeMarket(db, cfg, createProgress('signals'), { features: false, signals: flags.name });
        const stored = signalSummary(db);
        if (flags.json) {
          printJson({ ...sum, stored });
          return;
        }
        for (const [name, s] of Object.entries(sum.signals)) {
          const st = stored.find((x) => x.name === name);
          process.stdout.write(
            `${name}: ${s.full + s.append} stocks computed (${s.full} in full, ${s.append} new days only), ${s.skip} up to date; ` +
              `${st?.buys ?? 0} buy signals stored over ${st?.days ?? 0} stock-days\n`,
          );
        }
        process.stdout.write(`${sum.symbols} symbols, ${secs(sum.ms)}${sum.workers ? `, ${sum.workers} workers` : ''}\n`);
      }),
    );

  const features = program
    .command('features')
    .description('compute the configured feature sets (ma, bbands, talib_pattern, kbar, indicator), incrementally')
    .option('--config <file>', 'feature/signal config (text or .yaml; default workflows/feature_signal.txt)')
    .option('--name <set>', 'only this feature set (ma | bbands | talib_pattern | kbar | indicator)')
    .option('--json', 'print the summary as JSON')
    .action(
      action(async (flags: ComputeFlags, cmd: Command) => {
        const cfg = await loadConfig(flags.config);
        const { FEATURE_NAMES } = await import('../../analysis/config.js');
        if (flags.name && !cfg.features.includes(flags.name as 'ma')) {
          if (!(FEATURE_NAMES as readonly string[]).includes(flags.name)) throw badInput(`unknown feature set "${flags.name}" (known: ${FEATURE_NAMES.join(', ')})`);
          if (flags.name === 'indicator') throw badInput(`${cfg.source}: no indicator configured (add e.g. "feature: indicator rsi 14")`);
          cfg.features.push(flags.name as 'ma');
        }
        if (cfg.features.length === 0) throw badInput(`${cfg.source}: no feature configured`);
        const db = await openDb(cmd);
        await ensureMarket(db);
        const { computeMarket } = await import('../../analysis/features/market.js');
        const { createProgress } = await import('../../core/progress.js');
        const sum = await computeMarket(db, cfg, createProgress('features'), { signals: false, features: flags.name });
        if (flags.json) {
          printJson(sum);
          return;
        }
        for (const [name, s] of Object.entries(sum.features)) {
          process.stdout.write(`${name}: ${s.columns} columns; ${s.full} stocks in full, ${s.append} new days only, ${s.skip} up to date\n`);
        }
        process.stdout.write(`${sum.symbols} symbols, ${sum.bars} bars, ${secs(sum.ms)}${sum.workers ? `, ${sum.workers} workers` : ''}\n`);
      }),
    );

  features
    .command('export')
    .description('write stored features of some stocks to CSV (code,date,<columns>)')
    .requiredOption('--symbols <list>', 'codes, comma separated')
    .option('--columns <list>', 'these columns, comma separated (default: every stored column)')
    .option('--set <name>', 'the columns of one feature set')
    .option('--from <date>', 'first date YYYY-MM-DD', parseDateOption('--from'))
    .option('--to <date>', 'last date YYYY-MM-DD', parseDateOption('--to'))
    .requiredOption('--out <file>', 'the CSV file to write')
    .option('--json', 'print the summary as JSON')
    .action(
      action(async (flags: { symbols: string; columns?: string; set?: string; from?: number; to?: number; out: string; json?: boolean }, cmd: Command) => {
        const db = await openDb(cmd);
        const { exportFeatures } = await import('../../analysis/features/export.js');
        const r = exportFeatures(db, { symbols: list(flags.symbols), columns: flags.columns ? list(flags.columns) : undefined, set: flags.set, from: flags.from, to: flags.to, out: flags.out });
        if (flags.json) printJson({ out: flags.out, rows: r.rows, columns: r.columns });
        else process.stdout.write(`wrote ${r.rows} rows x ${r.columns.length} columns to ${flags.out}\n`);
      }),
    );

  program
    .command('patterns')
    .description('the candlestick patterns that fired for a stock, newest first')
    .argument('<code>', 'a symbol, e.g. sh.600000')
    .option('--last <n>', 'how many fired patterns', intOption('--last'), 20)
    .option('--json', 'print them as JSON')
    .action(
      action(async (code: string, flags: { last: number; json?: boolean }, cmd: Command) => {
        const db = await openDb(cmd);
        const { firedPatterns } = await import('../../analysis/features/patterns.js');
        const r = firedPatterns(db, code, flags.last);
        if (flags.json) {
          printJson(r.patterns);
          return;
        }
        if (r.patterns.length === 0) {
          process.stdout.write(`no pattern fired for ${code}\n`);
          return;
        }
        const w = Math.max(...r.patterns.map((p) => p.pattern.length));
        for (const p of r.patterns) {
          process.stdout.write(`${p.date}  ${p.pattern.padEnd(w)}  ${String(p.value).padStart(4)}  ${p.direction.padEnd(7)}  ${p.name}\n`);
        }
      }),
    );
}
