/**
 * Line charts through asciichart, made safe: NaN gaps forward-filled (asciichart throws on NaN),
 * series downsampled to the width (it has no horizontal scaling), the height always set (its
 * default is the value range), a band for flat series, and colours only when the theme has them.
 */
import asciichart, { type PlotConfig } from 'asciichart';
import { plainTheme, type Theme } from './theme.js';
import { fit } from './text.js';

export interface LineSeries {
  label: string;
  values: ArrayLike<number>;
}

const COLORS = ['\x1b[33m', '\x1b[36m', '\x1b[35m', '\x1b[34m'];

function sanitize(v: ArrayLike<number>): number[] {
  const out: number[] = [];
  let last = NaN;
  for (let i = 0; i < v.length; i++) {
    const x = v[i]!;
    if (Number.isFinite(x)) last = x;
    out.push(last);
  }
  const firstFinite = out.findIndex((x) => Number.isFinite(x));
  if (firstFinite < 0) return [];
  for (let i = 0; i < firstFinite; i++) out[i] = out[firstFinite]!;
  return out;
}

/** Averages buckets so the series has at most `n` points. */
export function downsample(v: number[], n: number): number[] {
  if (v.length <= n || n <= 0) return v;
  const out: number[] = [];
  for (let b = 0; b < n; b++) {
    const from = Math.floor((b * v.length) / n);
    const to = Math.max(from + 1, Math.floor(((b + 1) * v.length) / n));
    let s = 0;
    for (let i = from; i < to; i++) s += v[i]!;
    out.push(s / (to - from));
  }
  return out;
}

export function renderLine(series: LineSeries[], opts: { width: number; height: number; theme?: Theme; legend?: boolean }): string[] {
  const theme = opts.theme ?? plainTheme;
  const width = Math.max(20, Math.floor(opts.width));
  const legendRows = opts.legend === false ? 0 : 1;
  const height = Math.max(2, Math.floor(opts.height) - legendRows);
  const clean = series.map((s) => sanitize(s.values)).filter((v) => v.length > 0);
  const out: string[] = [];
  if (legendRows) {
    const parts = series.map((s, i) => (theme.color ? `${COLORS[i % COLORS.length]}─\x1b[39m ${s.label}` : `${'─━┄┅'[i % 4]} ${s.label}`));
    out.push(fit(parts.join('  '), width));
  }
  if (clean.length === 0) {
    out.push(fit('(no data)', width));
    while (out.length < opts.height) out.push(' '.repeat(width));
    return out;
  }
  let min = Infinity;
  let max = -Infinity;
  for (const v of clean) for (const x of v) {
    if (x < min) min = x;
    if (x > max) max = x;
  }
  if (max - min < 1e-12) {
    const pad = Math.max(Math.abs(max) * 0.01, 0.01);
    min -= pad;
    max += pad;
  }
  const decimals = Math.max(Math.abs(min), Math.abs(max)) >= 1000 ? 0 : 2;
  const labelW = Math.max(Math.abs(min).toFixed(decimals).length, Math.abs(max).toFixed(decimals).length) + 1;
  const plotW = Math.max(2, width - labelW - 3);
  const points = clean.map((v) => downsample(v, plotW));
  const cfg: PlotConfig = {
    height: height - 1,
    min,
    max,
    offset: 2,
    padding: ' '.repeat(labelW),
    format: (x: number) => x.toFixed(decimals).padStart(labelW),
  };
  if (theme.color) cfg.colors = points.map((_, i) => COLORS[i % COLORS.length]!);
  const text = asciichart.plot(points, cfg);
  for (const l of text.split('\n')) out.push(fit(l, width));
  while (out.length < opts.height) out.push(' '.repeat(width));
  return out.slice(0, opts.height);
}

