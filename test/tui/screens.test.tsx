import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { join } from 'node:path';
import { renderTui, KEY, delay, type Rendered } from './harness.js';
import { expectGolden } from './golden.js';
import { Engine } from '../../src/tui/engine.js';
import { makeTheme } from '../../src/render/theme.js';
import { tempDir, csi300Dir } from '../support/fs.js';
import { openDb } from '../../src/core/db.js';
import { MarketStore } from '../../src/market/store.js';
import { CsvProvider } from '../../src/market/providers/csv.js';
import { downloadMarket } from '../../src/market/download.js';

const fixtures = join(import.meta.dirname, 'fixtures');
const theme = makeTheme({ color: false });
let tmp: ReturnType<typeof tempDir>;
let dbPath: string;

function engine(): Engine {
  return new Engine({ dbPath, workflowDirs: [join(fixtures, 'workflows')], cwd: fixtures });
}

beforeAll(async () => {
  tmp = tempDir('qf-tui-');
  dbPath = join(tmp.dir, 'q.db');
  const db = openDb(dbPath);
  // Real CSI 300 bars (read in place), so the market goldens do not move with the demo generator.
  await downloadMarket(new MarketStore(db), new CsvProvider(csi300Dir), { symbols: ['sh.000300', 'sh.600000', 'sh.600036', 'sz.000001', 'sz.000002'] });
  db.close();
}, 120_000);

afterAll(() => tmp.cleanup());

const NOW = () => Date.UTC(2026, 0, 1);

async function open(size: { columns: number; rows: number }): Promise<Rendered> {
  const r = await renderTui({ engine: engine(), theme, now: NOW }, size);
  await r.waitFor((f) => f.includes('small'));
  return r;
}

describe.each([
  [80, 24],
  [120, 40],
])('screens at %ix%i', (columns, rows) => {
  it('Workflows: files, tasks, validation errors with file:line', async () => {
    const r = await open({ columns, rows });
    const f = r.frame();
    expect(f.split('\n').length).toBeLessThanOrEqual(rows - 1);
    expect(f).toContain('workflows/broken.yaml');
    expect(f).toMatch(/workflows\/broken\.yaml:\d+:\d+: /);
    expectGolden(`workflows_${columns}x${rows}`, f);
    r.unmount();
  });

  it('DAG of a workflow before it ran, and the help overlay', async () => {
    const r = await open({ columns, rows });
    await r.press(KEY.DOWN, KEY.DOWN, KEY.ENTER); // broken, slow, small
    const f = await r.waitFor((x) => x.includes('not run yet'));
    expect(f).toMatch(/○.*fetch/);
    expectGolden(`dag_${columns}x${rows}`, f);
    await r.press('?');
    const h = await r.waitFor((x) => x.includes('keys: DAG'));
    expect(h).toContain('run the selected task only');
    expectGolden(`help_dag_${columns}x${rows}`, h);
    await r.press(KEY.ESC);
    await r.waitFor((x) => !x.includes('keys: DAG'));
    r.unmount();
  });

  it('Market: symbol list and candlestick chart with pattern markers', async () => {
    const r = await open({ columns, rows });
    await r.press('5');
    const f = await r.waitFor((x) => x.includes('patterns:') && x.includes('└'));
    expect(f).toContain('sh.600000');
    expect(f).toMatch(/[║┃]/);
    expect(f).toMatch(/[▲▼◆]/);
    expectGolden(`market_${columns}x${rows}`, f);
    r.unmount();
  });
});

describe('live workflow from the DAG screen', () => {
  it('runs the workflow, shows every task succeed, opens a log and searches it', async () => {
    const r = await open({ columns: 80, rows: 24 });
    await r.press(KEY.DOWN, KEY.DOWN, KEY.ENTER);
    await r.waitFor((x) => x.includes('params: greeting'));
    await r.press('r');
    const done = await r.waitFor((x) => /run #\d+ success/.test(x), 30_000);
    expect(done.match(/✔/g)!.length).toBeGreaterThanOrEqual(4);
    // Select "right" (topological order: fetch, left, right, join) and open its log.
    await r.press('j', 'j', KEY.ENTER);
    const log = await r.waitFor((x) => x.includes('log right'));
    expect(log).toContain('needle in the log');
    await r.press('/', ...'needle', KEY.ENTER);
    await r.waitFor((x) => x.includes('match 1/1'));
    // Back to the DAG, then the runs screen lists the run.
    await r.press(KEY.ESC, '4');
    const runs = await r.waitFor((x) => x.includes('small') && x.includes('success'));
    expect(runs).toMatch(/1 +✔ success +small/);
    r.unmount();
  });

  it('selects a task with :task, shows the start-up params', async () => {
    const r = await open({ columns: 80, rows: 24 });
    await r.press(KEY.DOWN, KEY.DOWN, KEY.ENTER);
    await r.waitFor((x) => x.includes('params: greeting=hello'));
    await r.press(':', ...'task join', KEY.ENTER);
    await r.waitFor((x) => /›.*join/.test(x));
    await r.press('p');
    const p = await r.waitFor((x) => x.includes('start-up params'));
    expect(p).toContain('greeting = hello');
    await r.press(KEY.ESC);
    r.unmount();
  });

  it('asks before quitting while a run is active, then stops it (tasks end KILL)', async () => {
    const e = engine();
    const r = await renderTui({ engine: e, theme, now: NOW }, { columns: 80, rows: 24 });
    await r.waitFor((f) => f.includes('slow'));
    await r.press(KEY.DOWN, 'r');
    await r.waitFor((x) => x.includes('1 running') && /wait .*running/.test(x), 20_000);
    await r.press('q');
    const ask = await r.waitFor((x) => x.includes('quitting stops them'));
    expect(ask).toContain('y: yes');
    await r.press('y');
    await r.instance.waitUntilExit();
    const runs = e.listRuns();
    const slow = runs.find((x) => x.name === 'slow')!;
    expect(slow.state).toBe('KILL');
    expect(e.liveOf(slow.id).wait!.state).toBe('KILL');
  });
});

describe('first start with an empty market store', () => {
  it('imports the offline demo market automatically, labelled synthetic', async () => {
    const t = tempDir('qf-tui-empty-');
    try {
      const e = new Engine({ dbPath: join(t.dir, 'q.db'), workflowDirs: [join(fixtures, 'workflows')], cwd: fixtures });
      const r = await renderTui({ engine: e, theme, now: NOW }, { columns: 120, rows: 40 });
      await r.waitFor((f) => f.includes('small'));
      await r.press('5');
      const f = await r.waitFor((x) => x.includes('SYNTHETIC demo') && x.includes('└'), 90_000);
      expect(f).toMatch(/DEMO .*synthetic/);
      r.unmount();
    } finally {
      t.cleanup();
    }
  }, 180_000);
});

describe('Picks and Model screens', () => {
  it('lists the latest picks with the next day, the models with metrics, importance and the equity curve', async () => {
    const { PickStore } = await import('../../src/ml/picks.js');
    const { ModelRegistry, saveBacktest } = await import('../../src/ml/registry.js');
    const db = openDb(dbPath);
    const reg = new ModelRegistry(db);
    reg.save({
      id: 'local-test-1',
      createdAt: '2021-09-01T00:00:00Z',
      source: 'local',
      labelKind: 'next_close',
      universe: 'signal',
      features: ['ma5', 'rsi'],
      params: {},
      dataRange: { trainFrom: '2021-01-04', trainTo: '2021-08-31', testFrom: '2021-09-13', testTo: '2021-09-24' },
      metrics: { rows: 61, days: 10, recall: 0.5, auc: 0.61, support: 20, logloss: 0.66, ic: 0.0312, precision: 0.4 },
      importance: { ma5: { gain: 12, cover: 1, weight: 1 }, rsi: { gain: 4, cover: 1, weight: 1 } },
    });
    new PickStore(db).storeTop([{ date: 20210928, code: 'sh.600000', score: 0.9 }, { date: 20210928, code: 'sz.000001', score: 0.8 }], 5, 'local-test-1');
    saveBacktest(db, 'next_close', { from: '2021-01-04', to: '2021-09-30', annualReturn: 0.12, baseAnnualReturn: 0.05, maxDrawdown: 0.08, curve: Array.from({ length: 60 }, (_, i) => ({ date: '', equity: 1 + i * 0.002, baseEquity: 1 + i * 0.001 })) });
    db.close();
    const r = await open({ columns: 80, rows: 24 });
    await r.press('7');
    const picks = await r.waitFor((x) => x.includes('latest picks'));
    expect(picks).toContain('latest picks 2021-09-28');
    expect(picks).toMatch(/2021-09-28 +1 sh\.600000 +浦发银行 +0\.9000 +[-+]\d+\.\d+%/);
    await r.press('8');
    const model = await r.waitFor((x) => x.includes('local-test-1') && x.includes('strategy equity'));
    // The metrics a quant reads first, in order; sizes of the test set on the detail line, as integers.
    expect(model).toMatch(/model +source +auc +logloss +precision +ic +recall\n/);
    expect(model).toMatch(/local-test-1 +local +0\.6100 +0\.6600 +0\.4000 +0\.0312 +0\.5000/);
    expect(model).toContain('test 2021-09-13..2021-09-24 (61 rows, 10 days) · next_close · signal days · ');
    expect(model).not.toContain('61.0000');
    expect(model).toMatch(/ma5 +█+ 12\.0/);
    expect(model).toContain('annual 12.0% vs base 5.0%');
    r.unmount();
  });
});

describe('terminal size', () => {
  it('asks for 80x24 when smaller and re-lays out on resize', async () => {
    const r = await open({ columns: 80, rows: 24 });
    r.stdout.resize(70, 20);
    const f = await r.waitFor((x) => x.includes('at least 80x24'));
    expect(f).toContain('70x20');
    r.stdout.resize(120, 40);
    const g = await r.waitFor((x) => x.includes('small') && !x.includes('at least'));
    expect(g.split('\n').length).toBeLessThanOrEqual(39);
    await delay(10);
    r.unmount();
  });
});

describe('Patterns screen', () => {
  it('lists the catalog with recent fire counts, opens occurrences and a chart', async () => {
    const r = await open({ columns: 120, rows: 40 });
    await r.press('6');
    const f = await r.waitFor((x) => x.includes('fires across the market in the last 20 bars'), 60_000);
    const counts = [...f.matchAll(/^\s*(?:› )?(CDL\w+) .* (\d+) /gm)].map((m) => Number(m[2]));
    expect(counts.length).toBeGreaterThan(10);
    expect(counts.some((c) => c > 0)).toBe(true);
    // Move to a pattern that fired, open its occurrences, then the chart of the first one.
    const lines = f.split('\n').filter((l) => /CDL\w+/.test(l));
    const k = lines.findIndex((l) => Number(/ (\d+) +█*\s*$/.exec(l)?.[1] ?? 0) > 0);
    for (let i = 0; i < k; i++) await r.press('j');
    await r.press(KEY.ENTER);
    const occ = await r.waitFor((x) => x.includes('enter: chart'));
    expect(occ).toMatch(/(sh|sz)\.\d{6} +\d{4}-\d{2}-\d{2} +[▲▼] (bullish|bearish)/);
    await r.press(KEY.ENTER);
    await r.waitFor((x) => x.includes('[5 Market]') && x.includes('└'));
    r.unmount();
  }, 90_000);
});
