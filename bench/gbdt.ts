/**
 * GBDT bench: quantflow's trainer vs XGBoost `hist` on one thread (Debian's python3-xgboost via
 * /usr/bin/python3), on identical CSV files built from the real CSI 300 bars with the features
 * module (ma + bbands + the 61 TA-Lib candle patterns + KBAR, cut to 115 columns), label = next
 * close up. Rows: every stock-day after the SMA233 warm-up (not only signal days, to reach 100,000
 * rows); test = the last dates (>= 10,000 rows), train = the N rows of the whole dates before them.
 *
 *   npm run bench -- gbdt [--sizes 30000,100000] [--rounds 500] [--qf-seeds 3] [--xgb-seeds 5]
 *
 * Prints, per size: fastest training time of each (wall and process CPU time, both single-threaded), the
 * ratios, and the test AUC
 * averaged over the seeds (quantflow 3, XGBoost 5) with the difference.
 */
import { readFileSync, readdirSync, rmSync, mkdtempSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Bars } from '../src/market/bars.js';
import { computeMa } from '../src/analysis/features/ma.js';
import { computeBbandsFeatures } from '../src/analysis/features/bbands.js';
import { computeKbar } from '../src/analysis/features/kbar.js';
import { computeAllPatterns } from '../src/analysis/candles/index.js';
import { readNumericCsv, writeNumericCsv } from '../src/ml/csv.js';
import { trainGbdt } from '../src/ml/gbdt/train.js';
import { predict } from '../src/ml/gbdt/model.js';
import { auc } from '../src/ml/metrics.js';
import { findXgboostPython, runPython } from '../test/support/xgboost.js';

const args = process.argv.slice(2);
function arg(name: string, def: string): string {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args[i + 1]! : def;
}
const sizes = arg('sizes', '30000,100000').split(',').map(Number);
const rounds = Number(arg('rounds', '500'));
const qfSeeds = Number(arg('qf-seeds', '3'));
const xgbSeeds = Number(arg('xgb-seeds', '5'));
const NF = 115;
const TEST_MIN = 10_000;
const params = { num_round: rounds, max_depth: 5, eta: 0.2, gamma: 4, min_child_weight: 6, subsample: 0.7 };

// bench/run.mjs runs benches with the repo root as cwd
const dataDir = process.env.QUANTFLOW_CSI300_DIR ? join(process.env.QUANTFLOW_CSI300_DIR, 'daily') : resolve(process.cwd(), '..', 'shared', 'data', 'csi300-daily', 'daily');

function readBars(path: string, code: string): Bars {
  const lines = readFileSync(path, 'utf8').trim().split('\n');
  const head = lines[0]!.split(',');
  const col = (n: string) => head.indexOf(n);
  const [di, oi, hi, li, ci, vi] = ['date', 'open', 'high', 'low', 'close', 'volume'].map(col) as number[];
  const rows = lines.slice(1).map((l) => l.split(',')).filter((f) => Number(f[vi!]) > 0);
  const n = rows.length;
  const b: Bars = { code, dates: new Int32Array(n), open: new Float64Array(n), high: new Float64Array(n), low: new Float64Array(n), close: new Float64Array(n), volume: new Float64Array(n) };
  rows.forEach((f, i) => {
    b.dates[i] = Number(f[di!]!.replace(/-/g, ''));
    b.open[i] = Number(f[oi!]);
    b.high[i] = Number(f[hi!]);
    b.low[i] = Number(f[li!]);
    b.close[i] = Number(f[ci!]);
    b.volume[i] = Number(f[vi!]);
  });
  return b;
}

interface Row {
  date: number;
  values: Float32Array;
  label: number;
}

function buildRows(): { rows: Row[]; columns: string[] } {
  const files = readdirSync(dataDir).filter((f) => f.endsWith('.csv') && !/^sh\.000/.test(f) && !/^sz\.399/.test(f)).sort();
  const rows: Row[] = [];
  let columns: string[] = [];
  for (const f of files) {
    const bars = readBars(join(dataDir, f), f.replace(/\.csv$/, ''));
    const n = bars.close.length;
    if (n < 300) continue;
    const feats: Record<string, ArrayLike<number>> = { ...computeMa(bars), ...computeBbandsFeatures(bars), ...computeAllPatterns(bars), ...computeKbar(bars) };
    if (!columns.length) columns = Object.keys(feats).slice(0, NF);
    const cols = columns.map((c) => feats[c]!);
    for (let t = 240; t < n - 1; t++) {
      const v = new Float32Array(NF);
      for (let k = 0; k < NF; k++) v[k] = cols[k]![t]!;
      rows.push({ date: bars.dates[t]!, values: v, label: bars.close[t + 1]! > bars.close[t]! ? 1 : 0 });
    }
  }
  rows.sort((a, b) => a.date - b.date);
  return { rows, columns };
}

function toMatrix(rows: Row[]): { x: { nrow: number; ncol: number; data: Float32Array }; y: Float32Array } {
  const data = new Float32Array(rows.length * NF);
  const y = new Float32Array(rows.length);
  rows.forEach((r, i) => {
    data.set(r.values, i * NF);
    y[i] = r.label;
  });
  return { x: { nrow: rows.length, ncol: NF, data }, y };
}

/** Split at whole dates: test = last dates with >= TEST_MIN rows; train = whole dates before, about `size` rows. */
function split(rows: Row[], size: number): { train: Row[]; test: Row[] } {
  let i = rows.length;
  while (rows.length - i < TEST_MIN) {
    const d = rows[i - 1]!.date;
    while (i > 0 && rows[i - 1]!.date === d) i--;
  }
  const test = rows.slice(i);
  let j = i - size;
  while (j > 0 && rows[j - 1]!.date === rows[j]!.date) j++; // move to a date boundary
  return { train: rows.slice(Math.max(0, j), i), test };
}

const XGB_PY = `
import sys, json, time, numpy as np, xgboost as xgb
from scipy.stats import rankdata
def load(p):
    X = np.genfromtxt(p, delimiter=',', dtype=np.float64, missing_values='', filling_values=np.nan)
    return X[:, 1:].astype(np.float32), X[:, 0]
Xtr, ytr = load(sys.argv[1]); Xte, yte = load(sys.argv[2])
rounds = int(sys.argv[3]); seeds = int(sys.argv[4])
out = {'version': xgb.__version__, 'wall': [], 'cpu': [], 'auc': []}
for seed in range(1, seeds + 1):
    d = xgb.DMatrix(Xtr, label=ytr, missing=np.nan, nthread=1)
    p = dict(objective='binary:logistic', max_depth=5, eta=0.2, gamma=4, min_child_weight=6, subsample=0.7,
             tree_method='hist', nthread=1, seed=seed, max_bin=256)
    t0 = time.perf_counter(); c0 = time.process_time()
    b = xgb.train(p, d, rounds)
    out['wall'].append(time.perf_counter() - t0); out['cpu'].append(time.process_time() - c0)
    s = b.predict(xgb.DMatrix(Xte, missing=np.nan))
    r = rankdata(s); npos = yte.sum(); nneg = len(yte) - npos
    out['auc'].append(float((r[yte > 0.5].sum() - npos * (npos + 1) / 2) / (npos * nneg)))
print(json.dumps(out))
`;

function mean(a: number[]): number {
  return a.reduce((s, v) => s + v, 0) / a.length;
}

const py = findXgboostPython();
console.log(`gbdt bench: ${rounds} rounds, max_depth 5, eta 0.2, gamma 4, min_child_weight 6, subsample 0.7, one thread`);
console.log(py ? `reference: XGBoost ${py.version} hist via ${py.python}` : 'reference: NONE (no python3 with xgboost found; only quantflow is timed)');
const t0 = performance.now();
const { rows, columns } = buildRows();
console.log(`data: REAL CSI 300 features from src/analysis (ma, bbands, 61 CDL patterns, KBAR; first ${NF} columns: ${columns.length}), every stock-day, label next close up; ${rows.length} rows built in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
const dir = mkdtempSync(join(tmpdir(), 'qf-bench-gbdt-'));
try {
  for (const size of sizes) {
    const { train, test } = split(rows, size);
    const trainCsv = join(dir, `train-${size}.csv`);
    const testCsv = join(dir, `test-${size}.csv`);
    const a = toMatrix(train);
    const b = toMatrix(test);
    writeNumericCsv(trainCsv, a.x, a.y);
    writeNumericCsv(testCsv, b.x, b.y);
    const tr = readNumericCsv(trainCsv, { hasLabel: true });
    const te = readNumericCsv(testCsv, { hasLabel: true });
    console.log(`\n== ${tr.x.nrow} train rows x ${tr.x.ncol} (dates ${train[0]!.date}..${train[train.length - 1]!.date}), ${te.x.nrow} test rows (${test[0]!.date}..${test[test.length - 1]!.date}), positives ${(mean(Array.from(tr.label!)) * 100).toFixed(1)}%`);
    const qWall: number[] = [];
    const qCpu: number[] = [];
    const qAuc: number[] = [];
    for (let s = 1; s <= qfSeeds; s++) {
      const c0 = process.cpuUsage();
      const w0 = performance.now();
      const { model } = trainGbdt(tr.x, tr.label!, { ...params, seed: s });
      qWall.push((performance.now() - w0) / 1000);
      qCpu.push(process.cpuUsage(c0).user / 1e6);
      qAuc.push(auc(te.label!, predict(model, te.x)));
      console.log(`  quantflow seed ${s}: ${qWall[s - 1]!.toFixed(2)} s (cpu ${qCpu[s - 1]!.toFixed(2)} s), test AUC ${qAuc[s - 1]!.toFixed(4)}`);
    }
    const qBest = Math.min(...qWall);
    const qBestCpu = Math.min(...qCpu);
    if (!py) {
      console.log(`  quantflow fastest ${qBest.toFixed(2)} s; mean AUC ${mean(qAuc).toFixed(4)} (no XGBoost reference)`);
      continue;
    }
    const x = JSON.parse(runPython(py, XGB_PY, [trainCsv, testCsv, String(rounds), String(xgbSeeds)], 3_600_000)) as { wall: number[]; cpu: number[]; auc: number[] };
    x.wall.forEach((w, i) => console.log(`  xgboost   seed ${i + 1}: ${w.toFixed(2)} s (cpu ${x.cpu[i]!.toFixed(2)} s), test AUC ${x.auc[i]!.toFixed(4)}`));
    const xBest = Math.min(...x.wall);
    const xBestCpu = Math.min(...x.cpu);
    console.log(`  load average now ${loadavg().map((v) => v.toFixed(1)).join(' ')} (on a shared machine the CPU-time ratio is the fair one)`);
    console.log(`  time  (fastest): quantflow ${qBest.toFixed(2)} s, xgboost ${xBest.toFixed(2)} s, ratio ${(qBest / xBest).toFixed(2)}x (target <= 1.5x); cpu ratio ${(qBestCpu / xBestCpu).toFixed(2)}x`);
    const d = mean(qAuc) - mean(x.auc);
    console.log(`  AUC   (mean): quantflow ${mean(qAuc).toFixed(4)} (${qfSeeds} seeds), xgboost ${mean(x.auc).toFixed(4)} (${xgbSeeds} seeds), difference ${d >= 0 ? '+' : ''}${d.toFixed(4)} (target >= -0.005)`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
