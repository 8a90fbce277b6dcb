/**
 * The TA-Lib oracle: the `talib` npm binding (1.1.6, TA-Lib 0.6 C). Its `execute` wants plain
 * arrays (typed arrays silently read as zeros) and writes `nbElement` values starting at
 * `begIndex`; we pad the front with 0 so indexes line up with the bars.
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const talib: any = require('talib');

/** Functions with optInPenetration and TA-Lib's default for it (the binding may crash without it). */
export const PENETRATION: Record<string, number> = {
  CDLABANDONEDBABY: 0.3,
  CDLDARKCLOUDCOVER: 0.5,
  CDLEVENINGDOJISTAR: 0.3,
  CDLEVENINGSTAR: 0.3,
  CDLMATHOLD: 0.5,
  CDLMORNINGDOJISTAR: 0.3,
  CDLMORNINGSTAR: 0.3,
};

export interface PlainOhlc {
  open: number[];
  high: number[];
  low: number[];
  close: number[];
}

export function plain(s: { open: Float64Array; high: Float64Array; low: Float64Array; close: Float64Array }): PlainOhlc {
  return { open: Array.from(s.open), high: Array.from(s.high), low: Array.from(s.low), close: Array.from(s.close) };
}

/** All names of TA-Lib's "Pattern Recognition" group. */
export function oraclePatternNames(): string[] {
  const fns: { name: string; group: string }[] = talib.functions;
  return fns.filter((f) => f.group === 'Pattern Recognition').map((f) => f.name).sort();
}

export function oracle(name: string, s: PlainOhlc): { out: Int32Array; begIndex: number } {
  const n = s.open.length;
  const out = new Int32Array(n);
  if (n === 0) return { out, begIndex: 0 };
  const args: Record<string, unknown> = { name, startIdx: 0, endIdx: n - 1, ...s };
  if (name in PENETRATION) args.optInPenetration = PENETRATION[name];
  const r = talib.execute(args);
  if (r.error) throw new Error(`talib ${name}: ${r.error}`);
  const vals: number[] = r.result.outInteger;
  for (let j = 0; j < r.nbElement; j++) out[r.begIndex + j] = vals[j]!;
  return { out, begIndex: r.begIndex };
}
