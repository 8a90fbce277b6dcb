/**
 * The candlestick chart: one candle per column, two vertical steps per cell (half-block box
 * drawing, after Julien-R44/cli-candlestick-chart), a volume pane, price labels, a date axis with
 * gaps collapsed (one column per traded period), moving-average and Bollinger overlays, and a
 * marker row for pattern hits. Up candles are hollow (double lines), down candles filled (heavy
 * lines), so they differ without colour; colours follow the red-up or green-up convention.
 */
import { resample, sma, bollinger, type OhlcvSeries, type DenseSeries, type Period } from './resample.js';
import { paintRuns, plainTheme, makeTheme, type Theme, type Token, type UpColorConvention } from './theme.js';
import { fit, compactNumber, formatDate, visibleWidth } from './text.js';

export type Overlay = { kind: 'ma'; period: number } | { kind: 'boll'; period?: number; k?: number };
export type MarkerKind = 'bullish' | 'bearish' | 'neutral' | 'both';
export interface Marker {
  /** Index of the bar in the source (daily) series. */
  index: number;
  kind: MarkerKind;
  label?: string;
}

export interface CandleOptions {
  width: number;
  height: number;
  theme?: Theme;
  /** Overrides the theme's convention (the theme's colour setting is kept). */
  upColorConvention?: UpColorConvention;
  overlays?: Overlay[];
  markers?: Marker[];
  /** 'auto' picks days, else weeks, else months: the first that fits the width. */
  period?: Period | 'auto';
  /** Exclusive index into the source of the last bar shown (pan); default all. */
  end?: number;
  title?: string;
}

export interface CandleView {
  period: Period;
  /** Source indexes covered: [firstIndex, endIndex). */
  firstIndex: number;
  endIndex: number;
  columns: number;
  plotWidth: number;
  min: number;
  max: number;
}

export const MA_GLYPHS = ['·', '•', '∘'] as const;
const BAND_GLYPH = '┈';
const MARKER_GLYPH: Record<MarkerKind, string> = { bullish: '▲', bearish: '▼', neutral: '◆', both: '◆' };

type Half = 0 | 1 | 2; // none, wick, body
const FILLED: Record<string, string> = { '22': '┃', '02': '╹', '20': '╻', '12': '╿', '21': '╽' };
const HOLLOW: Record<string, string> = { '22': '║', '02': '╨', '12': '╨', '20': '╥', '21': '╥' };
const WICK: Record<string, string> = { '11': '│', '10': '╷', '01': '╵' };

function candleGlyph(lower: Half, upper: Half, up: boolean): string {
  const k = `${lower}${upper}`;
  if (lower === 2 || upper === 2) return (up ? HOLLOW : FILLED)[k] ?? (up ? '║' : '┃');
  return WICK[k] ?? ' ';
}

function formatPrice(p: number, decimals: number): string {
  return p.toFixed(decimals);
}

interface Cell {
  ch: string;
  tok?: Token;
}


function choosePeriod(s: OhlcvSeries, end: number, plotW: number, want: Period | 'auto'): { period: Period; dense: DenseSeries } {
  if (want !== 'auto') return { period: want, dense: resample(s, want, 0, end) };
  for (const p of ['day', 'week', 'month'] as const) {
    const dense = resample(s, p, 0, end);
    if (dense.dates.length <= plotW || p === 'month') return { period: p, dense };
  }
  throw new Error('unreachable');
}

/** Index of the dense row covering source bar `i` (rows are sorted by `first`). */
function rowOfSource(first: Int32Array, i: number): number {
  let lo = 0;
  let hi = first.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (first[mid]! <= i) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

export function renderCandleChart(s: OhlcvSeries, opts: CandleOptions): { lines: string[]; view: CandleView } {
  const width = Math.max(20, Math.floor(opts.width));
  const height = Math.max(8, Math.floor(opts.height));
  const base = opts.theme ?? plainTheme;
  const theme = opts.upColorConvention ? makeTheme({ color: base.color, convention: opts.upColorConvention }) : base;
  const n = s.dates.length;
  const end = Math.max(0, Math.min(n, opts.end ?? n));
  const volRows = height >= 16 ? Math.max(2, Math.round((height - 3) * 0.2)) : 2;
  const priceRows = height - 3 - volRows;

  // A first guess at the axis width from the whole range, refined after the visible range is known.
  let maxAll = 0;
  for (let i = 0; i < end; i++) if (s.high[i]! > maxAll) maxAll = s.high[i]!;
  const decimals = maxAll >= 10000 ? 0 : 2;
  const labelW = Math.max(6, formatPrice(maxAll, decimals).length);
  const axisW = labelW + 2;
  const plotW = width - axisW;

  const { period, dense } = choosePeriod(s, end, plotW, opts.period ?? 'auto');
  const rows = dense.dates.length;
  const start = Math.max(0, rows - plotW);
  const cols = rows - start;

  let min = Infinity;
  let max = -Infinity;
  let maxVol = 0;
  for (let i = start; i < rows; i++) {
    if (dense.low[i]! < min) min = dense.low[i]!;
    if (dense.high[i]! > max) max = dense.high[i]!;
    if (dense.volume[i]! > maxVol) maxVol = dense.volume[i]!;
  }
  if (!Number.isFinite(min)) {
    min = 0;
    max = 1;
  }
  if (max - min < 1e-9) {
    const pad = Math.max(Math.abs(max) * 0.01, 0.01);
    min -= pad;
    max += pad;
  }
  const halves = priceRows * 2;
  const hOf = (p: number): number => {
    const h = Math.floor(((p - min) / (max - min)) * halves);
    return h < 0 ? 0 : h >= halves ? halves - 1 : h;
  };

  // Grid of cells, rows top to bottom.
  const grid: Cell[][] = [];
  for (let r = 0; r < priceRows; r++) grid.push(Array.from({ length: plotW }, () => ({ ch: ' ' })));

  // Overlays first, candles drawn over them.
  const legend: string[] = [];
  let maIdx = 0;
  const drawLine = (values: Float64Array, glyph: string, tok: Token) => {
    for (let c = 0; c < cols; c++) {
      const v = values[start + c]!;
      if (!Number.isFinite(v) || v < min || v > max) continue;
      const r = priceRows - 1 - (hOf(v) >> 1);
      grid[r]![c] = { ch: glyph, tok };
    }
  };
  for (const ov of opts.overlays ?? []) {
    if (ov.kind === 'ma') {
      const glyph = MA_GLYPHS[maIdx % MA_GLYPHS.length]!;
      const tok = (['ma1', 'ma2', 'ma3'] as const)[maIdx % 3]!;
      maIdx++;
      drawLine(sma(dense.close, ov.period), glyph, tok);
      legend.push(theme.paint(tok, `MA${ov.period}${glyph}`));
    } else {
      const p = ov.period ?? 20;
      const b = bollinger(dense.close, p, ov.k ?? 2);
      drawLine(b.upper, BAND_GLYPH, 'band');
      drawLine(b.lower, BAND_GLYPH, 'band');
      legend.push(theme.paint('band', `BOLL${p}${BAND_GLYPH}`));
    }
  }

  for (let c = 0; c < cols; c++) {
    const i = start + c;
    const o = dense.open[i]!;
    const cl = dense.close[i]!;
    const up = cl >= o;
    const tok: Token = up ? 'up' : 'down';
    const hLo = hOf(dense.low[i]!);
    const hHi = hOf(dense.high[i]!);
    const bLo = hOf(Math.min(o, cl));
    const bHi = hOf(Math.max(o, cl));
    const kind = (h: number): Half => (h >= bLo && h <= bHi ? 2 : h >= hLo && h <= hHi ? 1 : 0);
    for (let rb = hLo >> 1; rb <= hHi >> 1; rb++) {
      const lower = kind(rb * 2);
      const upper = kind(rb * 2 + 1);
      if (lower === 0 && upper === 0) continue;
      grid[priceRows - 1 - rb]![c] = { ch: candleGlyph(lower, upper, up), tok };
    }
  }

  // Markers.
  const markerRow: Cell[] = Array.from({ length: plotW }, () => ({ ch: ' ' }));
  const firstVisibleSource = cols > 0 ? dense.first[start]! : 0;
  for (const m of opts.markers ?? []) {
    if (m.index < firstVisibleSource || m.index >= end) continue;
    const c = rowOfSource(dense.first, m.index) - start;
    if (c < 0 || c >= cols) continue;
    const prev = markerRow[c]!;
    let kind = m.kind;
    if (prev.ch !== ' ' && prev.ch !== MARKER_GLYPH[kind]) kind = 'both';
    markerRow[c] = { ch: MARKER_GLYPH[kind], tok: kind === 'bullish' ? 'bull' : kind === 'bearish' ? 'bear' : 'warn' };
  }

  const out: string[] = [];
  // Header.
  const li = rows - 1;
  let head = opts.title ? theme.paint('title', opts.title) + '  ' : '';
  if (rows > 0) {
    const prevClose = li > 0 ? dense.close[li - 1]! : dense.open[li]!;
    const chg = prevClose ? ((dense.close[li]! - prevClose) / prevClose) * 100 : 0;
    const f = (p: number) => formatPrice(p, decimals);
    head +=
      `${formatDate(dense.dates[li]!)} O ${f(dense.open[li]!)} H ${f(dense.high[li]!)} L ${f(dense.low[li]!)} C ${f(dense.close[li]!)} ` +
      theme.paint(chg >= 0 ? 'up' : 'down', `${chg >= 0 ? '+' : ''}${chg.toFixed(2)}%`) +
      `  [${period}]`;
  } else head += 'no bars';
  if (legend.length) head += '  ' + legend.join(' ');
  out.push(fit(head, width));
  out.push(fit(' '.repeat(axisW) + paintRuns(markerRow, theme), width));

  const labelEvery = priceRows >= 12 ? 4 : 3;
  for (let r = 0; r < priceRows; r++) {
    const rb = priceRows - 1 - r;
    const labelled = r % labelEvery === 0 || r === priceRows - 1;
    const price = min + ((rb * 2 + 1) / halves) * (max - min);
    const axis = labelled ? `${formatPrice(price, decimals).padStart(labelW)} ┤` : `${' '.repeat(labelW)} │`;
    out.push(fit(theme.paint('dim', axis) + paintRuns(grid[r]!, theme), width));
  }

  // Volume pane.
  const vHalves = volRows * 2;
  for (let r = 0; r < volRows; r++) {
    const rb = volRows - 1 - r;
    const cells: Cell[] = Array.from({ length: plotW }, () => ({ ch: ' ' }));
    for (let c = 0; c < cols; c++) {
      const i = start + c;
      const v = dense.volume[i]!;
      const h = maxVol > 0 ? Math.round((v / maxVol) * vHalves) : 0;
      const filled = Math.max(0, Math.min(2, h - rb * 2));
      if (filled === 0) continue;
      const up = dense.close[i]! >= dense.open[i]!;
      cells[c] = { ch: filled === 2 ? (up ? '║' : '┃') : up ? '╥' : '╻', tok: up ? 'up' : 'down' };
    }
    const axis = r === 0 ? `${compactNumber(maxVol).padStart(labelW)} ┤` : `${(r === volRows - 1 ? 'vol' : '').padStart(labelW)} │`;
    out.push(fit(theme.paint('dim', axis) + paintRuns(cells, theme), width));
  }

  // Date axis: a label where the month (days, weeks) or the year (months) changes, never overlapping.
  let axisLine = '';
  let col = 0;
  let lastKey = -1;
  for (let c = 0; c < cols; c++) {
    const d = dense.dates[start + c]!;
    const key = period === 'month' ? Math.floor(d / 10000) : Math.floor(d / 100);
    const isChange = key !== lastKey;
    lastKey = key;
    if (c < col || !(isChange || c === 0)) continue;
    const label = period === 'month' ? formatDate(d).slice(0, 7) : formatDate(d);
    if (c + label.length > plotW) continue;
    axisLine += ' '.repeat(c - visibleWidth(axisLine)) + label;
    col = c + label.length + 2;
  }
  out.push(fit(theme.paint('dim', `${' '.repeat(labelW)} └`) + axisLine, width));

  return {
    lines: out,
    view: {
      period,
      firstIndex: cols > 0 ? dense.first[start]! : 0,
      endIndex: end,
      columns: cols,
      plotWidth: plotW,
      min,
      max,
    },
  };
}

/** `(bars, {width, height, theme, ...}) => lines`: exactly `height` lines of `width` columns. */
export function renderCandles(s: OhlcvSeries, opts: CandleOptions): string[] {
  return renderCandleChart(s, opts).lines;
}
