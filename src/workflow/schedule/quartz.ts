/** Quartz cron (interim: field count only; the full parser follows). */
export class QuartzError extends Error {}

export interface QuartzSchedule {
  expr: string;
  timezone: string;
}

export function parseQuartz(expr: string, timezone: string): QuartzSchedule {
  const fields = expr.trim().split(/\s+/);
  if (fields.length !== 7) throw new QuartzError(`a Quartz schedule has 7 fields (sec min hour day-of-month month day-of-week year), got ${fields.length}`);
  return { expr, timezone };
}
