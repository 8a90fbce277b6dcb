/**
 * The workflow-level `timeout` (minutes). In DolphinScheduler it only alerts
 * (StateWheelExecuteThread.checkProcess4Timeout -> WorkflowTimeoutStateEventHandler ->
 * WorkflowExecuteRunnable.processTimeout -> ProcessAlertManager.sendProcessTimeoutAlert); the workflow
 * goes on, and the instance is removed from the timeout check list once it has fired: one alert. Locally the alert is a `system` log line of the run (no task),
 * an `alert` event (the CLI prints it, the TUI can show it) and `timeout_alert_at` on the run's row.
 * The clock starts when the run starts executing (after any SERIAL_WAIT).
 */
import type { Emitter } from '../../core/events.js';
import type { WorkflowDef } from '../model.js';
import type { RunStore } from '../store.js';
import type { RunEvents } from './events.js';

export function watchWorkflowTimeout(o: { store: RunStore; events: Emitter<RunEvents>; workflow: WorkflowDef; runId: number; parentRunId?: number; dryRun: boolean }): () => void {
  const minutes = o.workflow.timeout;
  if (!(minutes > 0) || o.dryRun) return () => {};
  const timer = setTimeout(() => {
    const time = Date.now();
    const message = `WARN: workflow ${o.workflow.name} (run ${o.runId}) exceeded its timeout of ${minutes} min; it goes on (a workflow timeout only alerts, as in DolphinScheduler)`;
    o.store.setTimeoutAlert(o.runId, time);
    o.store.appendLog({ runId: o.runId, taskInstanceId: null, ts: time, stream: 'system', line: message });
    o.events.emit('alert', { runId: o.runId, parentRunId: o.parentRunId, workflow: o.workflow.name, kind: 'timeout', message, time });
  }, minutes * 60_000);
  timer.unref?.();
  return () => clearTimeout(timer);
}
