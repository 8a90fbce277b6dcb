/**
 * `executionType` between runs of one workflow (by name) in one store, across processes, through the
 * store's named locks (`serial:<workflow>`, RunStore.tryLock, as the scheduler uses them). DolphinScheduler
 * 3.1/3.2 (ProcessServiceImpl.saveSerialProcess, WorkflowExecuteRunnable.endProcess/checkSerialProcess):
 *
 * - SERIAL_WAIT: a run that finds another one going (or waiting) is SERIAL_WAIT until the runs ahead of
 *   it end, then runs; waiters go in order of submission (DS: `loadNextProcess4Serial`, lowest id first;
 *   here the time a run started waiting, so a recovered old run queues behind newer waiters).
 * - SERIAL_DISCARD: a run that finds another one going ends at once in DS's state STOP
 *   ("stop by serial_discard strategy"); nothing of it runs.
 * - SERIAL_PRIORITY: despite its name, DS 3.x does not queue by priority: the new run stops the running
 *   (and waiting) ones (READY_STOP -> STOP, "ready stop by serial_priority strategy") and starts. Here it
 *   takes the lock over; the holder sees it lost it (it checks every WATCH_MS), stops its tasks and ends
 *   STOP. Unlike DS, which starts the new run at once, the new run waits (SERIAL_WAIT) until the stopped
 *   run has ended, so two runs of one workflow never overlap.
 *
 * A PARALLEL workflow (the default) never gets here: no store query is added to it.
 */
import { hostname } from 'node:os';
import type { WorkflowDef } from '../model.js';
import { pidAlive, type RunStore } from '../store.js';

const POLL_MS = 200;
const WATCH_MS = 250;

export type Admission = { go: true; waited?: string } | { go: false; state: 'STOP' | 'KILL'; message: string };

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export class SerialGate {
  private readonly lock: string;
  private readonly owner: string;
  private watcher: NodeJS.Timeout | undefined;

  constructor(
    private readonly store: RunStore,
    private readonly wf: WorkflowDef,
    private readonly runId: number,
  ) {
    this.lock = `serial:${wf.name}`;
    this.owner = `run:${runId}`;
  }

  static for(store: RunStore, wf: WorkflowDef, runId: number, dryRun: boolean): SerialGate | undefined {
    return wf.executionType === 'PARALLEL' || dryRun ? undefined : new SerialGate(store, wf, runId);
  }

  /** Takes the workflow's turn now if no other run holds it or waits ahead of this one. */
  tryTake(queuedAt: number | null = null): boolean {
    return this.store.tryLock(this.lock, this.owner, { guard: () => !this.store.hasWaiterAhead(this.wf.name, this.runId, queuedAt) });
  }

  /** The run that holds the workflow's turn (for messages), e.g. "run 12 (pid 345)". */
  holder(): { runId: number | undefined; text: string } {
    const h = this.store.lockHolder(this.lock);
    const runId = h && /^run:(\d+)$/.test(h.owner) ? Number(h.owner.slice(4)) : undefined;
    if (!h) return { runId, text: 'another run' };
    return { runId, text: `${runId !== undefined ? `run ${runId}` : h.owner} (pid ${h.pid} on ${h.hostname})` };
  }

  /**
   * Waits for the run's turn per the execution type. `stopped()` is polled: a run stopped while
   * waiting ends KILL without starting. `onWait` is told once when the run starts waiting.
   */
  async admit(stopped: () => boolean, onWait: (message: string) => void): Promise<Admission> {
    if (this.tryTake()) return { go: true };
    const other = this.holder();
    const type = this.wf.executionType;
    if (type === 'SERIAL_DISCARD') {
      return { go: false, state: 'STOP', message: `discarded (SERIAL_DISCARD): ${other.text} of ${this.wf.name} is running` };
    }
    if (type === 'SERIAL_PRIORITY') {
      this.store.tryLock(this.lock, this.owner, { steal: true });
      const message = `stopping ${other.text} of ${this.wf.name} (SERIAL_PRIORITY); starts when it has ended`;
      this.store.queueRun(this.runId, Date.now(), message);
      onWait(message);
      const victim = other.runId;
      for (;;) {
        if (stopped()) return this.giveUp('stopped while waiting for the run it stops (SERIAL_PRIORITY)');
        if (!this.holdsLock()) {
          // A newer SERIAL_PRIORITY run took over meanwhile: this one is stopped in turn.
          return { go: false, state: 'STOP', message: `stopped before it started by ${this.holder().text} (SERIAL_PRIORITY)` };
        }
        const v = victim !== undefined ? this.store.getRun(victim) : undefined;
        if (!v || (v.state !== 'RUNNING_EXECUTION' && v.state !== 'SERIAL_WAIT') || !alive(v.pid, v.hostname)) break;
        await sleep(POLL_MS);
      }
      return { go: true, waited: `run ${victim ?? '?'} has stopped` };
    }
    // SERIAL_WAIT
    const queuedAt = Date.now();
    const message = `waiting (SERIAL_WAIT): ${other.text} of ${this.wf.name} is running`;
    this.store.queueRun(this.runId, queuedAt, message);
    onWait(message);
    for (;;) {
      await sleep(POLL_MS);
      if (stopped()) return this.giveUp('stopped while waiting for its turn (SERIAL_WAIT)');
      if (this.tryTake(queuedAt)) return { go: true, waited: 'the runs ahead of it have ended' };
    }
  }

  private giveUp(message: string): Admission {
    this.release();
    return { go: false, state: 'KILL', message };
  }

  private holdsLock(): boolean {
    const h = this.store.lockHolder(this.lock);
    return h !== undefined && h.owner === this.owner && h.pid === process.pid;
  }

  /** While the run goes: calls `onTakenOver` once if a newer SERIAL_PRIORITY run takes its turn. */
  watch(onTakenOver: (by: string) => void): void {
    this.watcher = setInterval(() => {
      if (this.holdsLock()) return;
      this.stopWatching();
      onTakenOver(this.holder().text);
    }, WATCH_MS);
    this.watcher.unref?.();
  }

  private stopWatching(): void {
    if (this.watcher) clearInterval(this.watcher);
    this.watcher = undefined;
  }

  /** The run has ended: the next one may go. */
  release(): void {
    this.stopWatching();
    this.store.unlock(this.lock, this.owner);
  }
}

function alive(pid: number, host: string): boolean {
  return host !== hostname() || pidAlive(pid);
}
