import type { State } from '../state.js';
import { filteredSymbols, listHeight } from '../state.js';
import { renderTable } from '../../render/table.js';
import { renderCandleChart, type Overlay } from '../../render/candles.js';
import type { OhlcvSeries } from '../../render/resample.js';
import { patternHits, markersFromHits } from '../../render/markers.js';
import { fit, formatDate } from '../../render/text.js';
import { frameLines, scrollCue, type ViewCtx } from './common.js';

export interface ChartData {
  code: string;
  name: string;
  bars: OhlcvSeries;
  patterns?: Record<string, ArrayLike<number>>;
}

/** Patterns that fire on more than 10% of the bars (spinning tops, short lines...) would mark nearly every candle: leave them out. */
const notableCache = new WeakMap<object, Record<string, ArrayLike<number>>>();

export function notable(patterns: Record<string, ArrayLike<number>>): Record<string, ArrayLike<number>> {
  const hit = notableCache.get(patterns);
  if (hit) return hit;
  const out: Record<string, ArrayLike<number>> = {};
  for (const [name, v] of Object.entries(patterns)) {
    let n = 0;
    for (let i = 0; i < v.length; i++) if (v[i] !== 0) n++;
    if (n <= v.length * 0.1) out[name] = v;
  }
  notableCache.set(patterns, out);
  return out;
}

/** Width of the symbol list beside the chart (wide terminals) or 0 (stacked above it). */
export function marketListWidth(width: number): number {
  return width >= 120 ? 38 : 0;
}

export function chartLines(s: State, data: ChartData | undefined, ctx: ViewCtx, width: number, height: number): { lines: string[]; view?: ReturnType<typeof renderCandleChart>['view'] } {
  const { theme } = ctx;
  if (!data) return { lines: frameLines([s.market.loading ?? 'no symbol selected'], width, height) };
  const m = s.market;
  const overlays: Overlay[] = [];
  if (m.ma) overlays.push({ kind: 'ma', period: 5 }, { kind: 'ma', period: 20 });
  if (m.boll) overlays.push({ kind: 'boll', period: 20, k: 2 });
  const n = data.bars.dates.length;
  const end = Math.max(1, n - m.panBack);
  const hits = data.patterns ? patternHits(notable(data.patterns), data.bars.dates, 0, end) : [];
  const legendRows = 2;
  const { lines, view } = renderCandleChart(data.bars, {
    width,
    height: height - legendRows,
    theme,
    overlays,
    markers: markersFromHits(hits),
    period: m.period,
    end,
    title: `${data.code} ${data.name}${m.synthetic && !/synthetic/i.test(data.name) ? ' (synthetic)' : ''}`,
  });
  const visible = hits.filter((h) => h.index >= view.firstIndex && h.index < view.endIndex);
  const list = visible.slice(0, 6).map((h) => `${h.value > 0 ? theme.paint('bull', '▲') : theme.paint('bear', '▼')} ${h.name.replace(/^CDL/, '')} ${formatDate(h.date).slice(5)}`);
  const legend = [
    fit(`patterns: ${visible.length ? list.join('  ') : 'none in view'}${visible.length > 6 ? ` +${visible.length - 6}` : ''}`, width),
    fit(theme.paint('dim', `${view.period} · ${formatDate(data.bars.dates[view.firstIndex] ?? 0)}..${formatDate(data.bars.dates[Math.max(0, view.endIndex - 1)] ?? 0)} · ${n} bars · ←/h →/l pan · +/- zoom · m MA · b BOLL`), width),
  ];
  return { lines: [...lines, ...legend], view };
}

export function marketView(s: State, ctx: ViewCtx, data: ChartData | undefined): string[] {
  const { theme, width, height } = ctx;
  const m = s.market;
  if (m.symbols.length === 0) return frameLines([m.loading ?? 'The market store is empty: `quantflow data download` fills it.'], width, height);
  const list = filteredSymbols(m);
  const rows = list.map((x) => [x.code, x.name, Number.isFinite(x.close) ? x.close.toFixed(2) : '-', theme.paint(x.change >= 0 ? 'up' : 'down', `${x.change >= 0 ? '+' : ''}${x.change.toFixed(2)}%`)]);
  const cols = [{ title: 'code', width: 10 }, { title: 'name', flex: true }, { title: 'close', align: 'right' as const, width: 8 }, { title: 'chg', align: 'right' as const, width: 7 }];
  const lw = marketListWidth(width);
  const head = `${m.synthetic ? theme.paint('warn', 'SYNTHETIC demo · ') : ''}${m.filter ? `/${m.filter} ` : ''}sort: ${m.sort} (o) · ${scrollCue(m.top, listHeight(s, 'market'), list.length)}`;
  if (lw > 0) {
    const left = frameLines([fit(head, lw), ...renderTable(cols, rows, { width: lw, theme, selected: m.sel, offset: m.top, limit: listHeight(s, 'market') })], lw, height);
    const right = chartLines(s, data, ctx, width - lw - 1, height).lines;
    return left.map((l, i) => l + theme.paint('dim', '│') + (right[i] ?? ''));
  }
  const listRows = 4;
  const top = Math.max(0, Math.min(m.sel - 1, list.length - listRows));
  const table = renderTable(cols, rows, { width, theme, selected: m.sel, offset: top, limit: listRows, header: false });
  const chart = chartLines(s, data, ctx, width, height - listRows - 1).lines;
  return frameLines([fit(head, width), ...frameLines(table, width, listRows), ...chart], width, height);
}
