/**
 * Tables with a header row: column widths fit the given width (fixed columns keep their width,
 * flexible ones share the rest), cells cut with `…`, numbers right-aligned, the selected row
 * marked with `›` (and inverse when colour is on).
 */
import { plainTheme, type Theme } from './theme.js';
import { fit, visibleWidth } from './text.js';

export interface Column {
  title: string;
  align?: 'left' | 'right';
  /** Fixed width; else the widest cell, capped by `max`, shrunk to fit. */
  width?: number;
  max?: number;
  /** Flexible columns take leftover space (default: the last left-aligned column). */
  flex?: boolean;
}

export interface TableOptions {
  width: number;
  theme?: Theme;
  selected?: number;
  /** Rows [offset, offset+limit) are shown (windowing). */
  offset?: number;
  limit?: number;
  header?: boolean;
}

export function columnWidths(cols: Column[], rows: string[][], width: number): number[] {
  const avail = width - 2 - (cols.length - 1); // pointer + separators
  const natural = cols.map((c, i) => {
    if (c.width !== undefined) return c.width;
    let w = visibleWidth(c.title);
    for (const r of rows) w = Math.max(w, visibleWidth(r[i] ?? ''));
    return Math.min(w, c.max ?? 60);
  });
  let total = natural.reduce((a, b) => a + b, 0);
  const widths = [...natural];
  // Shrink the widest flexible-or-unfixed columns until it fits.
  while (total > avail) {
    let k = -1;
    for (let i = 0; i < cols.length; i++) if (cols[i]!.width === undefined && widths[i]! > 4 && (k < 0 || widths[i]! > widths[k]!)) k = i;
    if (k < 0) break;
    widths[k]!--;
    total--;
  }
  if (total < avail) {
    let k = cols.findIndex((c) => c.flex);
    if (k < 0) for (let i = cols.length - 1; i >= 0; i--) if ((cols[i]!.align ?? 'left') === 'left' && cols[i]!.width === undefined) { k = i; break; }
    if (k >= 0) widths[k] = widths[k]! + (avail - total);
  }
  return widths;
}

export function renderTable(cols: Column[], rows: string[][], opts: TableOptions): string[] {
  const theme = opts.theme ?? plainTheme;
  const widths = columnWidths(cols, rows, opts.width);
  const out: string[] = [];
  const fmtRow = (cells: string[]) => cells.map((c, i) => fit(c ?? '', widths[i]!, cols[i]!.align ?? 'left')).join(' ');
  if (opts.header !== false) out.push(fit('  ' + theme.paint('title', fmtRow(cols.map((c) => c.title))), opts.width));
  const from = opts.offset ?? 0;
  const to = Math.min(rows.length, from + (opts.limit ?? rows.length));
  for (let r = from; r < to; r++) {
    const sel = r === opts.selected;
    const body = fmtRow(rows[r]!);
    out.push(fit((sel ? '› ' : '  ') + (sel ? theme.paint('sel', body) : body), opts.width));
  }
  return out;
}
