import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderCandles, renderCandleChart } from '../../src/render/candles.js';
import { resample } from '../../src/render/resample.js';
import { makeTheme } from '../../src/render/theme.js';
import { visibleWidth, stripAnsi } from '../../src/render/text.js';
import { csi300Dir } from '../support/fs.js';

function series(rows: [number, number, number, number, number, number][]) {
  return {
    dates: Int32Array.from(rows.map((r) => r[0])),
    open: Float64Array.from(rows.map((r) => r[1])),
    high: Float64Array.from(rows.map((r) => r[2])),
    low: Float64Array.from(rows.map((r) => r[3])),
    close: Float64Array.from(rows.map((r) => r[4])),
    volume: Float64Array.from(rows.map((r) => r[5])),
  };
}

export function loadCsv(code: string) {
  const txt = readFileSync(join(csi300Dir, 'daily', `${code}.csv`), 'utf8').trim().split('\n');
  const head = txt[0]!.split(',');
  const rows = txt.slice(1).map((l) => l.split(',')).filter((r) => Number(r[head.indexOf('volume')]) > 0);
  const col = (n: string) => Float64Array.from(rows.map((r) => Number(r[head.indexOf(n)])));
  return {
    dates: Int32Array.from(rows.map((r) => Number(r[head.indexOf('date')]!.replace(/-/g, '')))),
    open: col('open'),
    high: col('high'),
    low: col('low'),
    close: col('close'),
    volume: col('volume'),
  };
}

describe('candlestick chart', () => {
  it('tells up from down candles without colour: hollow double lines vs filled heavy lines', () => {
    // Fri, Mon: an up candle (10 -> 12) then a down candle (12 -> 10), over a weekend.
    const s = series([
      [20240105, 10, 12.5, 9.5, 12, 100],
      [20240108, 12, 12.5, 9.5, 10, 200],
    ]);
    const lines = renderCandles(s, { width: 40, height: 14 });
    const plot = lines.slice(2, 2 + 9).map((l) => l.slice(8, 10));
    const upCol = plot.map((p) => p[0]).join('');
    const downCol = plot.map((p) => p[1]).join('');
    expect(upCol).toMatch(/║/);
    expect(upCol).not.toMatch(/┃/);
    expect(downCol).toMatch(/┃/);
    expect(downCol).not.toMatch(/║/);
    // Wicks above and below both bodies.
    expect(upCol.trim()[0]).toMatch(/[│╵╷]/);
    expect(downCol.trim().slice(-1)).toMatch(/[│╵╷]/);
    // Weekend collapsed: the two candles are in adjacent columns.
    expect(lines.every((l) => visibleWidth(l) === 40)).toBe(true);
    expect(lines).toHaveLength(14);
  });

  it('uses half cells: a body covering the top half of a row ends in a half glyph', () => {
    const s = series([
      [20240102, 0, 10, 0, 10, 1],
      [20240103, 10, 10, 4.9, 5.7, 1],
    ]);
    const lines = renderCandles(s, { width: 30, height: 13 }); // 8 price rows -> 16 half steps
    const col = lines.slice(2, 10).map((l) => [...l][9]).join('');
    expect(col).toMatch(/[╹╻╽╿]/);
  });

  it('colours by convention: red-up by default, green-up on request', () => {
    const s = series([
      [20240102, 10, 11, 9, 11, 1],
      [20240103, 11, 11, 9, 10, 1],
    ]);
    const red = renderCandles(s, { width: 30, height: 12, theme: makeTheme({ color: true }) }).join('\n');
    expect(red).toContain('\x1b[31m║');
    expect(red).toContain('\x1b[32m┃');
    const green = renderCandles(s, { width: 30, height: 12, theme: makeTheme({ color: true }), upColorConvention: 'green-up' }).join('\n');
    expect(green).toContain('\x1b[32m║');
    expect(green).toContain('\x1b[31m┃');
    expect(renderCandles(s, { width: 30, height: 12 }).join('')).not.toContain('\x1b');
  });

  it('renders real CSI 300 bars: exact size, price labels, volume pane, dates, markers, overlays', () => {
    const s = loadCsv('sh.600000');
    const n = s.dates.length;
    const { lines, view } = renderCandleChart(s, {
      width: 100,
      height: 30,
      period: 'day',
      overlays: [{ kind: 'ma', period: 5 }, { kind: 'boll' }],
      markers: [{ index: n - 1, kind: 'bullish' }, { index: n - 10, kind: 'bearish' }],
    });
    expect(lines).toHaveLength(30);
    for (const l of lines) expect(visibleWidth(l)).toBe(100);
    expect(view.period).toBe('day');
    expect(view.endIndex).toBe(n);
    expect(view.endIndex - view.firstIndex).toBe(view.plotWidth);
    // The last close is printed in the header.
    expect(lines[0]).toContain(`C ${s.close[n - 1]!.toFixed(2)}`);
    expect(lines[0]).toContain('MA5');
    expect(lines[0]).toContain('BOLL20');
    // Marker row: the bullish one over the last column, the bearish 9 columns earlier.
    const marker = lines[1]!;
    expect(marker.trimEnd().endsWith('▲')).toBe(true);
    expect([...marker][[...marker.trimEnd()].length - 10]).toBe('▼');
    // Price labels bracket the visible range, volume pane and date axis present.
    const labels = lines.slice(2).map((l) => /^\s*([\d.]+) ┤/.exec(l)?.[1]).filter(Boolean).map(Number);
    expect(labels.length).toBeGreaterThanOrEqual(4);
    expect(Math.max(...labels)).toBeLessThanOrEqual(view.max);
    expect(Math.min(...labels)).toBeGreaterThanOrEqual(view.min);
    expect(lines.some((l) => l.includes('vol │'))).toBe(true);
    const axis = lines[29]!;
    expect(axis).toMatch(/└\d{4}-\d{2}-\d{2}/);
  });

  it('resamples to weeks when zoomed out and pans with `end`', () => {
    const s = loadCsv('sh.600000');
    const weeks = resample(s, 'week');
    expect(weeks.dates.length).toBeLessThan(s.dates.length / 4);
    expect(weeks.dates.length).toBeGreaterThan(s.dates.length / 6);
    // Weekly OHLC: open of the first day, max high, min low, close of the last day.
    const i = 10;
    const from = weeks.first[i]!;
    const to = weeks.first[i + 1]!;
    expect(weeks.open[i]).toBe(s.open[from]);
    expect(weeks.close[i]).toBe(s.close[to - 1]);
    expect(weeks.high[i]).toBe(Math.max(...s.high.subarray(from, to)));
    expect(weeks.volume[i]).toBeCloseTo(s.volume.subarray(from, to).reduce((a, b) => a + b, 0));
    const auto = renderCandleChart(s, { width: 80, height: 20 });
    expect(auto.view.period).not.toBe('day');
    const panned = renderCandleChart(s, { width: 80, height: 20, period: 'day', end: 500 });
    expect(panned.view.endIndex).toBe(500);
    expect(stripAnsi(panned.lines[0]!)).toContain(String(s.dates[499]).slice(0, 4));
  });
});
