/** Runner events flattened into one tagged union, so they can be queued and applied in batches. */
import type { RunEvents } from '../workflow/runner/events.js';

export type EngineEvent =
  | ({ kind: 'run' } & RunEvents['run'])
  | ({ kind: 'task' } & RunEvents['task'])
  | ({ kind: 'log' } & RunEvents['log'])
  | ({ kind: 'progress' } & RunEvents['progress'])
  | ({ kind: 'step' } & RunEvents['step'])
  /** A workflow-level alert (its timeout); `alert` is the runner's own kind. */
  | ({ kind: 'alert'; alert: RunEvents['alert']['kind'] } & Omit<RunEvents['alert'], 'kind'>);

/**
 * Collects events and hands them over at most every `intervalMs` (the controller's frame beat),
 * or when drained, so a chatty run never re-renders the screen per log line.
 */
export class Coalescer {
  private queue: EngineEvent[] = [];
  private timer: NodeJS.Timeout | undefined;
  constructor(
    private readonly flush: (events: EngineEvent[]) => void,
    private readonly intervalMs = 100,
  ) {}

  push(e: EngineEvent): void {
    this.queue.push(e);
    if (!this.timer) this.timer = setTimeout(() => this.drain(), this.intervalMs);
  }

  /** Whether events wait for the next flush. */
  get pending(): boolean {
    return this.queue.length > 0;
  }

  drain(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.queue.length === 0) return;
    const q = this.queue;
    this.queue = [];
    this.flush(q);
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.queue = [];
  }
}
