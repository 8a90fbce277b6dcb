/**
 * A stock's daily bars as columns. `dates` are yyyymmdd integers (20210930): sortable, compact,
 * readable in a debugger, and exact as SQLite INTEGERs. Every column has the same length, dates
 * ascending, one bar per traded day (suspended days are not stored).
 */
export interface Bars {
  code: string;
  dates: Int32Array;
  open: Float64Array;
  high: Float64Array;
  low: Float64Array;
  close: Float64Array;
  volume: Float64Array;
}

export function emptyBars(code: string, n = 0): Bars {
  return {
    code,
    dates: new Int32Array(n),
    open: new Float64Array(n),
    high: new Float64Array(n),
    low: new Float64Array(n),
    close: new Float64Array(n),
    volume: new Float64Array(n),
  };
}

/** The bars from index `from` (inclusive) to `to` (exclusive), sharing memory. */
export function sliceBars(b: Bars, from: number, to = b.dates.length): Bars {
  return {
    code: b.code,
    dates: b.dates.subarray(from, to),
    open: b.open.subarray(from, to),
    high: b.high.subarray(from, to),
    low: b.low.subarray(from, to),
    close: b.close.subarray(from, to),
    volume: b.volume.subarray(from, to),
  };
}
