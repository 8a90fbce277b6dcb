import { describe, it, expect } from 'vitest';
import { renderLine } from '../../src/render/line.js';
import { renderTable } from '../../src/render/table.js';
import { colorEnabled, makeTheme } from '../../src/render/theme.js';
import { visibleWidth, truncate, fit, formatDuration, progressBar } from '../../src/render/text.js';
import { patternHits, markersFromHits } from '../../src/render/markers.js';

describe('text', () => {
  it('counts Chinese names as two columns and truncates with an ellipsis', () => {
    expect(visibleWidth('浦发银行')).toBe(8);
    expect(visibleWidth('\x1b[31mab\x1b[39m')).toBe(2);
    expect(truncate('abcdefgh', 5)).toBe('abcd…');
    expect(visibleWidth(fit('浦发银行ABC', 7))).toBe(7);
    expect(formatDuration(65_000)).toBe('1m05s');
    expect(progressBar(0.5, 4)).toBe('██░░');
  });
});

describe('colour decision', () => {
  it('honours --no-color, NO_COLOR, FORCE_COLOR and TERM=dumb before the TTY', () => {
    expect(colorEnabled({ env: {}, isTTY: true })).toBe(true);
    expect(colorEnabled({ env: {}, isTTY: false })).toBe(false);
    expect(colorEnabled({ env: { NO_COLOR: '1' }, isTTY: true })).toBe(false);
    expect(colorEnabled({ env: { FORCE_COLOR: '1' }, isTTY: false })).toBe(true);
    expect(colorEnabled({ env: { FORCE_COLOR: '0' }, isTTY: true })).toBe(false);
    expect(colorEnabled({ env: { TERM: 'dumb' }, isTTY: true })).toBe(false);
    expect(colorEnabled({ env: { FORCE_COLOR: '1' }, isTTY: true, noColorFlag: true })).toBe(false);
    expect(makeTheme({ color: false }).paint('err', 'x')).toBe('x');
  });
});

describe('line chart', () => {
  it('survives NaN gaps and flat series and keeps to the size asked', () => {
    const v = [1, 2, NaN, 4, 5, NaN, 3];
    const lines = renderLine([{ label: 'equity', values: v }, { label: 'base', values: [2, 2, 2, 2, 2, 2, 2] }], { width: 50, height: 10 });
    expect(lines).toHaveLength(10);
    for (const l of lines) expect(visibleWidth(l)).toBe(50);
    expect(lines[0]).toContain('equity');
    const flat = renderLine([{ label: 'x', values: new Array(500).fill(3000) }], { width: 60, height: 8 });
    expect(flat).toHaveLength(8);
    expect(flat.every((l) => visibleWidth(l) === 60)).toBe(true);
  });

  it('downsamples long series to the width', () => {
    const v = Array.from({ length: 5000 }, (_, i) => Math.sin(i / 100) * 100 + 3000);
    const lines = renderLine([{ label: 'close', values: v }], { width: 80, height: 12 });
    expect(lines.every((l) => visibleWidth(l) === 80)).toBe(true);
    expect(lines.join('').match(/[╭╮╰╯─│]/g)!.length).toBeGreaterThan(60);
  });
});

describe('table', () => {
  it('fits the width, right-aligns numbers, cuts long cells and marks the selection', () => {
    const lines = renderTable(
      [{ title: 'code' }, { title: 'name', flex: true }, { title: 'close', align: 'right' }],
      [
        ['600000.SH', '浦发银行', '9.00'],
        ['000001.SZ', 'a very long company name that will not fit in the space', '12.34'],
      ],
      { width: 40, selected: 1 },
    );
    expect(lines).toHaveLength(3);
    for (const l of lines) expect(visibleWidth(l)).toBe(40);
    expect(lines[2]!.startsWith('› 000001.SZ')).toBe(true);
    expect(lines[2]).toContain('…');
    expect(lines[1]!.trimEnd().endsWith(' 9.00')).toBe(true);
  });
});

describe('pattern markers', () => {
  it('turns +100/-100 outputs into markers, newest hits first', () => {
    const dates = [20240102, 20240103, 20240104];
    const hits = patternHits({ CDLDOJI: Int32Array.from([0, 100, 0]), CDLENGULFING: Int32Array.from([0, -100, -100]) }, dates);
    expect(hits.map((h) => [h.name, h.date])).toEqual([
      ['CDLENGULFING', 20240104],
      ['CDLDOJI', 20240103],
      ['CDLENGULFING', 20240103],
    ]);
    expect(markersFromHits(hits).sort((a, b) => a.index - b.index)).toEqual([
      { index: 1, kind: 'both' },
      { index: 2, kind: 'bearish' },
    ]);
  });
});
