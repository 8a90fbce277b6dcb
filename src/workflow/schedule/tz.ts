/**
 * Wall-clock time in an IANA time zone through Intl (no tz database of our own): instant -> local
 * fields, and local fields -> the instant(s) that show them. Offsets are found by probing a day
 * either side, which is exact as long as a zone's transitions are more than two days apart.
 */
export interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const formats = new Map<string, Intl.DateTimeFormat>();

function formatter(tz: string): Intl.DateTimeFormat {
  let f = formats.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formats.set(tz, f);
  }
  return f;
}

export function wallClock(instant: number, tz: string): WallClock {
  const parts = formatter(tz).formatToParts(new Date(instant));
  const get = (type: string): number => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return { year: get('year'), month: get('month'), day: get('day'), hour: get('hour') % 24, minute: get('minute'), second: get('second') };
}

/** Offset of the zone from UTC at `instant`, in milliseconds (local = utc + offset). */
export function offsetAt(instant: number, tz: string): number {
  const w = wallClock(instant, tz);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return asUtc - Math.floor(instant / 1000) * 1000;
}

/**
 * The first instant whose local time in `tz` is the given wall-clock time, or undefined when that
 * local time does not exist (skipped by a daylight-saving change).
 */
export function localToInstant(y: number, mo: number, d: number, h: number, mi: number, s: number, tz: string): number | undefined {
  const asUtc = Date.UTC(y, mo - 1, d, h, mi, s);
  const before = offsetAt(asUtc - 86_400_000 * 1.5, tz);
  const after = offsetAt(asUtc + 86_400_000 * 1.5, tz);
  const candidates = before === after ? [asUtc - before] : [asUtc - before, asUtc - after].sort((a, b) => a - b);
  for (const c of candidates) {
    const w = wallClock(c, tz);
    if (w.year === y && w.month === mo && w.day === d && w.hour === h && w.minute === mi && w.second === s) return c;
  }
  return undefined;
}

/** `yyyy-MM-ddTHH:mm:ss+hh:mm` for an instant shown in `tz`. */
export function isoInZone(instant: number, tz: string): string {
  const w = wallClock(instant, tz);
  const off = Math.round(offsetAt(instant, tz) / 60_000);
  const p = (n: number, l = 2): string => String(n).padStart(l, '0');
  const sign = off < 0 ? '-' : '+';
  const a = Math.abs(off);
  return `${p(w.year, 4)}-${p(w.month)}-${p(w.day)}T${p(w.hour)}:${p(w.minute)}:${p(w.second)}${sign}${p(Math.floor(a / 60))}:${p(a % 60)}`;
}
