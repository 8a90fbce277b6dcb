/**
 * The runs the TUI starts, for the controller: run (after a confirmation when it starts SageMaker
 * executions, which cost money), recover, stop, and quit (asking first while runs are active,
 * then stopping them so their tasks end KILL). Engine events are coalesced and applied on the
 * frame beat; when a run ends the workflows' last runs and the Runs screen are refreshed.
 */
import type { Action, State } from './state.js';
import type { Engine } from './engine.js';
import { Coalescer, type EngineEvent } from './engine-events.js';
import type { Intent } from './types.js';

export interface RunControlDeps {
  engine: Engine;
  dispatch: (a: Action) => void;
  state: () => State;
  status: (text: string, level?: 'info' | 'warn' | 'err') => void;
  exit: () => void;
  /** After a run ends: the workflows' last runs and the run history changed. */
  runEnded: () => void;
  /** How long engine events wait to be applied when no beat takes them first. */
  flushMs: number;
}

export class RunControl {
  private readonly coalescer: Coalescer;
  private quitting = false;

  constructor(private readonly d: RunControlDeps) {
    this.coalescer = new Coalescer((events) => d.dispatch({ type: 'engine', events }), d.flushMs);
  }

  /** Whether engine events wait for the next frame. */
  get pending(): boolean {
    return this.coalescer.pending;
  }

  /** Applies the engine events that arrived since the last frame. */
  flush(): void {
    this.coalescer.drain();
  }

  dispose(): void {
    this.coalescer.dispose();
  }

  private onEvent = (e: EngineEvent): void => this.coalescer.push(e);

  /** Runs the open workflow (or from one task), asking first when that starts SageMaker executions. */
  requestRun(intent: Extract<Intent, { type: 'run' }>): void {
    const s = this.d.state();
    if (!s.dag.file) return this.d.status('open a workflow first (Workflows screen, enter)', 'warn');
    const sm = s.dag.tasks.filter((t) => t.type === 'SAGEMAKER' && !t.indent);
    if (sm.length) {
      return this.d.dispatch({
        type: 'overlay',
        overlay: {
          kind: 'confirm',
          title: `run ${s.dag.workflow}${intent.task ? ` from ${intent.task} (${intent.deps})` : ''}?`,
          lines: [`starts SageMaker pipeline executions (${sm.map((t) => t.name).join(', ')}), which cost money`],
          intent,
        },
      });
    }
    void this.execIntent(intent);
  }

  /** Carries out an intent (confirmed, or needing no confirmation); errors become status lines. */
  async execIntent(intent: Intent): Promise<void> {
    const s = this.d.state();
    const e = this.d.engine;
    try {
      if (intent.type === 'quit') return await this.stopAndExit();
      if (intent.type === 'stop') {
        e.handles.get(intent.runId)?.stop();
        return this.d.status(`stopping run #${intent.runId}…`, 'warn');
      }
      if (!s.dag.file) return;
      const params = Object.fromEntries(Object.entries(s.dag.params).filter(([k, v]) => s.dag.paramDefaults[k] !== v));
      const h =
        intent.type === 'recover'
          ? await e.start('recover', { file: s.dag.file, runId: intent.runId, params }, this.onEvent)
          : await e.start('start', { file: s.dag.file, params, startTasks: intent.task ? [intent.task] : undefined, deps: intent.deps }, this.onEvent);
      this.d.dispatch({ type: 'dag-run', runId: h.runId, live: intent.type === 'recover' ? e.liveOf(h.runId) : {} });
      this.d.dispatch({ type: 'run-active', runId: h.runId, active: true });
      this.d.status(`${intent.type === 'recover' ? 'recovering' : 'started'} run #${h.runId}${intent.type === 'run' && intent.task ? ` (${intent.task}, ${intent.deps})` : ''}`);
      void h.done.then(
        (sum) => {
          this.coalescer.drain();
          this.d.dispatch({ type: 'run-active', runId: h.runId, active: false });
          const st = (sum as { state?: string }).state ?? 'done';
          this.d.status(`run #${h.runId} ${String(st).toLowerCase()}`, st === 'SUCCESS' ? 'info' : 'warn');
          this.d.runEnded();
        },
        (err: unknown) => {
          this.coalescer.drain();
          this.d.dispatch({ type: 'run-active', runId: h.runId, active: false });
          this.d.status(`run #${h.runId} failed: ${(err as Error).message}`, 'err');
        },
      );
    } catch (err) {
      this.d.status((err as Error).message.split('\n')[0]!, 'err');
    }
  }

  /** Quits, asking first while runs are active (quitting then stops them). */
  quit(): void {
    const s = this.d.state();
    if (this.quitting) return;
    if (s.activeRuns.length) {
      return this.d.dispatch({
        type: 'overlay',
        overlay: {
          kind: 'confirm',
          title: 'quit?',
          lines: [`${s.activeRuns.length} run(s) active (#${s.activeRuns.join(', #')}): quitting stops them`, 'their running tasks end KILL and can be recovered'],
          intent: { type: 'quit' },
        },
      });
    }
    this.quitting = true;
    this.d.exit();
  }

  private async stopAndExit(): Promise<void> {
    this.quitting = true;
    this.d.status('stopping runs…', 'warn');
    await this.d.engine.stopAll();
    this.coalescer.drain();
    this.d.exit();
  }
}
