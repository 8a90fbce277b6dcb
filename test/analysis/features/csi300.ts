/** Test helper: reads the real CSI 300 CSVs (in place) into Bars, dropping suspended (volume 0 / empty) rows. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { emptyBars, type Bars } from '../../../src/market/bars.js';
import { csi300Dir } from '../../support/fs.js';

export const csi300Daily = join(csi300Dir, 'daily');
export const CSI300_INDICES = ['sh.000001', 'sh.000300', 'sz.399106'];

export function csi300Codes(): string[] {
  return readdirSync(csi300Daily).filter((f) => f.endsWith('.csv')).map((f) => f.slice(0, -4)).sort();
}

export function readCsiBars(code: string): Bars {
  const lines = readFileSync(join(csi300Daily, `${code}.csv`), 'utf8').trim().split(/\r?\n/);
  const head = lines[0]!.split(',');
  const col = (n: string) => head.indexOf(n);
  const [d, o, h, l, c, v] = ['date', 'open', 'high', 'low', 'close', 'volume'].map(col) as [number, number, number, number, number, number];
  const rows = lines.slice(1).map((x) => x.split(',')).filter((r) => r[v] !== '' && Number(r[v]) > 0);
  const b = emptyBars(code, rows.length);
  rows.forEach((r, i) => {
    b.dates[i] = Number(r[d]!.replace(/-/g, ''));
    b.open[i] = Number(r[o]);
    b.high[i] = Number(r[h]);
    b.low[i] = Number(r[l]);
    b.close[i] = Number(r[c]);
    b.volume[i] = Number(r[v]);
  });
  return b;
}

let cache: Bars[] | undefined;
export function allCsiBars(): Bars[] {
  return (cache ??= csi300Codes().map(readCsiBars));
}
