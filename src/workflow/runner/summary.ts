/** The `quantflow run --json` document of a run, from the store. */
import { isoWithOffset } from '../../core/time.js';
import type { WorkflowDef } from '../model.js';
import type { TaskState, WorkflowState } from '../states.js';
import type { RunStore } from '../store.js';

export interface TaskSummary {
  name: string;
  type: string;
  state: TaskState;
  attempts: number;
  startTime: string | null;
  endTime: string | null;
  exitCode: number | null;
  childRunId?: number;
}

export interface RunSummary {
  id: number;
  workflow: string;
  state: WorkflowState;
  startTime: string;
  endTime: string | null;
  /** Why the run is in its state (serial execution: discarded, stopped by a newer run). */
  message?: string;
  /** When the workflow timeout alert was raised (the run went on). */
  timeoutAlert?: string;
  tasks: TaskSummary[];
}

const iso = (t: number | null) => (t === null ? null : isoWithOffset(t));

/** Tasks in the workflow's declaration order (one entry per task that is part of the run). */
export function summarize(store: RunStore, runId: number, wf?: WorkflowDef): RunSummary {
  const run = store.getRun(runId);
  if (!run) throw new Error(`no run ${runId}`);
  const rows = store.taskInstances(runId, { includeHistory: false });
  const byName = new Map<string, typeof rows>();
  for (const r of rows) {
    const list = byName.get(r.name) ?? [];
    list.push(r);
    byName.set(r.name, list);
  }
  const order = wf ? wf.tasks.map((t) => t.name).filter((n) => byName.has(n)) : [...byName.keys()];
  for (const n of byName.keys()) if (!order.includes(n)) order.push(n);
  const tasks: TaskSummary[] = order.map((name) => {
    const list = byName.get(name)!;
    const last = list[list.length - 1]!;
    const first = list.find((r) => r.startTime !== null);
    const child = [...list].reverse().find((r) => r.childRunId !== null);
    return {
      name,
      type: last.type,
      state: last.state,
      attempts: list.length,
      startTime: iso(first?.startTime ?? null),
      endTime: iso(last.endTime),
      exitCode: last.exitCode,
      ...(child ? { childRunId: child.childRunId! } : {}),
    };
  });
  return {
    id: run.id,
    workflow: run.name,
    state: run.state,
    startTime: isoWithOffset(run.startTime),
    endTime: iso(run.endTime),
    ...(run.message ? { message: run.message } : {}),
    ...(run.timeoutAlertAt !== null ? { timeoutAlert: isoWithOffset(run.timeoutAlertAt) } : {}),
    tasks,
  };
}
