/**
 * The research chain after the features, on a small demo market built through the CLI: datasets
 * (joins, labels, leak-free date splits, both file layouts), training, evaluation and picks.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openDb, type Db } from '../../src/core/db.js';
import { loadAnalysisConfig } from '../../src/analysis/config.js';
import { readFeatures } from '../../src/analysis/store.js';
import { MarketStore } from '../../src/market/store.js';
import { buildDataset } from '../../src/ml/dataset/build.js';
import { readOriginalDataset, writeDataset } from '../../src/ml/dataset/files.js';
import { splitByDate } from '../../src/ml/dataset/split.js';
import { distinctDates, type DatasetTable } from '../../src/ml/dataset/table.js';
import { ModelRegistry } from '../../src/ml/registry.js';
import { PickStore } from '../../src/ml/picks.js';
import { backtest } from '../../src/ml/backtest/index.js';
import { runCli } from '../support/cli.js';
import { repoRoot, tempDir } from '../support/fs.js';

const config = join(repoRoot, 'workflows', 'feature_signal.txt');

describe('datasets, training and picks on a demo market', () => {
  const tmp = tempDir('qf-chain-');
  const dbPath = join(tmp.dir, 'q.db');
  const env = { QUANTFLOW_DB: dbPath };
  let db: Db;
  let train: DatasetTable;

  beforeAll(async () => {
    for (const args of [['data', 'download', '--limit', '40'], ['signals', '--config', config], ['features', '--config', config]]) {
      const r = runCli(args, { env });
      expect(r.status, `${args.join(' ')}: ${r.stderr}`).toBe(0);
    }
    db = openDb(dbPath);
    train = await buildDataset(db, { kind: 'train', config: loadAnalysisConfig(config) });
  }, 240_000);
  afterAll(() => {
    db?.close();
    tmp.cleanup();
  });

  it('takes the last 121 signal dates, labels each row from the next close, and joins the features on (code, date)', () => {
    expect(distinctDates(train.dates).length).toBe(121);
    const market = new MarketStore(db);
    for (const i of [0, Math.floor(train.dates.length / 2), train.dates.length - 1]) {
      const code = train.codes[i]!;
      const date = train.dates[i]!;
      const bars = market.readBars(code);
      const t = bars.dates.indexOf(date);
      const y = (bars.close[t + 1]! - bars.close[t]!) / bars.close[t]!;
      expect(train.y![i]).toBeCloseTo(y, 12);
      expect(train.label![i]).toBe(y > 0 ? 1 : 0);
      expect(train.buy[i]).toBe(1);
      const f = readFeatures(db, code, ['ma_5', 'upperband_distance', 'CDLDOJI']);
      const fi = f.dates.indexOf(date);
      const col = (name: string) => train.features[train.featureNames.indexOf(name)]![i];
      expect(col('ma_5')).toBe(f.columns.ma_5![fi]);
      expect(col('upperband_distance')).toBe(f.columns.upperband_distance![fi]);
      expect(col('CDLDOJI')).toBe(f.columns.CDLDOJI![fi]);
      // ma_5 = (SMA5 - close) / close, from the bars themselves (stored as Float32).
      let s = 0;
      for (let k = t - 4; k <= t; k++) s += bars.close[k]!;
      expect(col('ma_5')).toBeCloseTo((s / 5 - bars.close[t]!) / bars.close[t]!, 6);
    }
  });

  it('splits by date with no row of a later date in an earlier split', () => {
    const s = splitByDate(train);
    expect(distinctDates(s.valid.dates).length).toBe(7);
    expect(distinctDates(s.test.dates).length).toBe(7);
    expect(Math.max(...s.train.dates)).toBeLessThan(Math.min(...s.valid.dates));
    expect(Math.max(...s.valid.dates)).toBeLessThan(Math.min(...s.test.dates));
    expect(s.train.dates.length + s.valid.dates.length + s.test.dates.length).toBe(train.dates.length);
  });

  it('writes the original layout and reads it back identically', async () => {
    const out = join(tmp.dir, 'train.csv');
    await writeDataset(train, out, 'original');
    const header = readFileSync(out, 'utf8').split('\n')[0]!.split(',');
    expect(header.slice(0, 3)).toEqual(['', 'label', 'buy']);
    expect(header.at(-1)).toBe('y');
    const back = await readOriginalDataset(out);
    expect(back.featureNames).toEqual(train.featureNames);
    expect(Array.from(back.dates)).toEqual(Array.from(train.dates));
    expect(back.codes).toEqual(train.codes);
    for (let c = 0; c < train.features.length; c += 17) expect(Array.from(back.features[c]!)).toEqual(Array.from(train.features[c]!));
  });

  it('writes the sagemaker layout: label first, no header, split by date, with the inference index', async () => {
    const out = join(tmp.dir, 'sm');
    await writeDataset(train, out, 'sagemaker');
    const s = splitByDate(train);
    const lines = (f: string) => readFileSync(join(out, f), 'utf8').trim().split('\n');
    expect(lines('train.csv').length).toBe(s.train.dates.length);
    expect(lines('validation.csv').length).toBe(s.valid.dates.length);
    expect(lines('test.csv').length).toBe(s.test.dates.length);
    const first = lines('test.csv')[0]!.split(',');
    expect(first.length).toBe(2 + train.featureNames.length);
    expect(['0', '1']).toContain(first[0]);
    const inf = await buildDataset(db, { kind: 'inference', config: loadAnalysisConfig(config) });
    await writeDataset(inf, out, 'sagemaker');
    expect(lines('inference.csv').length).toBe(inf.dates.length);
    expect(lines('inference-index.csv')[0]).toMatch(/^\d{4}-\d{2}-\d{2}\$(sh|sz|bj)\.\d{6}$/);
    expect(new Set(inf.dates).size).toBe(1);
  });

  it('trains, registers, evaluates and stores the top picks of the latest signal day', () => {
    const t = runCli(['train', '--json', '--params', 'num_round=60'], { env });
    expect(t.status, t.stderr).toBe(0);
    const report = JSON.parse(t.stdout);
    expect(report.labelKind).toBe('next_close');
    expect(report.metrics.auc).toBeGreaterThan(0);
    expect(existsSync(join(tmp.dir, 'datasets', 'train.csv'))).toBe(true);
    const model = new ModelRegistry(db).require(report.modelId);
    expect(model.features[0]).toBe('buy');
    expect(JSON.parse(model.modelJson!).learner.gradient_booster.model.trees.length).toBe(60);

    const e = runCli(['evaluate', '--json'], { env });
    expect(e.status, e.stderr).toBe(0);
    expect(JSON.parse(e.stdout)).toMatchObject({ modelId: report.modelId, universe: 'signal' });

    const r = runCli(['recommend', '--top', '3', '--json'], { env });
    expect(r.status, r.stderr).toBe(0);
    const picks = new PickStore(db).list();
    expect(picks.length).toBeGreaterThan(0);
    expect(picks.length).toBeLessThanOrEqual(3);
    expect(picks.every((p) => p.modelId === report.modelId && p.name.includes('synthetic'))).toBe(true);
    for (let i = 1; i < picks.length; i++) expect(picks[i]!.score).toBeLessThanOrEqual(picks[i - 1]!.score);
    const listed = runCli(['picks', '--json'], { env });
    expect(JSON.parse(listed.stdout)[0]).toMatchObject({ rank: 1, code: picks[0]!.code });
  });

  it('backtests walk-forward: refits on earlier dates only, base line = every signal of the day after costs', async () => {
    const all = await buildDataset(db, { kind: 'train', config: loadAnalysisConfig(config), windowDates: Number.MAX_SAFE_INTEGER });
    const dates = distinctDates(all.dates);
    const from = dates[dates.length - 30]!;
    const to = dates[dates.length - 1]!;
    const r = await backtest(all, { from, to, retrainEvery: 10, top: 2, params: { num_round: 20 }, threads: 1 });
    expect(r.days).toBe(30);
    expect(r.refits).toBe(3);
    let eq = 1;
    for (const day of r.curve) {
      const d = Number(day.date.replace(/-/g, ''));
      const ys = Array.from(all.dates.keys()).filter((i) => all.dates[i] === d).map((i) => all.y![i]!);
      expect(day.base).toBeCloseTo(ys.reduce((a, b) => a + b, 0) / ys.length - 0.002, 12);
      expect(day.picks).toBe(Math.min(2, ys.length));
      eq += day.ret;
      expect(day.equity).toBeCloseTo(eq, 12);
    }
    expect(r.maxDrawdown).toBeLessThanOrEqual(0);
    await expect(backtest(all, { from: dates[3]!, to: dates[5]! })).rejects.toThrow(/to train on/);
  });

  it('backtests on the whole universe (every stock every day, as Qlib): picks among all stocks, base line = the equal-weight market', async () => {
    const all = await buildDataset(db, { kind: 'train', config: loadAnalysisConfig(config), windowDates: Number.MAX_SAFE_INTEGER, universe: 'all' });
    const dates = distinctDates(all.dates);
    const from = dates[dates.length - 15]!;
    const to = dates[dates.length - 1]!;
    const r = await backtest(all, { from, to, retrainEvery: 15, window: 40, top: 3, params: { num_round: 10 }, threads: 1 });
    expect(r.days).toBe(15);
    const stocks = new MarketStore(db).listSymbols().filter((s) => s.kind === 'stock').length;
    for (const day of r.curve) {
      const d = Number(day.date.replace(/-/g, ''));
      const rows = Array.from(all.dates.keys()).filter((i) => all.dates[i] === d);
      // Every stock with a next close is a candidate that day, not only the signalled ones.
      expect(rows.length).toBeGreaterThan(stocks * 0.9);
      expect(rows.some((i) => all.buy[i] === 0)).toBe(true);
      expect(day.base).toBeCloseTo(rows.reduce((a, i) => a + all.y![i]!, 0) / rows.length - 0.002, 12);
      expect(day.picks).toBe(3);
    }
  });

  it("backtests Qlib's TopkDropout: names kept across days, at most n_drop replaced, held names valued from the bars", async () => {
    const all = await buildDataset(db, { kind: 'train', config: loadAnalysisConfig(config), windowDates: Number.MAX_SAFE_INTEGER });
    const dates = distinctDates(all.dates);
    const from = dates[dates.length - 30]!;
    const to = dates[dates.length - 1]!;
    const market = new MarketStore(db);
    const opts = { from, to, retrainEvery: 10, top: 4, params: { num_round: 20 }, threads: 1, prices: (c: string) => market.readBars(c) };
    const r = await backtest(all, { ...opts, nDrop: 1 });
    expect(r.strategy).toBe('topk-dropout');
    expect(r.curve[0]!.bought).toBe(r.curve[0]!.picks);
    for (const day of r.curve) {
      expect(day.picks).toBeLessThanOrEqual(4);
      expect(day.sold).toBeLessThanOrEqual(1);
    }
    // A day's return, recomputed from the bars: each held name's close-to-close move to the next
    // backtest day, equally weighted, less the costs of what was bought and sold.
    const k = 10;
    const [day, prev, next] = [r.curve[k]!, r.curve[k - 1]!, r.curve[k + 1]!];
    const iso = (x: string) => Number(x.replace(/-/g, ''));
    const closeAt = (c: string, d: number) => {
      const b = market.readBars(c);
      let i = b.dates.length - 1;
      while (b.dates[i]! > d) i--;
      return b.close[i]!;
    };
    const moves = day.names!.map((c) => closeAt(c, iso(next.date)) / closeAt(c, iso(day.date)) - 1);
    const cost = 0.0005 * (day.bought! / day.picks) + 0.0015 * (day.sold! / prev.picks);
    expect(day.ret).toBeCloseTo(moves.reduce((a, x) => a + x, 0) / moves.length - cost, 12);
    expect(day.names!.filter((c) => !prev.names!.includes(c)).length).toBe(day.bought);
    // Replacing at most one name in four a day trades far less than the daily top N (turnover 1).
    expect(r.turnover).toBeLessThan(0.5);
    const daily = await backtest(all, { ...opts, top: 4 });
    expect(daily.turnover).toBe(1);
    // The base line does not depend on the strategy.
    expect(r.curve.map((d) => d.base)).toEqual(daily.curve.map((d) => d.base));
    await expect(backtest(all, { ...opts, nDrop: 5 })).rejects.toThrow(/n_drop/);
  });

  it('says what to do when the chain has not run', () => {
    const empty = join(tmp.dir, 'empty.db');
    const r = runCli(['dataset', 'build', '--config', config], { env: { QUANTFLOW_DB: empty } });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/run: quantflow (features|signals)/);
    expect(r.stderr.split('\n').filter(Boolean).length).toBe(1);
  });
});
