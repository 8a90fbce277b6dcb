/** Worker-thread entry of computeMarket: computes stocks on its own read connection. */
import { parentPort, workerData } from 'node:worker_threads';
import { openDb } from '../../core/db.js';
import { MarketStore } from '../../market/store.js';
import { computeSymbol, type SymbolResult } from './compute.js';
import { prepare, type WorkerInit } from './market.js';

const init = workerData as WorkerInit;
// A normal (WAL) connection that only reads: the parent thread is the only writer.
const db = openDb(init.dbPath);
const market = new MarketStore(db);
const ready = prepare(init.config, init.selection);

parentPort!.on('message', (m: { type: 'work'; jobs: { code: string; isIndex: boolean }[] }) => {
  void ready.then(
    ({ sets, signals }) => {
      try {
        const results: SymbolResult[] = m.jobs.map((j) => computeSymbol(db, market.readBars(j.code), j.isIndex, sets, signals));
        const transfer: ArrayBuffer[] = [];
        for (const r of results) {
          for (const s of r.sets) transfer.push(s.dates.buffer as ArrayBuffer);
          for (const s of r.signals) transfer.push(s.dates.buffer as ArrayBuffer, s.buy.buffer as ArrayBuffer);
        }
        parentPort!.postMessage({ type: 'result', results }, transfer);
      } catch (e) {
        parentPort!.postMessage({ type: 'error', message: (e as Error).message });
      }
    },
    (e: unknown) => parentPort!.postMessage({ type: 'error', message: (e as Error).message }),
  );
});
