/** Times in JSON are ISO-8601 with the local offset; dates are YYYY-MM-DD. */
export function isoWithOffset(d: Date | number): string {
  const date = typeof d === 'number' ? new Date(d) : d;
  const off = -date.getTimezoneOffset();
  const sign = off >= 0 ? '+' : '-';
  const abs = Math.abs(off);
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  return (
    `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}` +
    `T${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.${pad(date.getMilliseconds(), 3)}` +
    `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`
  );
}

/** 20210930 -> "2021-09-30". */
export function yyyymmddToIso(d: number): string {
  const y = Math.floor(d / 10000);
  const m = Math.floor(d / 100) % 100;
  const day = d % 100;
  return `${y}-${String(m).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** "2021-09-30" (or "20210930") -> 20210930; NaN when malformed. */
export function isoToYyyymmdd(s: string): number {
  const m = /^(\d{4})-?(\d{2})-?(\d{2})/.exec(s.trim());
  if (!m) return NaN;
  return Number(m[1]) * 10000 + Number(m[2]) * 100 + Number(m[3]);
}
