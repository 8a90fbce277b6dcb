/**
 * DolphinScheduler's `$[...]` time expressions (TimePlaceholderUtils / ParameterUtils.dateTemplateParse),
 * evaluated against a base time (the run's schedule time, else its start time):
 *   $[yyyyMMdd] $[yyyy-MM-dd HH:mm:ss]          Java date patterns
 *   $[yyyyMMdd-1] $[yyyyMMdd+7*2]              days (integer arithmetic, Java int division)
 *   $[HHmmss-1/24] $[HHmmss+5/24/60]           hours and minutes
 *   add_months(fmt,N) this_day(fmt) last_day(fmt) year_week(fmt[,startDow])
 *   month_first_day(fmt,N) month_last_day(fmt,N) (N months) week_first_day(fmt,N) week_last_day(fmt,N) (N weeks)
 *   month_begin(fmt,N) month_end(fmt,N) week_begin(fmt,N) week_end(fmt,N) (N days; older forms)
 *   timestamp(expr)                              epoch seconds of the formatted expression
 */
import { formatJavaDate, truncateToPattern } from './java-date.js';

/** Integer arithmetic with + - * / ( ) and unary signs; division truncates like Java's int division. */
export function calculate(expression: string): number {
  const s = expression.replace(/\s+/g, '');
  let i = 0;
  const fail = (): never => {
    throw new Error(`invalid arithmetic "${expression}"`);
  };
  const primary = (): number => {
    const c = s[i];
    if (c === '+') {
      i++;
      return primary();
    }
    if (c === '-') {
      i++;
      return -primary();
    }
    if (c === '(') {
      i++;
      const v = sum();
      if (s[i] !== ')') fail();
      i++;
      return v;
    }
    const m = /^\d+/.exec(s.slice(i));
    if (!m) return fail();
    i += m[0].length;
    return Number(m[0]);
  };
  const product = (): number => {
    let v = primary();
    while (s[i] === '*' || s[i] === '/') {
      const op = s[i++];
      const r = primary();
      if (op === '*') v = v * r;
      else {
        if (r === 0) fail();
        v = Math.trunc(v / r);
      }
    }
    return v;
  };
  const sum = (): number => {
    let v = product();
    while (s[i] === '+' || s[i] === '-') {
      const op = s[i++];
      const r = product();
      v = op === '+' ? v + r : v - r;
    }
    return v;
  };
  if (s.length === 0) fail();
  const v = sum();
  if (i !== s.length) fail();
  return v;
}

const addMinutes = (d: Date, n: number) => new Date(d.getTime() + n * 60_000);
const addDays = (d: Date, n: number) => {
  const r = new Date(d.getTime());
  r.setDate(r.getDate() + n);
  return r;
};
/** Calendar.add(MONTH): the day is clamped to the target month's length. */
function addMonths(d: Date, n: number): Date {
  const r = new Date(d.getTime());
  const day = r.getDate();
  r.setDate(1);
  r.setMonth(r.getMonth() + n);
  const last = new Date(r.getFullYear(), r.getMonth() + 1, 0).getDate();
  r.setDate(Math.min(day, last));
  return r;
}
const firstDayOfMonth = (d: Date) => {
  const r = new Date(d.getTime());
  r.setDate(1);
  return r;
};
const lastDayOfMonth = (d: Date) => {
  const r = firstDayOfMonth(d);
  r.setMonth(r.getMonth() + 1);
  r.setDate(0);
  return r;
};
/** Monday of the Monday-first week containing d (time kept). */
const monday = (d: Date) => addDays(d, -((d.getDay() + 6) % 7));
/** Sunday ending the Monday-first week containing d. */
const sunday = (d: Date) => addDays(monday(d), 6);

function args(expr: string, name: string): string[] {
  if (!expr.endsWith(')') || expr[name.length] !== '(') throw new Error(`expression not valid: ${expr}`);
  return expr.slice(name.length + 1, -1).split(',');
}

function twoArgs(expr: string, name: string): [string, number] {
  const a = args(expr, name);
  if (a.length !== 2) throw new Error(`expression not valid: ${expr}`);
  return [a[0]!, calculate(a[1]!)];
}

/** `60*24*(N)` minutes with any `/24`, `/24/60` divisors after N (calcMinutes). */
function minutesOf(expr: string): number {
  const slash = expr.indexOf('/');
  return slash < 0 ? calculate(`60*24*(${expr})`) : calculate(`60*24*(${expr.slice(0, slash)})${expr.slice(slash)}`);
}

function calcMinutes(expr: string, d: Date): [Date, string] {
  if (expr.includes('+')) {
    const idx = expr.lastIndexOf('+');
    if (/\d/.test(expr[idx + 1] ?? '')) return [addMinutes(d, minutesOf(expr.slice(idx + 1))), expr.slice(0, idx)];
  } else if (expr.includes('-')) {
    const idx = expr.lastIndexOf('-');
    if (/\d/.test(expr[idx + 1] ?? '')) return [addMinutes(d, -minutesOf(expr.slice(idx + 1))), expr.slice(0, idx)];
  }
  return [d, expr];
}

function calcTimeExpression(expr: string, d: Date): [Date, string] {
  const starts = (p: string) => expr.startsWith(p);
  if (starts('add_months')) {
    const [fmt, n] = twoArgs(expr, 'add_months');
    return [addMonths(d, n), fmt];
  }
  if (starts('month_begin')) {
    const [fmt, n] = twoArgs(expr, 'month_begin');
    return [addDays(firstDayOfMonth(d), n), fmt];
  }
  if (starts('month_end')) {
    const [fmt, n] = twoArgs(expr, 'month_end');
    return [addDays(lastDayOfMonth(d), n), fmt];
  }
  if (starts('week_begin')) {
    const [fmt, n] = twoArgs(expr, 'week_begin');
    return [addDays(monday(d), n), fmt];
  }
  if (starts('week_end')) {
    const [fmt, n] = twoArgs(expr, 'week_end');
    return [addDays(sunday(d), n), fmt];
  }
  for (const name of ['month_first_day', 'month_last_day', 'week_first_day', 'week_last_day', 'this_day', 'last_day'] as const) {
    if (!starts(name)) continue;
    const a = args(expr, name);
    const fmt = a[0]!;
    const n = a.length > 1 ? calculate(a[1]!) : 0;
    switch (name) {
      case 'month_first_day':
        return [addMonths(firstDayOfMonth(d), n), fmt];
      case 'month_last_day':
        return [lastDayOfMonth(addMonths(d, n)), fmt];
      case 'week_first_day':
        return [addDays(monday(d), 7 * n), fmt];
      case 'week_last_day':
        return [addDays(sunday(d), 7 * n), fmt];
      case 'this_day':
        return [d, fmt];
      case 'last_day':
        return [addDays(d, -1), fmt];
    }
  }
  return calcMinutes(expr, d);
}

/** Start of week 1 of `year` for a week starting on `firstDow` (0 = Sunday) with >= 4 days in the year. */
function week1Start(year: number, firstDow: number): Date {
  const jan1 = new Date(year, 0, 1);
  const offset = (jan1.getDay() - firstDow + 7) % 7;
  return addDays(jan1, 7 - offset >= 4 ? -offset : 7 - offset);
}

/**
 * Java Calendar WEEK_OF_YEAR with minimalDaysInFirstWeek 4 and the given first day of the week
 * (1 = Monday ... 7 = Sunday; anything else Monday); the year printed is the calendar year, as DS does.
 */
function yearWeek(d: Date, fmt: string, startDow: number): string {
  const firstDow = startDow >= 1 && startDow <= 7 ? startDow % 7 : 1;
  const day = new Date(d.getFullYear(), d.getMonth(), d.getDate());
  const y = day.getFullYear();
  const weeksFrom = (start: Date) => Math.floor(Math.round((day.getTime() - start.getTime()) / 86_400_000) / 7) + 1;
  let week: number;
  if (day < week1Start(y, firstDow)) week = weeksFrom(week1Start(y - 1, firstDow));
  else if (day >= week1Start(y + 1, firstDow)) week = 1;
  else week = weeksFrom(week1Start(y, firstDow));
  const ww = String(week).padStart(2, '0');
  return fmt.includes('-') ? `${y}-${ww}` : `${y}${ww}`;
}

/** Evaluates the body of one `$[...]`. Throws on an expression DolphinScheduler rejects. */
export function evalTimeExpression(body: string, base: Date): string {
  const expr = body.trim();
  if (expr.startsWith('timestamp')) {
    const inner = args(expr, 'timestamp').join(',');
    const [date, fmt] = calcTimeExpression(inner, base);
    formatJavaDate(date, fmt); // validates the pattern
    return String(Math.floor(truncateToPattern(date, fmt).getTime() / 1000));
  }
  if (expr.startsWith('year_week')) {
    const a = args(expr, 'year_week');
    return yearWeek(base, a[0]!, a.length > 1 ? calculate(a[1]!) : 1);
  }
  const [date, fmt] = calcTimeExpression(expr, base);
  return formatJavaDate(date, fmt);
}

const TIME_RE = /\$\[([^$\]]+)]/g;

/** Replaces every `$[...]` in `text` (a body of a single digit is left alone, as DS does). */
export function replaceTimeExpressions(text: string, base: Date): string {
  if (!text.includes('$[')) return text;
  return text.replace(TIME_RE, (whole, body: string) => {
    if (/^\d$/.test(body)) return whole;
    try {
      return evalTimeExpression(body, base);
    } catch (e) {
      throw new Error(`cannot evaluate the time expression ${whole}: ${(e as Error).message}`);
    }
  });
}
