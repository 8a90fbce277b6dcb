/**
 * Bars for the candlestick exactness suite: the real CSI 300 daily CSVs (read in place, volume-0 /
 * empty-volume suspended days dropped, as the market store does) and adversarial synthetic bars.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { csi300Dir } from '../../support/fs.js';
import { Rng } from '../../../src/market/synthetic.js';

export interface OhlcSeries {
  label: string;
  dates: string[];
  open: Float64Array;
  high: Float64Array;
  low: Float64Array;
  close: Float64Array;
}

/** One CSV of ../shared/data/csi300-daily/daily, columns read by header name. */
export function readCsiCsv(path: string, label: string): OhlcSeries {
  const lines = readFileSync(path, 'utf8').split(/\r?\n/);
  const head = lines[0]!.split(',');
  const col = (n: string): number => {
    const k = head.indexOf(n);
    if (k < 0) throw new Error(`${path}: no column ${n}`);
    return k;
  };
  const [cd, co, ch, cl, cc, cv] = ['date', 'open', 'high', 'low', 'close', 'volume'].map(col) as number[];
  const dates: string[] = [];
  const o: number[] = [];
  const h: number[] = [];
  const l: number[] = [];
  const c: number[] = [];
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!;
    if (!line) continue;
    const f = line.split(',');
    const vol = f[cv!]!;
    if (vol === '' || Number(vol) === 0) continue;
    dates.push(f[cd!]!);
    o.push(Number(f[co!]));
    h.push(Number(f[ch!]));
    l.push(Number(f[cl!]));
    c.push(Number(f[cc!]));
  }
  return {
    label,
    dates,
    open: Float64Array.from(o),
    high: Float64Array.from(h),
    low: Float64Array.from(l),
    close: Float64Array.from(c),
  };
}

export function csiFiles(): string[] {
  const dir = join(csi300Dir, 'daily');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.csv'))
    .sort()
    .map((f) => join(dir, f));
}

/** A small deterministic PRNG (the demo market's mulberry32), as a function. */
export function rng(seed: number): () => number {
  const g = new Rng(seed);
  return () => g.next();
}

const tick = (x: number): number => Math.round(x * 100) / 100;

function series(label: string, o: number[], h: number[], l: number[], c: number[]): OhlcSeries {
  return {
    label,
    dates: o.map((_, i) => `#${i}`),
    open: Float64Array.from(o),
    high: Float64Array.from(h),
    low: Float64Array.from(l),
    close: Float64Array.from(c),
  };
}

/**
 * Bars built from shapes on a 0.01 tick: marubozus, dojis, hammers, stars, flat bars (O=H=L=C),
 * zero-range days, tiny ranges, gaps, inside bars, opens equal to the previous close/open and
 * closes equal to the previous close, and long runs of dojis and flat bars.
 */
export function adversarialBars(seed: number, n: number): OhlcSeries {
  const r = rng(seed);
  const o: number[] = [];
  const h: number[] = [];
  const l: number[] = [];
  const c: number[] = [];
  let prevO = 10;
  let prevC = 10;
  let prevH = 10.2;
  let prevL = 9.8;
  let run = 0;
  let runKind = 0;
  for (let i = 0; i < n; i++) {
    if (run === 0 && r() < 0.02) {
      run = 5 + Math.floor(r() * 20);
      runKind = Math.floor(r() * 3);
    }
    const base = Math.max(1, prevC);
    const unit = Math.max(0.01, tick(base * (0.002 + r() * 0.03)));
    let op: number;
    const ro = r();
    if (ro < 0.25) op = prevC;
    else if (ro < 0.35) op = prevO;
    else if (ro < 0.45) op = tick(prevH + unit * (1 + Math.floor(r() * 3)));
    else if (ro < 0.55) op = tick(prevL - unit * (1 + Math.floor(r() * 3)));
    else if (ro < 0.62) op = prevH;
    else if (ro < 0.69) op = prevL;
    else op = tick(prevC + unit * (r() * 4 - 2));
    op = Math.max(0.01, op);
    let cl: number;
    let hi: number;
    let lo: number;
    const shape = run > 0 ? (runKind === 0 ? 10 : runKind === 1 ? 11 : 12) : Math.floor(r() * 10);
    const body = unit * (1 + Math.floor(r() * 6));
    const dir = r() < 0.5 ? 1 : -1;
    switch (shape) {
      case 0: // marubozu
        cl = tick(op + dir * body * 2);
        hi = Math.max(op, cl);
        lo = Math.min(op, cl);
        break;
      case 1: // doji with shadows
        cl = r() < 0.5 ? op : tick(op + dir * 0.01);
        hi = tick(Math.max(op, cl) + unit * Math.floor(r() * 4));
        lo = tick(Math.min(op, cl) - unit * Math.floor(r() * 4));
        break;
      case 2: // hammer / hanging man
        cl = tick(op + dir * unit * 0.5);
        hi = Math.max(op, cl) + (r() < 0.5 ? 0 : 0.01);
        lo = tick(Math.min(op, cl) - unit * (2 + Math.floor(r() * 4)));
        break;
      case 3: // inverted hammer / shooting star
        cl = tick(op + dir * unit * 0.5);
        lo = Math.min(op, cl) - (r() < 0.5 ? 0 : 0.01);
        hi = tick(Math.max(op, cl) + unit * (2 + Math.floor(r() * 4)));
        break;
      case 4: // flat bar
        cl = op;
        hi = op;
        lo = op;
        break;
      case 5: // close equals previous close
        cl = prevC;
        hi = tick(Math.max(op, cl) + unit * Math.floor(r() * 3));
        lo = tick(Math.min(op, cl) - unit * Math.floor(r() * 3));
        break;
      case 6: // inside bar
        cl = tick((prevH + prevL) / 2 + dir * 0.01);
        op = tick((prevH + prevL) / 2 - dir * 0.01);
        hi = tick(Math.max(op, cl, prevH - 0.01));
        lo = tick(Math.min(op, cl, prevL + 0.01));
        if (hi >= prevH) hi = Math.max(op, cl);
        if (lo <= prevL) lo = Math.min(op, cl);
        break;
      case 7: // tiny range
        cl = tick(op + dir * 0.01);
        hi = Math.max(op, cl);
        lo = Math.min(op, cl);
        break;
      default: // random
        cl = tick(op + dir * body * r() * 3);
        hi = tick(Math.max(op, cl) + unit * r() * 3);
        lo = tick(Math.min(op, cl) - unit * r() * 3);
    }
    if (shape === 10) {
      // doji run
      cl = op;
      hi = tick(op + unit * Math.floor(r() * 3));
      lo = tick(op - unit * Math.floor(r() * 3));
    } else if (shape === 11) {
      // flat, zero-range run at the same price
      op = prevC;
      cl = op;
      hi = op;
      lo = op;
    } else if (shape === 12) {
      // tiny alternating bodies
      cl = tick(op + (i % 2 ? 0.01 : -0.01));
      hi = Math.max(op, cl);
      lo = Math.min(op, cl);
    }
    if (run > 0) run--;
    cl = Math.max(0.01, cl);
    lo = Math.max(0.01, Math.min(lo, op, cl));
    hi = Math.max(hi, op, cl);
    o.push(op);
    h.push(hi);
    l.push(lo);
    c.push(cl);
    prevO = op;
    prevC = cl;
    prevH = hi;
    prevL = lo;
  }
  return series(`adversarial#${seed}`, o, h, l, c);
}

/** Random walk with prices on a 0.01 tick (many exact ties between neighbouring prices). */
export function tickWalk(seed: number, n: number, start = 5): OhlcSeries {
  const r = rng(seed);
  const o: number[] = [];
  const h: number[] = [];
  const l: number[] = [];
  const c: number[] = [];
  let p = start;
  for (let i = 0; i < n; i++) {
    const op = tick(Math.max(0.05, p + (Math.floor(r() * 5) - 2) * 0.01));
    const cl = tick(Math.max(0.05, op + (Math.floor(r() * 9) - 4) * 0.01));
    const hi = tick(Math.max(op, cl) + Math.floor(r() * 3) * 0.01);
    const lo = tick(Math.max(0.01, Math.min(op, cl) - Math.floor(r() * 3) * 0.01));
    o.push(op);
    h.push(hi);
    l.push(lo);
    c.push(cl);
    p = cl;
  }
  return series(`tickwalk#${seed}`, o, h, l, c);
}

/** Special cases: all flat, constant price, too short for any lookback, a single bar. */
export function edgeCases(): OhlcSeries[] {
  const flat = (n: number, p: number) => series(`flat${n}`, Array(n).fill(p), Array(n).fill(p), Array(n).fill(p), Array(n).fill(p));
  const out = [flat(40, 10), flat(1, 3), flat(12, 7)];
  const short = tickWalk(99, 9);
  short.label = 'short9';
  out.push(short);
  return out;
}
