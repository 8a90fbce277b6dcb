/**
 * `quantflow data ...`: download bars into the store, list and show what is stored, live quotes.
 * Thin: the work is in src/market/ (imported lazily).
 */
import type { Command } from 'commander';
import { action, globals, intOption, printJson } from '../action.js';
import { badInput, ExitCode } from '../../core/errors.js';

function parseDateOption(name: string): (v: string) => number {
  return (v: string) => {
    const m = /^(\d{4})-?(\d{2})-?(\d{2})$/.exec(v.trim());
    if (!m) throw badInput(`${name} expects YYYY-MM-DD, got "${v}"`);
    return Number(m[1]) * 10000 + Number(m[2]) * 100 + Number(m[3]);
  };
}

async function openStore(cmd: Command) {
  const { resolveDbPath } = await import('../../core/config.js');
  const { sharedDb } = await import('../../core/db.js');
  const { MarketStore } = await import('../../market/store.js');
  return new MarketStore(sharedDb(resolveDbPath(globals(cmd).db)));
}

const iso = (d: number) => (d > 0 ? `${Math.floor(d / 10000)}-${String(Math.floor(d / 100) % 100).padStart(2, '0')}-${String(d % 100).padStart(2, '0')}` : '');

interface DownloadFlags {
  provider: string;
  source?: string;
  symbols?: string;
  limit?: number;
  start?: number;
  end?: number;
  maxFailed?: string;
  seed?: number;
  demoSymbols?: number;
  adjust?: string;
  full?: boolean;
  json?: boolean;
}

export function register(program: Command): void {
  const data = program.command('data').description('market data: download daily bars, list and show them, live quotes');

  data
    .command('download')
    .description('download daily bars into the store (default provider: demo, a synthetic offline market)')
    .option('--provider <name>', 'demo | csv | eastmoney | yahoo', 'demo')
    .option('--source <dir>', 'csv: the folder of <code>.csv files (or its parent holding daily/)')
    .option('--symbols <list>', 'only these codes, comma separated (yahoo: the tickers to fetch)')
    .option('--limit <n>', 'keep the first N symbols of the sorted universe', intOption('--limit'))
    .option('--start <date>', 'first date YYYY-MM-DD', parseDateOption('--start'))
    .option('--end <date>', 'last date YYYY-MM-DD', parseDateOption('--end'))
    .option('--max-failed <n|p%>', 'failed symbols allowed before exit 1 (default 1% of the universe)')
    .option('--seed <n>', 'demo: the seed of the synthetic market (default 42)', intOption('--seed'))
    .option('--demo-symbols <n>', 'demo: symbols in the synthetic market, 4 of them indices (default 300)', intOption('--demo-symbols'))
    .option('--adjust <mode>', 'eastmoney: qfq (front-adjusted, default) or none')
    .option('--full', 'ignore stored bars and fetch the whole range again')
    .option('--json', 'print the summary as JSON')
    .action(
      action(async (flags: DownloadFlags, cmd: Command) => {
        const { createProvider } = await import('../../market/providers/index.js');
        const { downloadMarket, parseMaxFailed } = await import('../../market/download.js');
        const { parseCodeList } = await import('../../market/codes.js');
        const { createProgress } = await import('../../core/progress.js');
        if (flags.adjust !== undefined && flags.adjust !== 'qfq' && flags.adjust !== 'none') throw badInput(`--adjust expects qfq or none, got "${flags.adjust}"`);
        if (flags.maxFailed !== undefined) parseMaxFailed(flags.maxFailed, 100);
        const symbols = flags.symbols ? parseCodeList(flags.symbols) : undefined;
        const provider = await createProvider(flags.provider, {
          source: flags.source,
          seed: flags.seed,
          demoSymbols: flags.demoSymbols,
          // demo: --start/--end also set the span of the generated market (default 2023-01-03 .. 2025-12-31)
          demoStart: flags.start,
          demoEnd: flags.end,
          adjust: flags.adjust as 'qfq' | 'none' | undefined,
          tickers: symbols,
        });
        const store = await openStore(cmd);
        const ac = new AbortController();
        const onSig = () => ac.abort();
        process.once('SIGINT', onSig);
        const label = provider.synthetic ? `${provider.name} (synthetic)` : provider.name;
        const summary = await downloadMarket(store, provider, {
          symbols,
          limit: flags.limit,
          start: flags.start,
          end: flags.end,
          maxFailed: flags.maxFailed,
          full: flags.full,
          progress: createProgress(`download ${label}`),
          signal: ac.signal,
        }).finally(() => process.off('SIGINT', onSig));
        if (flags.json) {
          printJson(summary);
        } else {
          const skipped = Object.entries(summary.skipped).map(([k, v]) => `${k} ${v}`).join(', ') || 'none';
          const lines = [
            `${label}: ${summary.symbols}/${summary.universe} symbols, ${summary.bars} bars written in ${summary.seconds}s`,
            `skipped rows: ${skipped}${summary.repaired ? `; repaired (rounding) ${summary.repaired}` : ''}`,
          ];
          if (summary.synthetic) lines.push('note: the demo market is SYNTHETIC (generated prices, not a real market)');
          for (const p of summary.problems.slice(0, 10)) lines.push(`  ${p}`);
          if (summary.problemCount > 10) lines.push(`  ... and ${summary.problemCount - 10} more problems (see --json)`);
          if (summary.failed.length) {
            lines.push(`failed ${summary.failed.length} (allowed ${summary.maxFailed}):`);
            for (const f of summary.failed.slice(0, 20)) lines.push(`  ${f.symbol}: ${f.error}`);
          }
          process.stdout.write(lines.join('\n') + '\n');
        }
        if (summary.interrupted) return ExitCode.interrupted;
        return summary.ok ? ExitCode.ok : ExitCode.failed;
      }),
    );

  data
    .command('list')
    .description('list the stored symbols')
    .option('--json', 'print JSON')
    .action(
      action(async (flags: { json?: boolean }, cmd: Command) => {
        const store = await openStore(cmd);
        const syms = store.listSymbols();
        if (flags.json) {
          printJson(syms.map((s) => ({ code: s.code, name: s.name, market: s.market, kind: s.kind, first: iso(s.first), last: iso(s.last), bars: s.bars, provider: s.provider, synthetic: s.synthetic })));
          return;
        }
        if (syms.length === 0) {
          process.stdout.write('no symbols stored yet: run `quantflow data download` (offline demo) or `--provider csv --source DIR`\n');
          return;
        }
        const out = [`${'code'.padEnd(10)} ${'kind'.padEnd(5)} ${'first'.padEnd(10)} ${'last'.padEnd(10)} ${'bars'.padStart(6)}  name`];
        for (const s of syms) {
          out.push(`${s.code.padEnd(10)} ${s.kind.padEnd(5)} ${iso(s.first).padEnd(10)} ${iso(s.last).padEnd(10)} ${String(s.bars).padStart(6)}  ${s.name}${s.synthetic && !s.name.includes('synthetic') ? ' (synthetic)' : ''}`);
        }
        const synth = syms.filter((s) => s.synthetic).length;
        out.push(`${syms.length} symbols${synth ? `, ${synth} synthetic (demo provider)` : ''}`);
        process.stdout.write(out.join('\n') + '\n');
      }),
    );

  data
    .command('show')
    .description("show a symbol's stored bars")
    .argument('<code>', 'e.g. sh.600000, 600000, AAPL')
    .option('--last <n>', 'only the last N bars (default 20)', intOption('--last'))
    .option('--json', 'print JSON')
    .action(
      action(async (codeArg: string, flags: { last?: number; json?: boolean }, cmd: Command) => {
        const { normalizeCode } = await import('../../market/codes.js');
        const store = await openStore(cmd);
        const code = normalizeCode(codeArg);
        const info = store.getSymbol(code);
        if (!info || info.bars === 0) throw badInput(`${code}: not in the store (see \`quantflow data list\`)`);
        const bars = store.readBars(code);
        const n = bars.dates.length;
        const last = flags.last ?? (flags.json ? n : 20);
        const from = Math.max(0, n - last);
        const rows = [];
        for (let i = from; i < n; i++) {
          rows.push({ date: iso(bars.dates[i]!), open: bars.open[i]!, high: bars.high[i]!, low: bars.low[i]!, close: bars.close[i]!, volume: bars.volume[i]! });
        }
        if (flags.json) {
          printJson({ code, name: info.name, market: info.market, kind: info.kind, provider: info.provider, synthetic: info.synthetic, adjust: info.adjust, first: iso(info.first), last: iso(info.last), bars: info.bars, rows });
          return;
        }
        const head = `${code} ${info.name}${info.synthetic && !info.name.includes('synthetic') ? ' (synthetic)' : ''}  ${info.kind}, ${info.bars} bars ${iso(info.first)} .. ${iso(info.last)}, provider ${info.provider}${info.synthetic ? ' (SYNTHETIC)' : ''}`;
        const out = [head, `${'date'.padEnd(10)} ${'open'.padStart(10)} ${'high'.padStart(10)} ${'low'.padStart(10)} ${'close'.padStart(10)} ${'volume'.padStart(14)}`];
        for (const r of rows) {
          out.push(`${r.date} ${r.open.toFixed(2).padStart(10)} ${r.high.toFixed(2).padStart(10)} ${r.low.toFixed(2).padStart(10)} ${r.close.toFixed(2).padStart(10)} ${String(r.volume).padStart(14)}`);
        }
        process.stdout.write(out.join('\n') + '\n');
      }),
    );

  data
    .command('quotes')
    .description('live quotes (price, change today, time) from eastmoney (A-shares) or yahoo (others)')
    .argument('<codes>', 'comma separated codes, e.g. sh.600000,AAPL')
    .option('--provider <name>', 'auto | demo | eastmoney | yahoo (auto: demo for synthetic stored symbols, eastmoney for A-shares, yahoo otherwise)', 'auto')
    .option('--json', 'print JSON')
    .action(
      action(async (codesArg: string, flags: { provider: string; json?: boolean }, cmd: Command) => {
        const { fetchQuotes } = await import('../../market/quotes.js');
        const { parseCodeList } = await import('../../market/codes.js');
        const codes = parseCodeList(codesArg);
        if (codes.length === 0) throw badInput('give at least one code');
        const store = await openStore(cmd);
        const res = await fetchQuotes(codes, { provider: flags.provider, store });
        if (flags.json) printJson(res);
        else {
          const out: string[] = [];
          for (const q of res.quotes) {
            const sign = q.change > 0 ? '+' : '';
            out.push(`${q.code.padEnd(10)} ${q.price.toFixed(2).padStart(10)} ${(sign + q.change.toFixed(2)).padStart(8)} ${(sign + q.changePct.toFixed(2) + '%').padStart(8)}  ${q.time}  ${q.name}${q.synthetic ? ' (synthetic)' : ''}`);
          }
          for (const f of res.failed) out.push(`${f.symbol.padEnd(10)} error: ${f.error}`);
          process.stdout.write(out.join('\n') + '\n');
        }
        return res.quotes.length > 0 || res.failed.length === 0 ? ExitCode.ok : ExitCode.failed;
      }),
    );
}
