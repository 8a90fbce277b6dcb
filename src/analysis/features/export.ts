/**
 * `features export`: stored features of some stocks as CSV, header `code,date,<columns>`, one row per
 * bar, dates YYYY-MM-DD, pattern columns as integers, floats with the 9 significant digits that
 * round-trip the stored Float32, NaN (warm-up) as an empty field. Written to a temp name and renamed.
 */
import { closeSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import type { Db } from '../../core/db.js';
import { badInput } from '../../core/errors.js';
import { yyyymmddToIso } from '../../core/time.js';
import { readFeatures, readSetHeads, storedFeatureColumns } from '../store.js';

export interface ExportOptions {
  symbols: string[];
  columns?: string[];
  set?: string;
  from?: number;
  to?: number;
  out: string;
}

export function exportFeatures(db: Db, o: ExportOptions): { rows: number; columns: string[] } {
  const stored = storedFeatureColumns(db);
  let columns: string[];
  if (o.columns && o.set) throw badInput('use either --columns or --set, not both');
  if (o.set) {
    if (!stored[o.set]) throw badInput(`no stored feature set "${o.set}" (stored: ${Object.keys(stored).join(', ') || 'none; run quantflow features'})`);
    columns = stored[o.set]!;
  } else if (o.columns) {
    const known = new Set(Object.values(stored).flat());
    const bad = o.columns.filter((c) => !known.has(c));
    if (bad.length > 0) throw badInput(`unknown feature column${bad.length > 1 ? 's' : ''} ${bad.join(', ')}`);
    columns = o.columns;
  } else {
    columns = Object.values(stored).flat();
  }
  if (columns.length === 0) throw badInput('no stored features; run `quantflow features` first');
  const intCols = new Set(Object.entries(stored).filter(([set]) => set === 'talib_pattern').flatMap(([, c]) => c));
  const tmp = `${o.out}.${process.pid}.tmp`;
  const fd = openSync(tmp, 'w');
  let rows = 0;
  try {
    writeSync(fd, ['code', 'date', ...columns].join(',') + '\n');
    for (const code of o.symbols) {
      if (readSetHeads(db, code).length === 0) throw badInput(`no stored features for ${code}`);
      const f = readFeatures(db, code, columns);
      const cols = columns.map((c) => f.columns[c]!);
      const ints = columns.map((c) => intCols.has(c));
      let buf = '';
      for (let i = 0; i < f.dates.length; i++) {
        const d = f.dates[i]!;
        if ((o.from !== undefined && d < o.from) || (o.to !== undefined && d > o.to)) continue;
        let line = `${code},${yyyymmddToIso(d)}`;
        for (let k = 0; k < cols.length; k++) {
          const v = cols[k]![i]!;
          line += ',' + (Number.isNaN(v) ? '' : ints[k] ? String(Math.round(v)) : String(Number(v.toPrecision(9))));
        }
        buf += line + '\n';
        rows++;
        if (buf.length > 1 << 20) {
          writeSync(fd, buf);
          buf = '';
        }
      }
      writeSync(fd, buf);
    }
    closeSync(fd);
    renameSync(tmp, o.out);
  } catch (e) {
    try {
      closeSync(fd);
    } catch {
      // already closed
    }
    rmSync(tmp, { force: true });
    throw e;
  }
  return { rows, columns };
}
