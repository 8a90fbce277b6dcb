/** The analysis CLI (`signals`, `features`, `features export`, `patterns`) as a user runs it, on real CSI 300 bars. */
import { readFileSync, writeFileSync, existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { csi300Dir, tempDir } from '../support/fs.js';

describe('quantflow signals / features / patterns', () => {
  const tmp = tempDir('qf-cli-an-');
  const db = join(tmp.dir, 'q.db');
  const run = (...args: string[]) => runCli(['--db', db, ...args], { cwd: tmp.dir });
  afterAll(() => tmp.cleanup());

  beforeAll(() => {
    const r = run('data', 'download', '--provider', 'csv', '--source', csi300Dir, '--symbols', 'sh.600000,sz.000001,sh.000300');
    expect(r.status, r.stderr).toBe(0);
  });

  it('signals: computes ma_cross for the stocks (not the index), then has nothing left to do', () => {
    let r = run('signals', '--json');
    expect(r.status, r.stderr).toBe(0);
    const sum = JSON.parse(r.stdout);
    expect(sum.signals.ma_cross).toMatchObject({ full: 2, append: 0, skip: 0 });
    expect(sum.stored[0]).toMatchObject({ name: 'ma_cross', symbols: 2 });
    expect(sum.stored[0].buys).toBeGreaterThan(200);
    r = run('signals');
    expect(r.stdout).toMatch(/^ma_cross: 0 stocks computed \(0 in full, 0 new days only\), 2 up to date; \d+ buy signals stored over \d+ stock-days$/m);
    r = run('signals', '--name', 'ma_up', '--json');
    expect(JSON.parse(r.stdout).signals).toEqual({ ma_up: expect.objectContaining({ full: 2 }) });
  });

  it('features: the default config (workflows/feature_signal.txt) computes ma, bbands, talib_pattern, kbar', () => {
    let r = run('features', '--json');
    expect(r.status, r.stderr).toBe(0);
    const sum = JSON.parse(r.stdout);
    expect(Object.keys(sum.features)).toEqual(['ma', 'bbands', 'talib_pattern', 'kbar']);
    expect(sum.features.ma).toMatchObject({ columns: 48, full: 3 });
    expect(sum.features.talib_pattern).toMatchObject({ columns: 61, full: 3 });
    r = run('features', '--name', 'kbar');
    expect(r.stdout).toMatch(/^kbar: 9 columns; 0 stocks in full, 0 new days only, 3 up to date$/m);
  });

  it('features with a YAML config and a tulind indicator', () => {
    writeFileSync(join(tmp.dir, 'fs.yaml'), 'features:\n  - {indicator: rsi, options: [14]}\n');
    const r = run('features', '--config', 'fs.yaml', '--json');
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).features.indicator).toMatchObject({ columns: 1, full: 3 });
  });

  it('features export writes code,date,<columns> with ISO dates and integer pattern columns', () => {
    const out = join(tmp.dir, 'x.csv');
    const r = run('features', 'export', '--symbols', 'sh.600000,sz.000001', '--columns', 'ma_5,CDLDOJI,rsi_14', '--from', '2021-09-01', '--to', '2021-09-30', '--out', out);
    expect(r.status, r.stderr).toBe(0);
    const lines = readFileSync(out, 'utf8').trim().split('\n');
    expect(lines[0]).toBe('code,date,ma_5,CDLDOJI,rsi_14');
    const rows = lines.slice(1).map((l) => l.split(','));
    expect(rows.length).toBe(2 * 20); // 20 September 2021 trading days each
    expect(rows[0]![0]).toBe('sh.600000');
    expect(rows[0]![1]).toBe('2021-09-01');
    expect(rows[rows.length - 1]![0]).toBe('sz.000001');
    expect(rows[rows.length - 1]![1]).toBe('2021-09-30');
    for (const row of rows) {
      expect(row[3]).toMatch(/^(0|-?100)$/);
      expect(Number.isFinite(Number(row[2]))).toBe(true);
    }
    expect(r.stdout).toBe(`wrote ${rows.length} rows x 3 columns to ${out}\n`);
    expect(readdirSync(tmp.dir).filter((f) => f.includes('.tmp'))).toEqual([]);
    const set = run('features', 'export', '--symbols', 'sh.000300', '--set', 'bbands', '--out', join(tmp.dir, 'b.csv'));
    expect(set.status, set.stderr).toBe(0);
    expect(readFileSync(join(tmp.dir, 'b.csv'), 'utf8').split('\n')[0]).toBe('code,date,upperband_distance,middleband_distance,lowerband_distance');
  });

  it('patterns: the fired patterns, newest first, with name and direction', () => {
    const r = run('patterns', 'sh.600000', '--last', '5', '--json');
    expect(r.status, r.stderr).toBe(0);
    const p = JSON.parse(r.stdout) as { date: string; pattern: string; value: number; name: string; direction: string }[];
    expect(p.length).toBe(5);
    for (let i = 1; i < p.length; i++) expect(p[i - 1]!.date >= p[i]!.date).toBe(true);
    for (const x of p) {
      expect(x.pattern).toMatch(/^CDL/);
      expect(x.value).not.toBe(0);
      expect(['bullish', 'bearish', 'neutral']).toContain(x.direction);
      expect(x.name.length).toBeGreaterThan(2);
      expect(x.date).toMatch(/^2021-\d\d-\d\d$/);
    }
    const text = run('patterns', 'sh.600000', '--last', '3');
    expect(text.stdout.trim().split('\n').length).toBe(3);
  });

  it('user errors are one line with exit 2', () => {
    writeFileSync(join(tmp.dir, 'bad.txt'), 'feature: ma\nfeature: bolinger\n');
    let r = run('features', '--config', 'bad.txt');
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('quantflow: bad.txt:2:10: unknown feature "bolinger" (known: ma, bbands, talib_pattern, kbar, indicator)\n');
    r = run('features', 'export', '--symbols', 'sh.600000', '--columns', 'ma_7', '--out', join(tmp.dir, 'y.csv'));
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('quantflow: unknown feature column ma_7\n');
    expect(existsSync(join(tmp.dir, 'y.csv'))).toBe(false);
    r = run('patterns', 'sh.999999');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/unknown symbol sh\.999999/);
  });
});
