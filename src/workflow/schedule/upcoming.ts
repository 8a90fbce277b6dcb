/**
 * A workflow's schedule as fire times: `workflow.schedule` (Quartz) in `workflow.timezone`, inside
 * its `start_time`/`end_time` window, and the YAML files a folder of workflows holds.
 */
import { findWorkflowFiles } from '../dialect/discover.js';
import type { WorkflowDef } from '../model.js';
import { nextFireTimes, parseQuartz } from './quartz.js';

/** The next `n` fire times of `wf` strictly after `from`; [] when it has no schedule. */
export function upcomingFireTimes(wf: WorkflowDef, from: Date, n: number): Date[] {
  if (!wf.schedule) return [];
  const s = parseQuartz(wf.schedule, wf.timezone);
  return nextFireTimes(s, from, n, { start: wf.startTime, end: wf.endTime });
}

/** Whether the scheduler should fire `wf`: a schedule that is online in an online workflow. */
export function isScheduled(wf: WorkflowDef): boolean {
  return wf.schedule !== undefined && wf.onlineSchedule && wf.releaseState === 'online';
}

/** The workflow files directly in `dir`, sorted (other YAML, scripts/ and other folders are left out). */
export function workflowFilesIn(dir: string): string[] {
  return findWorkflowFiles(dir, 0);
}
