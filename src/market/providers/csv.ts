/**
 * A folder of one CSV per symbol, as the original system wrote them: `<code>.csv` with a header;
 * columns date, open, high, low, close, volume matched by name case-insensitively, in any order,
 * extra columns ignored. `source` is that folder, or its parent holding it as `daily/`;
 * `stocks.csv` (code,code_name) in the folder or its parent gives the names. Reads
 * ../shared/data/csi300-daily as it is.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { QuantflowError, ExitCode, badInput } from '../../core/errors.js';
import { kindOf, marketOf, normalizeCode } from '../codes.js';
import type { RawBars, SkipReport } from '../validate.js';
import type { FetchRange, Provider, UniverseEntry } from './types.js';

const REQUIRED = ['date', 'open', 'high', 'low', 'close', 'volume'] as const;
const NOT_SYMBOLS = new Set(['stocks.csv']);

function hasSymbolCsv(dir: string): boolean {
  try {
    return readdirSync(dir).some((f) => f.toLowerCase().endsWith('.csv') && !NOT_SYMBOLS.has(f.toLowerCase()));
  } catch {
    return false;
  }
}

/** The folder that holds the per-symbol CSVs: DIR itself, or DIR/daily. */
export function resolveCsvFolder(source: string): string {
  const dir = resolve(source);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw badInput(`--source ${source}: no such folder`);
  if (hasSymbolCsv(dir)) return dir;
  const daily = join(dir, 'daily');
  if (existsSync(daily) && hasSymbolCsv(daily)) return daily;
  throw badInput(`--source ${source}: no <code>.csv files in it or in its daily/ folder`);
}

/** code -> name from stocks.csv (code,code_name) in the folder or its parent. */
export function readNames(folder: string): Map<string, string> {
  const names = new Map<string, string>();
  for (const dir of [folder, dirname(folder)]) {
    const f = join(dir, 'stocks.csv');
    if (!existsSync(f)) continue;
    const lines = readFileSync(f, 'utf8').replace(/^\uFEFF/, '').split(/\r?\n/);
    const header = (lines[0] ?? '').split(',').map((h) => h.trim().toLowerCase());
    const ci = header.indexOf('code');
    const ni = header.includes('code_name') ? header.indexOf('code_name') : header.indexOf('name');
    if (ci < 0 || ni < 0) continue;
    for (let i = 1; i < lines.length; i++) {
      const parts = lines[i]!.split(',');
      const code = parts[ci]?.trim();
      if (code) names.set(normalizeCode(code), (parts[ni] ?? '').trim());
    }
    break;
  }
  return names;
}

/** Splits one CSV line; handles double-quoted fields only when the line has a quote. */
function splitLine(line: string): string[] {
  if (!line.includes('"')) return line.split(',');
  const out: string[] = [];
  let cur = '';
  let q = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (q) {
      if (ch === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (ch === '"') q = false;
      else cur += ch;
    } else if (ch === '"') q = true;
    else if (ch === ',') {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

/** "2021-09-30", "2021/09/30" or "20210930" -> 20210930; NaN otherwise. */
export function parseDate(s: string): number {
  if (s.length === 10 && (s[4] === '-' || s[4] === '/') && s[7] === s[4]) {
    const y = Number(s.slice(0, 4));
    const m = Number(s.slice(5, 7));
    const d = Number(s.slice(8, 10));
    if (m >= 1 && m <= 12 && d >= 1 && d <= 31 && y > 1800) return y * 10000 + m * 100 + d;
    return NaN;
  }
  if (/^\d{8}$/.test(s)) {
    const v = Number(s);
    const m = Math.floor(v / 100) % 100;
    const d = v % 100;
    return m >= 1 && m <= 12 && d >= 1 && d <= 31 ? v : NaN;
  }
  return NaN;
}

const POW10 = [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22];

/**
 * The number in text[s, e): plain decimals are parsed by hand (an exact integer divided by an
 * exact power of ten is correctly rounded, so the result equals Number()); anything else falls
 * back to Number(). Empty -> NaN.
 */
function fastNum(text: Uint8Array, s: number, e: number): number {
  while (s < e && text[s] === 32) s++;
  while (e > s && text[e - 1] === 32) e--;
  if (s === e) return NaN;
  let i = s;
  let neg = false;
  if (text[i] === 45) {
    neg = true;
    i++;
  }
  let mant = 0;
  let frac = -1;
  let digits = 0;
  for (; i < e; i++) {
    const c = text[i]!;
    if (c >= 48 && c <= 57) {
      mant = mant * 10 + (c - 48);
      digits++;
      if (frac >= 0) frac++;
    } else if (c === 46 && frac < 0) frac = 0;
    else return Number(decode(text, s, e));
  }
  if (digits === 0 || digits > 15 || frac > 22) return Number(decode(text, s, e));
  const v = frac > 0 ? mant / POW10[frac]! : mant;
  return neg ? -v : v;
}

/** yyyymmdd from "2021-09-30" / "2021/09/30" / "20210930" at text[s, e); NaN otherwise. */
function dateAt(text: Uint8Array, s: number, e: number): number {
  while (s < e && text[s] === 32) s++;
  while (e > s && text[e - 1] === 32) e--;
  if (e - s === 10) {
    const sep = text[s + 4];
    if ((sep === 45 || sep === 47) && text[s + 7] === sep) {
      let y = 0, m = 0, d = 0;
      for (let k = 0; k < 4; k++) {
        const c = text[s + k]! - 48;
        if (c < 0 || c > 9) return NaN;
        y = y * 10 + c;
      }
      const m1 = text[s + 5]! - 48, m2 = text[s + 6]! - 48, d1 = text[s + 8]! - 48, d2 = text[s + 9]! - 48;
      if (m1 < 0 || m1 > 9 || m2 < 0 || m2 > 9 || d1 < 0 || d1 > 9 || d2 < 0 || d2 > 9) return NaN;
      m = m1 * 10 + m2;
      d = d1 * 10 + d2;
      return m >= 1 && m <= 12 && d >= 1 && d <= 31 && y > 1800 ? y * 10000 + m * 100 + d : NaN;
    }
  }
  return parseDate(decode(text, s, e));
}

const decoder = new TextDecoder();
function decode(b: Uint8Array, s: number, e: number): string {
  return decoder.decode(b.subarray(s, e));
}

/**
 * Parses one symbol's CSV. A missing column or an empty file throws a one-line error naming the
 * file and line; a row with a non-numeric price is skipped with a `file:line:col` problem.
 */
export function parseBarsCsv(file: string, code: string, input: string | Uint8Array, report: SkipReport, range: FetchRange = {}): RawBars {
  let text = typeof input === 'string' ? Buffer.from(input, 'utf8') : input;
  if (text[0] === 0xef && text[1] === 0xbb && text[2] === 0xbf) text = text.subarray(3);
  let headerEnd = text.indexOf(10);
  if (headerEnd < 0) headerEnd = text.length;
  const headerLine = decode(text, 0, headerEnd).replace(/\r$/, '');
  if (headerLine.trim() === '') {
    throw new QuantflowError('CSV_EMPTY', 'empty file (no header)', { exitCode: ExitCode.badInput, location: { file, line: 1, col: 1 } });
  }
  const header = splitLine(headerLine).map((h) => h.trim().toLowerCase());
  const idx: Record<string, number> = {};
  for (const name of REQUIRED) {
    const i = header.indexOf(name);
    if (i < 0) {
      throw new QuantflowError('CSV_COLUMN', `missing column "${name}" (header: ${header.join(',')})`, { exitCode: ExitCode.badInput, location: { file, line: 1, col: 1 } });
    }
    idx[name] = i;
  }
  const iD = idx.date!, iO = idx.open!, iH = idx.high!, iL = idx.low!, iC = idx.close!, iV = idx.volume!;
  const priceCols = [iO, iH, iL, iC];
  // Rows: at most one per newline.
  let cap = 1;
  for (let k = text.indexOf(10); k >= 0; k = text.indexOf(10, k + 1)) cap++;
  const dates = new Int32Array(cap);
  const open = new Float64Array(cap);
  const high = new Float64Array(cap);
  const low = new Float64Array(cap);
  const close = new Float64Array(cap);
  const volume = new Float64Array(cap);
  const lineNo = new Int32Array(cap);
  const start = range.start ?? 0;
  const end = range.end ?? 99991231;
  const nCols = header.length;
  const fs = new Int32Array(nCols + 1);
  const fe = new Int32Array(nCols + 1);
  let n = 0;
  let dataRows = 0;
  let line = 1;
  const len = text.length;
  let pos = headerEnd + 1;
  while (pos < len) {
    line++;
    // One pass over the line: field boundaries, quotes, blankness, the line end.
    const ls = pos;
    let nf = 0;
    let quoted = false;
    let blank = true;
    fs[0] = ls;
    let k = ls;
    for (; k < len; k++) {
      const c = text[k]!;
      if (c === 10) break;
      if (c === 44) {
        if (nf < nCols) fe[nf] = k;
        nf++;
        if (nf < nCols) fs[nf] = k + 1;
      } else if (c === 34) quoted = true;
      else if (c !== 32 && c !== 9 && c !== 13) blank = false;
    }
    pos = k + 1;
    let e = k;
    if (e > ls && text[e - 1] === 13) e--;
    if (blank && nf === 0) continue;
    if (nf < nCols) fe[nf] = e;
    nf++;
    let src = text;
    if (quoted) {
      const parts = splitLine(decode(text, ls, e));
      src = Buffer.from(parts.join(','), 'utf8');
      let off = 0;
      for (let k = 0; k < Math.min(parts.length, nCols); k++) {
        fs[k] = off;
        fe[k] = off + Buffer.byteLength(parts[k]!);
        off = fe[k]! + 1;
      }
      nf = parts.length;
    }
    dataRows++;
    const d = iD < nf ? dateAt(src, fs[iD]!, fe[iD]!) : NaN;
    if (!(d > 0)) {
      report.skip('bad_row');
      report.problem(`${file}:${line}:${fieldCol(fs, nf, iD, quoted ? 0 : ls, e - ls)}: date "${fieldText(src, fs, fe, nf, iD)}" is not a date`);
      continue;
    }
    if (d < start || d > end) continue;
    const o = iO < nf ? fastNum(src, fs[iO]!, fe[iO]!) : NaN;
    const h = iH < nf ? fastNum(src, fs[iH]!, fe[iH]!) : NaN;
    const l = iL < nf ? fastNum(src, fs[iL]!, fe[iL]!) : NaN;
    const c = iC < nf ? fastNum(src, fs[iC]!, fe[iC]!) : NaN;
    if (Number.isNaN(o) || Number.isNaN(h) || Number.isNaN(l) || Number.isNaN(c)) {
      let bad = -1;
      for (const ci of priceCols) {
        if (Number.isNaN(ci < nf ? fastNum(src, fs[ci]!, fe[ci]!) : NaN) && fieldText(src, fs, fe, nf, ci).trim() !== '') {
          bad = ci;
          break;
        }
      }
      if (bad >= 0) {
        report.skip('bad_row');
        report.problem(`${file}:${line}:${fieldCol(fs, nf, bad, quoted ? 0 : ls, e - ls)}: ${header[bad]} "${fieldText(src, fs, fe, nf, bad)}" is not a number`);
        continue;
      }
    }
    dates[n] = d;
    open[n] = o;
    high[n] = h;
    low[n] = l;
    close[n] = c;
    volume[n] = iV < nf ? fastNum(src, fs[iV]!, fe[iV]!) : NaN;
    lineNo[n] = line;
    n++;
  }
  if (dataRows === 0) {
    throw new QuantflowError('CSV_EMPTY', 'no data rows after the header', { exitCode: ExitCode.badInput, location: { file, line: 2, col: 1 } });
  }
  return {
    code,
    dates: dates.subarray(0, n),
    open: open.subarray(0, n),
    high: high.subarray(0, n),
    low: low.subarray(0, n),
    close: close.subarray(0, n),
    volume: volume.subarray(0, n),
    lines: lineNo.subarray(0, n),
    source: file,
  };
}

function fieldText(src: Uint8Array, fs: Int32Array, fe: Int32Array, nf: number, i: number): string {
  return i < nf ? decode(src, fs[i]!, fe[i]!) : '';
}

/** 1-based column of field i (the end of the line when the field is missing). */
function fieldCol(fs: Int32Array, nf: number, i: number, lineStart: number, lineLen: number): number {
  return i < nf ? fs[i]! - lineStart + 1 : lineLen + 1;
}

export class CsvProvider implements Provider {
  readonly name = 'csv';
  readonly synthetic = false;
  readonly incremental = false;
  readonly adjust = '';
  readonly concurrency = 1;
  readonly folder: string;
  private readonly files = new Map<string, string>();

  constructor(source: string) {
    this.folder = resolveCsvFolder(source);
  }

  async universe(): Promise<UniverseEntry[]> {
    const names = readNames(this.folder);
    const out: UniverseEntry[] = [];
    for (const f of readdirSync(this.folder).sort()) {
      if (!f.toLowerCase().endsWith('.csv') || NOT_SYMBOLS.has(f.toLowerCase())) continue;
      const code = normalizeCode(basename(f, f.slice(-4)));
      this.files.set(code, join(this.folder, f));
      out.push({ code, name: names.get(code) ?? '', market: marketOf(code), kind: kindOf(code) });
    }
    return out;
  }

  async fetchBars(sym: UniverseEntry, range: FetchRange, report: SkipReport): Promise<RawBars> {
    const file = this.files.get(sym.code) ?? join(this.folder, `${sym.code}.csv`);
    let text: Buffer;
    try {
      text = readFileSync(file);
    } catch (e) {
      throw new QuantflowError('CSV_READ', `cannot read: ${(e as Error).message}`, { location: { file, line: 1, col: 1 } });
    }
    return parseBarsCsv(file, sym.code, text, report, range);
  }
}
