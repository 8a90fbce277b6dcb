/**
 * Quartz cron expressions, the schedule dialect of DolphinScheduler (`workflow.schedule`), and their
 * fire times in an IANA time zone.
 *
 * Written by hand on purpose: the maintained JS cron libraries implement the 5/6-field Unix or
 * "with seconds" dialects; none implements Quartz's 7-field form (seconds ... year) with `?`, `L`,
 * `L-n`, `W`, `LW`, `#` and Quartz's day-of-week numbering (1 = SUN), which is what a schedule
 * pushed to DolphinScheduler means.
 *
 * Fields: second minute hour day-of-month month day-of-week year. Exactly one of day-of-month and
 * day-of-week is `?` (as Quartz requires). Time zones go through Intl: a local time that does not
 * exist (the spring-forward gap) is skipped; one that happens twice (fall back) fires once, at its
 * first occurrence.
 */
import { localToInstant, wallClock } from './tz.js';

export class QuartzError extends Error {
  /** Index (0-6) of the field at fault, when one is. */
  field?: number;
}

function inField<T>(i: number, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof QuartzError && e.field === undefined) e.field = i;
    throw e;
  }
}

const FIELD_NAMES = ['second', 'minute', 'hour', 'day-of-month', 'month', 'day-of-week', 'year'] as const;
const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];
export const MIN_YEAR = 1970;
export const MAX_YEAR = 2199;

type DomSpec =
  | { kind: 'any' }
  | { kind: 'values'; set: Set<number> }
  | { kind: 'last'; offset: number } // L, L-n
  | { kind: 'lastWeekday' } // LW
  | { kind: 'nearestWeekday'; day: number }; // nW

type DowSpec =
  | { kind: 'any' }
  | { kind: 'values'; set: Set<number> } // 1..7, 1 = SUN
  | { kind: 'lastOf'; dow: number } // nL: the last such weekday of the month
  | { kind: 'nth'; dow: number; n: number }; // n#k

export interface QuartzSchedule {
  expr: string;
  timezone: string;
  seconds: number[];
  minutes: number[];
  hours: number[];
  dom: DomSpec;
  months: number[];
  dow: DowSpec;
  years: number[];
}

function parseValue(tok: string, field: number, min: number, max: number): number {
  const up = tok.toUpperCase();
  if (field === 4 && MONTHS.includes(up)) return MONTHS.indexOf(up) + 1;
  if (field === 5 && DAYS.includes(up)) return DAYS.indexOf(up) + 1;
  if (!/^\d+$/.test(tok)) throw new QuartzError(`${FIELD_NAMES[field]} field: "${tok}" is not a value`);
  const n = Number(tok);
  if (n < min || n > max) throw new QuartzError(`${FIELD_NAMES[field]} field: ${n} is out of range ${min}-${max}`);
  return n;
}

/** Numbers, names, ranges (wrapping allowed, e.g. 22-2), steps and lists -> sorted values. */
function parseList(src: string, field: number, min: number, max: number): number[] {
  const out = new Set<number>();
  for (const part of src.split(',')) {
    if (part === '') throw new QuartzError(`${FIELD_NAMES[field]} field: empty list item in "${src}"`);
    const [rangeSrc, stepSrc, extra] = part.split('/');
    if (extra !== undefined) throw new QuartzError(`${FIELD_NAMES[field]} field: "${part}" has two steps`);
    let step = 1;
    if (stepSrc !== undefined) {
      if (!/^\d+$/.test(stepSrc) || Number(stepSrc) < 1 || Number(stepSrc) > max - min + 1) {
        throw new QuartzError(`${FIELD_NAMES[field]} field: step "${stepSrc}" must be 1-${max - min + 1}`);
      }
      step = Number(stepSrc);
    }
    let start: number;
    let end: number;
    if (rangeSrc === '*' || rangeSrc === '?') {
      start = min;
      end = max;
    } else if (rangeSrc.includes('-')) {
      const [a, b, c] = rangeSrc.split('-');
      if (c !== undefined || a === '' || b === '') throw new QuartzError(`${FIELD_NAMES[field]} field: "${rangeSrc}" is not a range`);
      start = parseValue(a, field, min, max);
      end = parseValue(b, field, min, max);
    } else {
      start = parseValue(rangeSrc, field, min, max);
      end = stepSrc !== undefined ? max : start;
    }
    const span = end >= start ? end - start : end + (max - min + 1) - start;
    for (let k = 0; k <= span; k += step) out.add(((start - min + k) % (max - min + 1)) + min);
  }
  return [...out].sort((a, b) => a - b);
}

function parseDom(src: string): DomSpec {
  const up = src.toUpperCase();
  if (up === '?') return { kind: 'any' };
  if (up === 'L') return { kind: 'last', offset: 0 };
  if (up === 'LW') return { kind: 'lastWeekday' };
  let m = /^L-(\d+)$/.exec(up);
  if (m) {
    const off = Number(m[1]);
    if (off > 30) throw new QuartzError(`day-of-month field: offset from the last day "L-${off}" must be at most 30`);
    return { kind: 'last', offset: off };
  }
  m = /^(\d+)W$/.exec(up);
  if (m) return { kind: 'nearestWeekday', day: parseValue(m[1], 3, 1, 31) };
  if (/[LW#]/.test(up)) throw new QuartzError(`day-of-month field: "${src}" (L, L-n, nW and LW stand alone)`);
  if (up === '*') return { kind: 'any' };
  return { kind: 'values', set: new Set(parseList(src, 3, 1, 31)) };
}

function parseDow(src: string): DowSpec {
  const up = src.toUpperCase();
  if (up === '?' || up === '*') return { kind: 'any' };
  if (up === 'L') return { kind: 'values', set: new Set([7]) };
  let m = /^([A-Z]+|\d+)L$/.exec(up);
  if (m) return { kind: 'lastOf', dow: parseValue(m[1], 5, 1, 7) };
  m = /^([A-Z]+|\d+)#(\d+)$/.exec(up);
  if (m) {
    const n = Number(m[2]);
    if (n < 1 || n > 5) throw new QuartzError(`day-of-week field: "#${m[2]}" must be #1-#5`);
    return { kind: 'nth', dow: parseValue(m[1], 5, 1, 7), n };
  }
  if (/[L#W]/.test(up)) throw new QuartzError(`day-of-week field: "${src}" (nL and n#k stand alone)`);
  return { kind: 'values', set: new Set(parseList(src, 5, 1, 7)) };
}

/** Parses a 7-field Quartz expression; throws QuartzError naming the field at fault. */
export function parseQuartz(expr: string, timezone = 'Asia/Shanghai'): QuartzSchedule {
  const fields = expr.trim().split(/\s+/).filter((f) => f !== '');
  if (fields.length !== 7) {
    throw new QuartzError(`a Quartz schedule has 7 fields (second minute hour day-of-month month day-of-week year), got ${fields.length}`);
  }
  const [sec, min, hour, dom, month, dow, year] = fields;
  for (const [i, f] of fields.entries()) {
    if (f === '?' && i !== 3 && i !== 5) inField(i, () => { throw new QuartzError(`${FIELD_NAMES[i]} field: "?" is only allowed in day-of-month or day-of-week`); });
  }
  const domQ = dom === '?';
  const dowQ = dow === '?';
  if (domQ === dowQ) {
    throw new QuartzError(
      domQ
        ? 'day-of-month and day-of-week cannot both be "?"'
        : 'one of day-of-month and day-of-week must be "?" (Quartz does not support both)',
    );
  }
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: timezone });
  } catch {
    throw new QuartzError(`"${timezone}" is not an IANA time zone`);
  }
  return {
    expr,
    timezone,
    seconds: inField(0, () => parseList(sec, 0, 0, 59)),
    minutes: inField(1, () => parseList(min, 1, 0, 59)),
    hours: inField(2, () => parseList(hour, 2, 0, 23)),
    dom: inField(3, () => parseDom(dom)),
    months: inField(4, () => parseList(month, 4, 1, 12)),
    dow: inField(5, () => parseDow(dow)),
    years: inField(6, () => parseList(year, 6, MIN_YEAR, MAX_YEAR)),
  };
}

function minuteKey(y: number, m: number, d: number, h: number, mi: number): number {
  return ((((y * 13 + m) * 32 + d) * 24 + h) * 60) + mi;
}

function daysInMonth(y: number, m: number): number {
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

/** Quartz weekday (1 = SUN ... 7 = SAT) of a calendar date. */
function weekday(y: number, m: number, d: number): number {
  return new Date(Date.UTC(y, m - 1, d)).getUTCDay() + 1;
}

function isWeekday(y: number, m: number, d: number): boolean {
  const w = weekday(y, m, d);
  return w !== 1 && w !== 7;
}

/** The days of `y-m` the day fields select, ascending. */
export function matchingDays(s: QuartzSchedule, y: number, m: number): number[] {
  const n = daysInMonth(y, m);
  const out: number[] = [];
  const dom = s.dom;
  const dow = s.dow;
  if (dom.kind === 'values') {
    for (const d of [...dom.set].sort((a, b) => a - b)) if (d <= n) out.push(d);
  } else if (dom.kind === 'last') {
    if (n - dom.offset >= 1) out.push(n - dom.offset);
  } else if (dom.kind === 'lastWeekday') {
    let d = n;
    while (!isWeekday(y, m, d)) d--;
    out.push(d);
  } else if (dom.kind === 'nearestWeekday') {
    // The weekday nearest to the day, never leaving the month (Quartz's W).
    if (dom.day > n) return out;
    const target = dom.day;
    const w = weekday(y, m, target);
    let d = target;
    if (w === 7) d = target === 1 ? target + 2 : target - 1;
    else if (w === 1) d = target === n ? target - 2 : target + 1;
    out.push(d);
  } else if (dow.kind === 'values') {
    for (let d = 1; d <= n; d++) if (dow.set.has(weekday(y, m, d))) out.push(d);
  } else if (dow.kind === 'lastOf') {
    for (let d = n; d >= 1; d--) {
      if (weekday(y, m, d) === dow.dow) {
        out.push(d);
        break;
      }
    }
  } else if (dow.kind === 'nth') {
    const first = weekday(y, m, 1);
    const d = 1 + ((dow.dow - first + 7) % 7) + (dow.n - 1) * 7;
    if (d <= n) out.push(d);
  } else {
    for (let d = 1; d <= n; d++) out.push(d);
  }
  return out;
}

export interface FireWindow {
  /** Instants, or `yyyy-MM-dd HH:mm:ss` local times in the schedule's time zone. */
  start?: Date | string;
  end?: Date | string;
}

function toInstant(v: Date | string, tz: string): number {
  if (v instanceof Date) return v.getTime();
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2}):(\d{2}))?$/.exec(v.trim());
  if (!m) throw new QuartzError(`"${v}" is not a time (yyyy-MM-dd HH:mm:ss)`);
  const [y, mo, d, h = '0', mi = '0', s = '0'] = m.slice(1);
  const inst = localToInstant(+y, +mo, +d, +h, +mi, +s, tz);
  // A window edge inside a DST gap: take the moment the clocks jump to.
  return inst ?? (localToInstant(+y, +mo, +d, +h + 1, 0, 0, tz) as number);
}

/**
 * The next `n` fire times strictly after `from`, within the window (start and end inclusive).
 * Fewer when the schedule ends (its last year, or the window's end).
 */
export function nextFireTimes(s: QuartzSchedule, from: Date, n: number, window: FireWindow = {}): Date[] {
  const out: Date[] = [];
  if (n <= 0) return out;
  const tz = s.timezone;
  let after = from.getTime();
  if (window.start !== undefined) after = Math.max(after, toInstant(window.start, tz) - 1);
  const end = window.end !== undefined ? toInstant(window.end, tz) : Infinity;
  // Candidates are walked in local time. A local time before the wall clock at `after` cannot fire
  // after it (its first occurrence, the one that fires, came earlier), so it is skipped without
  // asking Intl.
  const w = wallClock(after, tz);
  const cut = minuteKey(w.year, w.month, w.day, w.hour, w.minute) * 60 + w.second;
  for (const y of s.years) {
    if (y < w.year) continue;
    for (const m of s.months) {
      if (y === w.year && m < w.month) continue;
      for (const d of matchingDays(s, y, m)) {
        if (y === w.year && m === w.month && d < w.day) continue;
        for (const h of s.hours) {
          if (minuteKey(y, m, d, h, 59) * 60 + 59 < cut) continue;
          for (const mi of s.minutes) {
            if (minuteKey(y, m, d, h, mi) * 60 + 59 < cut) continue;
            for (const sec of s.seconds) {
              if (minuteKey(y, m, d, h, mi) * 60 + sec < cut) continue;
              const t = localToInstant(y, m, d, h, mi, sec, tz);
              if (t === undefined || t <= after) continue;
              if (t > end) return out;
              out.push(new Date(t));
              if (out.length >= n) return out;
            }
          }
        }
      }
    }
  }
  return out;
}
