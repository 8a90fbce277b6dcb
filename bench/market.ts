/**
 * Market store bench: import the whole CSI 300 folder (target <= 5 s), read one symbol's ~4,000
 * bars (target <= 2 ms), generate the demo market; and, as the reference in the same run, a naive
 * row-by-row import (one autocommit INSERT per bar, objects) of a subset and a naive read (rows as
 * objects from daily_bars). Prints figures and ratios.
 *   npm run bench -- market [--source DIR]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { openDb } from '../src/core/db.js';
import { MarketStore } from '../src/market/store.js';
import { CsvProvider } from '../src/market/providers/csv.js';
import { DemoProvider } from '../src/market/providers/demo.js';
import { downloadMarket } from '../src/market/download.js';
import { cleanBars, SkipReport } from '../src/market/validate.js';

const args = process.argv.slice(2);
const source = args.includes('--source') ? args[args.indexOf('--source') + 1]! : resolve('..', 'shared', 'data', 'csi300-daily');
const dir = mkdtempSync(join(tmpdir(), 'qf-bench-market-'));
const fmt = (n: number, d = 1) => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });

try {
  // 1. the whole folder through the real path (parse, validate, batched transactions)
  const store = new MarketStore(openDb(join(dir, 'fast.db')));
  const cpu0 = process.cpuUsage();
  let t = performance.now();
  const s = await downloadMarket(store, new CsvProvider(source), {});
  const importS = (performance.now() - t) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const rate = s.bars / importS;
  console.log(`import CSI 300 folder: ${s.symbols} symbols, ${s.bars.toLocaleString()} bars in ${fmt(importS, 2)} s wall (${fmt((cpu.user + cpu.system) / 1e6, 2)} s CPU) = ${fmt(rate / 1000, 0)}k bars/s (target <= 5 s)`);
  const [l1] = (await import('node:os')).loadavg();
  if (l1! > 2) console.log(`  note: load average ${fmt(l1!, 1)} on this machine: wall times are inflated; the CPU time is the better guide`);

  // 2. read one symbol's full history
  const code = 'sh.000300';
  let n = 0;
  for (let i = 0; i < 20; i++) n = store.readBars(code).dates.length; // warm up
  const reps = 500;
  const times: number[] = [];
  for (let i = 0; i < reps; i++) {
    t = performance.now();
    store.readBars(code);
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  const readMs = times[Math.floor(reps / 2)]!;
  console.log(`readBars(${code}): ${n} bars, median ${fmt(readMs, 3)} ms, p95 ${fmt(times[Math.floor(reps * 0.95)]!, 3)} ms (target <= 2 ms)`);

  // 3. reference: naive import of a subset, one autocommit INSERT per bar from row objects
  const subset = (await new CsvProvider(source).universe()).slice(0, 8);
  const naive = new Database(join(dir, 'naive.db'));
  naive.pragma('journal_mode = WAL');
  naive.pragma('synchronous = NORMAL');
  naive.exec('CREATE TABLE daily_bars (code TEXT NOT NULL, date INTEGER NOT NULL, open REAL, high REAL, low REAL, close REAL, volume REAL, PRIMARY KEY (code, date))');
  const ins = naive.prepare('INSERT OR REPLACE INTO daily_bars VALUES (@code, @date, @open, @high, @low, @close, @volume)');
  const csv = new CsvProvider(source);
  await csv.universe();
  let naiveBars = 0;
  t = performance.now();
  for (const sym of subset) {
    const rep = new SkipReport();
    const { bars } = cleanBars(await csv.fetchBars(sym, {}, rep), rep);
    const rows = Array.from(bars.dates, (d, i) => ({ code: sym.code, date: d, open: bars.open[i], high: bars.high[i], low: bars.low[i], close: bars.close[i], volume: bars.volume[i] }));
    for (const r of rows) ins.run(r);
    naiveBars += rows.length;
  }
  const naiveS = (performance.now() - t) / 1000;
  const naiveRate = naiveBars / naiveS;
  console.log(`reference naive import (autocommit per row, ${subset.length} symbols): ${naiveBars.toLocaleString()} bars in ${fmt(naiveS, 2)} s = ${fmt(naiveRate / 1000, 1)}k bars/s`);
  console.log(`  ratio: batched import is ${fmt(rate / naiveRate, 1)}x the naive import rate`);

  // 4. reference: naive read as row objects from daily_bars (index scan by code)
  const naiveRead = store.db.prepare('SELECT date, open, high, low, close, volume FROM daily_bars WHERE code = ? ORDER BY date');
  for (let i = 0; i < 5; i++) naiveRead.all(code);
  const nt: number[] = [];
  for (let i = 0; i < 50; i++) {
    t = performance.now();
    naiveRead.all(code);
    nt.push(performance.now() - t);
  }
  nt.sort((a, b) => a - b);
  const naiveReadMs = nt[25]!;
  console.log(`reference naive read (row objects from daily_bars): median ${fmt(naiveReadMs, 3)} ms`);
  console.log(`  ratio: readBars is ${fmt(naiveReadMs / readMs, 1)}x faster`);

  // 5. the demo market
  t = performance.now();
  const gc0 = process.cpuUsage();
  const demo = new DemoProvider();
  demo.generate();
  const genMs = performance.now() - t;
  const gcpu = process.cpuUsage(gc0);
  const dstore = new MarketStore(openDb(join(dir, 'demo.db')));
  t = performance.now();
  const ds = await downloadMarket(dstore, new DemoProvider(), {});
  console.log(`demo market: generated in ${fmt(genMs, 0)} ms wall (${fmt((gcpu.user + gcpu.system) / 1000, 0)} ms CPU); full demo download ${ds.symbols} symbols, ${ds.bars.toLocaleString()} bars in ${fmt((performance.now() - t) / 1000, 2)} s`);
  naive.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
