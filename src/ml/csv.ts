/**
 * Numeric CSVs in the contract of SageMaker's built-in XGBoost: no header, label in column 0 (when
 * there is one), missing values as empty fields or `nan`. Streaming byte parser (no string per
 * field), values as float32 like XGBoost's DMatrix; bad input is a one-line error at file:line:col.
 */
import { closeSync, openSync, readSync, writeSync } from 'node:fs';
import { badInput } from '../core/errors.js';
import type { DenseMatrix } from './gbdt/matrix.js';

export interface NumericCsv {
  /** Column 0 when read with a label, else undefined. */
  label?: Float32Array;
  /** The other columns, row-major float32. */
  x: DenseMatrix;
}

const POW10 = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22];
const COMMA = 44;
const NL = 10;
const CR = 13;

/** Reads a whole numeric CSV. `hasLabel`: column 0 is the label (required, not missing). */
export function readNumericCsv(path: string, opts: { hasLabel: boolean; chunkSize?: number }): NumericCsv {
  const fd = (() => {
    try {
      return openSync(path, 'r');
    } catch (e) {
      throw badInput(`cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
    }
  })();
  const chunk = Buffer.allocUnsafe(opts.chunkSize ?? 1 << 22);
  let values = new Float32Array(1 << 16);
  let nv = 0;
  let ncol = -1;
  let nrow = 0;
  let line = 1;
  let carry: Buffer | undefined;
  const fields: number[] = [];
  const fail = (msg: string, col: number): never => {
    closeSync(fd);
    throw badInput(msg, { file: path, line, col });
  };
  const endRow = (lineStart: Buffer, start: number, end: number) => {
    // parse one line [start, end) of lineStart
    fields.length = 0;
    let i = start;
    for (;;) {
      let j = i;
      while (j < end && lineStart[j] !== COMMA) j++;
      fields.push(parseField(lineStart, i, j, (m) => fail(m, i - start + 1)));
      if (j >= end) break;
      i = j + 1;
    }
    if (ncol === -1) ncol = fields.length;
    else if (fields.length !== ncol) fail(`expected ${ncol} fields, got ${fields.length}`, 1);
    if (opts.hasLabel && fields[0] !== fields[0]) fail('the label (column 1) is missing', 1);
    if (nv + ncol > values.length) {
      const bigger = new Float32Array(Math.max(values.length * 2, nv + ncol));
      bigger.set(values.subarray(0, nv));
      values = bigger;
    }
    for (let k = 0; k < ncol; k++) values[nv++] = fields[k]!;
    nrow++;
  };
  for (;;) {
    const n = readSync(fd, chunk, 0, chunk.length, null);
    if (n === 0) break;
    let buf = chunk.subarray(0, n);
    if (carry) {
      buf = Buffer.concat([carry, buf]);
      carry = undefined;
    }
    let s = 0;
    for (let i = 0; i < buf.length; i++) {
      if (buf[i] !== NL) continue;
      let e = i;
      if (e > s && buf[e - 1] === CR) e--;
      if (e > s) endRow(buf, s, e);
      line++;
      s = i + 1;
    }
    if (s < buf.length) carry = Buffer.from(buf.subarray(s));
  }
  if (carry) {
    let e = carry.length;
    if (e > 0 && carry[e - 1] === CR) e--;
    if (e > 0) endRow(carry, 0, e);
  }
  closeSync(fd);
  if (nrow === 0) throw badInput(`${path}: no rows`);
  const nx = opts.hasLabel ? ncol - 1 : ncol;
  const data = new Float32Array(nrow * nx);
  let label: Float32Array | undefined;
  if (opts.hasLabel) {
    label = new Float32Array(nrow);
    for (let r = 0, o = 0; r < nrow; r++, o += ncol) {
      label[r] = values[o]!;
      data.set(values.subarray(o + 1, o + ncol), r * nx);
    }
  } else {
    data.set(values.subarray(0, nrow * ncol));
  }
  return { label, x: { nrow, ncol: nx, data } };
}

/** One field as a double (NaN for empty / nan). */
function parseField(b: Buffer, s: number, e: number, fail: (msg: string) => never): number {
  while (s < e && (b[s] === 32 || b[s] === 9)) s++;
  while (e > s && (b[e - 1] === 32 || b[e - 1] === 9)) e--;
  if (s === e) return NaN;
  let i = s;
  let neg = false;
  if (b[i] === 45) {
    neg = true;
    i++;
  } else if (b[i] === 43) i++;
  let mant = 0;
  let digits = 0;
  let exp = 0;
  let any = false;
  while (i < e) {
    const c = b[i]! - 48;
    if (c < 0 || c > 9) break;
    any = true;
    if (digits > 0 || c !== 0) digits++;
    mant = mant * 10 + c;
    i++;
  }
  if (i < e && b[i] === 46) {
    i++;
    while (i < e) {
      const c = b[i]! - 48;
      if (c < 0 || c > 9) break;
      any = true;
      if (digits > 0 || c !== 0) digits++;
      mant = mant * 10 + c;
      exp--;
      i++;
    }
  }
  if (any && i < e && (b[i] === 101 || b[i] === 69)) {
    i++;
    let eneg = false;
    if (b[i] === 45) {
      eneg = true;
      i++;
    } else if (b[i] === 43) i++;
    let ev = 0;
    let eany = false;
    while (i < e) {
      const c = b[i]! - 48;
      if (c < 0 || c > 9) break;
      ev = ev * 10 + c;
      eany = true;
      i++;
    }
    if (!eany) i = -1;
    exp += eneg ? -ev : ev;
  }
  if (!any || i !== e) {
    const text = b.toString('latin1', s, e);
    const t = text.toLowerCase();
    if (t === 'nan' || t === '-nan' || t === 'na') return NaN;
    if (t === 'inf' || t === '+inf' || t === 'infinity') return Infinity;
    if (t === '-inf' || t === '-infinity') return -Infinity;
    return fail(`not a number: "${text.length > 40 ? text.slice(0, 40) + '...' : text}"`);
  }
  // more digits than a double holds exactly: let Number() parse the text (sign included)
  if (digits > 15 || exp < -22 || exp > 22) return Number(b.toString('latin1', s, e));
  const v = exp < 0 ? mant / POW10[-exp]! : mant * POW10[exp]!;
  return neg ? -v : v;
}

/** Shortest decimal that reads back as the same float32 ('' for NaN). */
export function formatFloat32(v: number): string {
  if (v !== v) return '';
  if (Number.isInteger(v) && Math.abs(v) < 1e15) return String(v);
  for (let p = 6; p <= 9; p++) {
    const s = v.toPrecision(p);
    if (Math.fround(Number(s)) === v) return String(Number(s));
  }
  return String(v);
}

/** Writes rows: the label (if any) first, then the features; missing as empty fields. */
export function writeNumericCsv(path: string, x: DenseMatrix, label?: ArrayLike<number>): void {
  const fd = openSync(path, 'w');
  try {
    const { nrow, ncol, data } = x;
    let out = '';
    for (let r = 0; r < nrow; r++) {
      let line = label ? formatFloat32(Math.fround(label[r]!)) : '';
      for (let c = 0; c < ncol; c++) {
        const s = formatFloat32(data[r * ncol + c]!);
        line = label || c > 0 ? line + ',' + s : s;
      }
      out += line + '\n';
      if (out.length > 1 << 20) {
        writeSync(fd, out);
        out = '';
      }
    }
    if (out) writeSync(fd, out);
  } finally {
    closeSync(fd);
  }
}

/** Writes one value per line (predictions). */
export function writeColumn(path: string, values: ArrayLike<number>): void {
  const fd = openSync(path, 'w');
  try {
    let out = '';
    for (let i = 0; i < values.length; i++) {
      out += String(values[i]) + '\n';
      if (out.length > 1 << 20) {
        writeSync(fd, out);
        out = '';
      }
    }
    if (out) writeSync(fd, out);
  } finally {
    closeSync(fd);
  }
}
