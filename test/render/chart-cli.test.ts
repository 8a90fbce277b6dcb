import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { join } from 'node:path';
import { runCli } from '../support/cli.js';
import { tempDir, csi300Dir } from '../support/fs.js';
import { openDb } from '../../src/core/db.js';
import { MarketStore } from '../../src/market/store.js';
import { CsvProvider } from '../../src/market/providers/csv.js';
import { downloadMarket } from '../../src/market/download.js';
import { visibleWidth } from '../../src/render/text.js';

let tmp: ReturnType<typeof tempDir>;
let db: string;

beforeAll(async () => {
  tmp = tempDir('qf-chart-');
  db = join(tmp.dir, 'q.db');
  const d = openDb(db);
  await downloadMarket(new MarketStore(d), new CsvProvider(csi300Dir), { symbols: ['sh.600000'] });
  d.close();
}, 120_000);
afterAll(() => tmp.cleanup());

describe('quantflow chart', () => {
  it('prints the candlestick chart of a stored symbol at the size asked, plain when piped', () => {
    const r = runCli(['--db', db, 'chart', 'sh.600000', '--width', '100', '--height', '30', '--boll']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines.length).toBe(30); // 29 chart lines + the pattern legend
    expect(r.stdout).not.toContain('\x1b[');
    expect(lines[0]).toMatch(/^sh\.600000 浦发银行 +2021-09-30 O [\d.]+ H [\d.]+ L [\d.]+ C 9\.00 [-+][\d.]+% +\[(day|week|month)\]/);
    expect(lines[0]).toContain('BOLL20');
    expect(lines.some((l) => /└\d{4}-\d{2}/.test(l))).toBe(true);
    expect(lines.at(-1)).toMatch(/^patterns: [▲▼] CDL/);
    for (const l of lines.slice(0, -1)) expect(visibleWidth(l)).toBeLessThanOrEqual(100);
  });

  it('shows the last N days and weeks on request, colours with FORCE_COLOR, and rejects unknown symbols', () => {
    const days = runCli(['--db', db, 'chart', 'sh.600000', '--width', '80', '--height', '20', '--last', '40', '--period', 'day', '--no-patterns']);
    expect(days.status).toBe(0);
    expect(days.stdout.split('\n')[0]).toContain('[day]');
    const weeks = runCli(['--db', db, 'chart', 'sh.600000', '--width', '80', '--height', '20', '--period', 'week'], { env: { FORCE_COLOR: '1' } });
    expect(weeks.stdout).toContain('[week]');
    expect(weeks.stdout).toMatch(/\x1b\[3[12]m/);
    const bad = runCli(['--db', db, 'chart', 'XX.NOPE']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('no symbol XX.NOPE');
  });
});
