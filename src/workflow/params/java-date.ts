/**
 * Java SimpleDateFormat-style formatting for DolphinScheduler's `$[...]` time expressions
 * (`yyyyMMdd`, `yyyy-MM-dd HH:mm:ss`, `HHmmss`, ...), in local time. Text in single quotes is
 * literal; an unknown pattern letter is an error, as in Java ("Illegal pattern character").
 */
const DAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTH_NAMES = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

const pad = (n: number, w: number) => String(n).padStart(w, '0');

function dayOfYear(d: Date): number {
  const start = new Date(d.getFullYear(), 0, 1);
  return Math.round((new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime() - start.getTime()) / 86_400_000) + 1;
}

function field(letter: string, count: number, d: Date): string {
  switch (letter) {
    case 'y':
    case 'Y':
    case 'u':
      if (letter === 'u' && count < 4) return String(d.getDay() === 0 ? 7 : d.getDay());
      return count === 2 ? pad(d.getFullYear() % 100, 2) : pad(d.getFullYear(), count);
    case 'M':
    case 'L':
      if (count >= 4) return MONTH_NAMES[d.getMonth()]!;
      if (count === 3) return MONTH_NAMES[d.getMonth()]!.slice(0, 3);
      return pad(d.getMonth() + 1, count);
    case 'd':
      return pad(d.getDate(), count);
    case 'D':
      return pad(dayOfYear(d), count);
    case 'E':
      return count >= 4 ? DAY_NAMES[d.getDay()]! : DAY_NAMES[d.getDay()]!.slice(0, 3);
    case 'F':
      return pad(Math.floor((d.getDate() - 1) / 7) + 1, count);
    case 'a':
      return d.getHours() < 12 ? 'AM' : 'PM';
    case 'H':
      return pad(d.getHours(), count);
    case 'k':
      return pad(d.getHours() === 0 ? 24 : d.getHours(), count);
    case 'K':
      return pad(d.getHours() % 12, count);
    case 'h':
      return pad(d.getHours() % 12 === 0 ? 12 : d.getHours() % 12, count);
    case 'm':
      return pad(d.getMinutes(), count);
    case 's':
      return pad(d.getSeconds(), count);
    case 'S':
      return pad(d.getMilliseconds(), count);
    case 'Z':
    case 'X':
    case 'z': {
      const off = -d.getTimezoneOffset();
      const sign = off >= 0 ? '+' : '-';
      const abs = Math.abs(off);
      return letter === 'X' && count >= 3 ? `${sign}${pad(Math.floor(abs / 60), 2)}:${pad(abs % 60, 2)}` : `${sign}${pad(Math.floor(abs / 60), 2)}${pad(abs % 60, 2)}`;
    }
    case 'G':
      return 'AD';
    default:
      throw new Error(`Illegal pattern character '${letter}'`);
  }
}

/** Formats `d` with a Java date pattern. Throws on an illegal pattern letter. */
export function formatJavaDate(d: Date, pattern: string): string {
  let out = '';
  let i = 0;
  while (i < pattern.length) {
    const c = pattern[i]!;
    if (c === "'") {
      const end = pattern.indexOf("'", i + 1);
      if (end === i + 1) {
        out += "'";
        i += 2;
        continue;
      }
      if (end < 0) throw new Error('Unterminated quote');
      out += pattern.slice(i + 1, end);
      i = end + 1;
      continue;
    }
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
      let j = i;
      while (j < pattern.length && pattern[j] === c) j++;
      out += field(c, j - i, d);
      i = j;
      continue;
    }
    out += c;
    i++;
  }
  return out;
}

/**
 * The date a formatted string denotes when read back with the same pattern (used by
 * `timestamp(...)`): fields absent from the pattern are reset (month/day to 1, time to 0).
 */
export function truncateToPattern(d: Date, pattern: string): Date {
  const unquoted = pattern.replace(/'[^']*'/g, '');
  const has = (re: RegExp) => re.test(unquoted);
  const year = d.getFullYear();
  const month = has(/[ML]/) ? d.getMonth() : has(/D/) ? d.getMonth() : 0;
  const day = has(/[dDEFu]/) ? d.getDate() : 1;
  const hour = has(/[HhkK]/) ? d.getHours() : 0;
  const minute = has(/m/) ? d.getMinutes() : 0;
  const second = has(/s/) ? d.getSeconds() : 0;
  return new Date(year, month, day, hour, minute, second, 0);
}
