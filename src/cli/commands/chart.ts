/**
 * `quantflow chart CODE`: the TUI's candlestick chart printed once, from the market store.
 */
import type { Command } from 'commander';
import { action, globals, intOption } from '../action.js';
import { badInput } from '../../core/errors.js';

interface ChartOpts {
  width?: number;
  height?: number;
  last?: number;
  period?: string;
  ma?: string;
  boll?: boolean;
  patterns?: boolean;
  upColor?: string;
}

export function register(program: Command): void {
  program
    .command('chart')
    .description('print the candlestick chart of a symbol from the market store')
    .argument('<code>', 'symbol code, e.g. 600000.SH')
    .option('--width <n>', 'columns (default: the terminal width, else 100)', intOption('--width'))
    .option('--height <n>', 'rows (default: the terminal height - 1, else 30)', intOption('--height'))
    .option('--last <n>', 'only the last N daily bars', intOption('--last'))
    .option('--period <p>', 'day | week | month | auto (weeks or months when the bars do not fit)', 'auto')
    .option('--ma <list>', 'moving averages, e.g. 5,20 (none: "")', '5,20')
    .option('--boll', 'Bollinger bands (20, 2)')
    .option('--no-patterns', 'do not mark candlestick patterns')
    .option('--up-color <c>', 'red (A-share convention) or green (US); else QUANTFLOW_UP_COLOR')
    .action(
      action(async (code: string, opts: ChartOpts, cmd: Command) => {
        const [{ resolveDbPath }, { openDb }, { MarketStore }, { renderCandles }, theme, { sliceBars }] = await Promise.all([
          import('../../core/config.js'),
          import('../../core/db.js'),
          import('../../market/store.js'),
          import('../../render/candles.js'),
          import('../../render/theme.js'),
          import('../../market/bars.js'),
        ]);
        if (opts.period && !['day', 'week', 'month', 'auto'].includes(opts.period)) throw badInput(`--period expects day, week, month or auto, got "${opts.period}"`);
        const g = globals(cmd);
        const db = openDb(resolveDbPath(g.db));
        const store = new MarketStore(db);
        const info = store.getSymbol(code) ?? store.getSymbol(code.toUpperCase());
        if (!info) throw badInput(`no symbol ${code} in the store (import data with \`quantflow data download\`)`);
        let bars = store.readBars(info.code);
        if (opts.last && opts.last < bars.dates.length) bars = sliceBars(bars, bars.dates.length - opts.last);
        const width = opts.width ?? process.stdout.columns ?? 100;
        const height = opts.height ?? (process.stdout.rows ? process.stdout.rows - 1 : 30);
        const overlays = (opts.ma ?? '')
          .split(',')
          .map((s) => Number(s.trim()))
          .filter((n) => Number.isInteger(n) && n > 1)
          .map((period) => ({ kind: 'ma' as const, period }));
        const all = [...overlays, ...(opts.boll ? [{ kind: 'boll' as const }] : [])];
        let markers: import('../../render/candles.js').Marker[] = [];
        let legend = '';
        if (opts.patterns !== false && bars.dates.length > 0) {
          const { computeAllPatterns } = await import('../../analysis/candles/index.js');
          const { patternHits, markersFromHits } = await import('../../render/markers.js');
          const hits = patternHits(computeAllPatterns(bars), bars.dates);
          markers = markersFromHits(hits);
          legend = hits
            .slice(0, 3)
            .map((h) => `${h.value > 0 ? '▲' : '▼'} ${h.name} ${String(h.date).replace(/(\d{4})(\d{2})(\d{2})/, '$1-$2-$3')}`)
            .join('  ');
        }
        const th = theme.makeTheme({
          color: theme.colorEnabled({ noColorFlag: g.color === false, isTTY: Boolean(process.stdout.isTTY) }),
          convention: opts.upColor ? (opts.upColor.startsWith('g') ? 'green-up' : 'red-up') : theme.conventionFromEnv(),
        });
        const title = `${info.code} ${info.name}${info.synthetic ? ' (synthetic demo data)' : ''}`;
        const lines = renderCandles(bars, {
          width,
          height: legend ? height - 1 : height,
          theme: th,
          overlays: all,
          markers,
          period: (opts.period ?? 'auto') as 'auto',
          title,
        });
        process.stdout.write(lines.map((l) => l.trimEnd()).join('\n') + '\n');
        if (legend) process.stdout.write(`patterns: ${legend}\n`);
      }),
    );
}
