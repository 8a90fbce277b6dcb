/**
 * Worker side of computeAllPatternsParallel: reads the whole market's OHLC from shared memory,
 * computes all 61 patterns for the chunks of stocks it is sent, and transfers back one packed
 * Int32Array per chunk (pattern-major per stock: for each stock, PATTERN_NAMES.length rows of n).
 */
import { parentPort } from 'node:worker_threads';
import { CandleContext } from './candle-settings.js';
import { PATTERN_NAMES, runPattern } from './index.js';

interface Init {
  type: 'init';
  open: Float64Array;
  high: Float64Array;
  low: Float64Array;
  close: Float64Array;
  offsets: Int32Array;
}
interface Chunk {
  type: 'chunk';
  from: number;
  to: number;
}

let market: Init | undefined;
let ctx: CandleContext | undefined;
const port = parentPort;
if (port) {
  port.on('message', (msg: Init | Chunk) => {
    if (msg.type === 'init') {
      market = msg;
      return;
    }
    const m = market!;
    const { from, to } = msg;
    const off = m.offsets;
    const P = PATTERN_NAMES.length;
    const buf = new Int32Array((off[to]! - off[from]!) * P);
    let pos = 0;
    for (let s = from; s < to; s++) {
      const a = off[s]!;
      const b = off[s + 1]!;
      const n = b - a;
      const o = m.open.subarray(a, b);
      const h = m.high.subarray(a, b);
      const l = m.low.subarray(a, b);
      const c = m.close.subarray(a, b);
      ctx = ctx ? ctx.reset(o, h, l, c) : new CandleContext(o, h, l, c);
      for (let k = 0; k < P; k++) {
        runPattern(PATTERN_NAMES[k]!, ctx, buf.subarray(pos, pos + n));
        pos += n;
      }
    }
    port.postMessage({ type: 'result', from, to, buf }, [buf.buffer]);
  });
}
