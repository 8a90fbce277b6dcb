import { afterAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { binPath, csi300Dir, tempDir } from '../support/fs.js';
import { runCli } from '../support/cli.js';
import { openDb } from '../../src/core/db.js';
import { MarketStore } from '../../src/market/store.js';

const tmp = tempDir('qf-kill-');
afterAll(() => tmp.cleanup());

/** Traded rows (volume > 0) of a symbol's CSV, counted independently of the importer. */
function tradedRows(code: string): number {
  const lines = readFileSync(join(csi300Dir, 'daily', `${code}.csv`), 'utf8').trim().split('\n');
  const vi = lines[0]!.split(',').indexOf('volume');
  return lines.slice(1).filter((l) => Number(l.split(',')[vi]) > 0).length;
}

describe('an import killed mid-way', () => {
  it('leaves every symbol with all of its bars or none, and a rerun completes', async () => {
    const db = join(tmp.dir, 'kill.db');
    const child = spawn(process.execPath, [binPath, '--db', db, 'data', 'download', '--provider', 'csv', '--source', csi300Dir], {
      env: { ...process.env, QUANTFLOW_PROGRESS: '1' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let killedAt = -1;
    await new Promise<void>((resolve) => {
      let buf = '';
      child.stderr!.on('data', (d: Buffer) => {
        buf += d.toString();
        const all = [...buf.matchAll(/::progress (\d+)\/303/g)];
        const done = all.length ? Number(all[all.length - 1]![1]) : 0;
        if (done >= 60 && killedAt < 0) {
          killedAt = done;
          child.kill('SIGKILL');
        }
      });
      child.on('exit', () => resolve());
    });
    expect(killedAt).toBeGreaterThan(0);

    const conn = openDb(db);
    const store = new MarketStore(conn);
    const syms = store.listSymbols();
    expect(syms.length).toBeGreaterThan(0);
    expect(syms.length).toBeLessThan(303); // really interrupted
    const rowCounts = new Map((conn.prepare('SELECT code, COUNT(*) AS n FROM daily_bars GROUP BY code').all() as { code: string; n: number }[]).map((r) => [r.code, r.n]));
    const colCounts = new Map((conn.prepare('SELECT code, n FROM bar_columns').all() as { code: string; n: number }[]).map((r) => [r.code, r.n]));
    expect([...rowCounts.keys()].sort()).toEqual(syms.map((s) => s.code));
    for (const s of syms) {
      const expected = tradedRows(s.code);
      expect(s.bars, s.code).toBe(expected);
      expect(rowCounts.get(s.code), s.code).toBe(expected);
      expect(colCounts.get(s.code), s.code).toBe(expected);
      expect(store.readBars(s.code).dates.length).toBe(expected);
    }
    conn.close();

    const again = runCli(['--db', db, 'data', 'download', '--provider', 'csv', '--source', csi300Dir, '--json']);
    expect(again.status).toBe(0);
    const reopened = new MarketStore(openDb(db));
    expect(reopened.counts()).toEqual({ symbols: 303, bars: 829_483 });
  }, 180_000);
});
