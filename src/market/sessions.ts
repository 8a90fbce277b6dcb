/**
 * Trading sessions, for the picks monitor: A-shares 09:30-11:30 and 13:00-15:00 Asia/Shanghai,
 * US 09:30-16:00 America/New_York (DST handled by the time zone), Hong Kong 09:30-12:00 and
 * 13:00-16:00 Asia/Hong_Kong; Monday to Friday. Exchange holidays are not known here: a weekday
 * holiday counts as a session day.
 */
import { isAShare, marketOf } from './codes.js';

export type SessionMarket = 'cn' | 'us' | 'hk';

export interface SessionDef {
  market: SessionMarket;
  timeZone: string;
  /** [start, end) in minutes after local midnight. */
  windows: ReadonlyArray<readonly [number, number]>;
}

const hm = (h: number, m: number) => h * 60 + m;

export const SESSIONS: Record<SessionMarket, SessionDef> = {
  cn: { market: 'cn', timeZone: 'Asia/Shanghai', windows: [[hm(9, 30), hm(11, 30)], [hm(13, 0), hm(15, 0)]] },
  us: { market: 'us', timeZone: 'America/New_York', windows: [[hm(9, 30), hm(16, 0)]] },
  hk: { market: 'hk', timeZone: 'Asia/Hong_Kong', windows: [[hm(9, 30), hm(12, 0)], [hm(13, 0), hm(16, 0)]] },
};

/** The session calendar a code trades on. */
export function sessionMarketOf(code: string): SessionMarket {
  if (isAShare(code)) return 'cn';
  return marketOf(code) === 'hk' ? 'hk' : 'us';
}

interface LocalParts {
  year: number;
  month: number;
  day: number;
  weekday: number; // 0 Sunday
  minutes: number;
}

const fmtCache = new Map<string, Intl.DateTimeFormat>();
function localParts(d: Date, timeZone: string): LocalParts {
  let f = fmtCache.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', weekday: 'short' });
    fmtCache.set(timeZone, f);
  }
  const p: Record<string, string> = {};
  for (const part of f.formatToParts(d)) p[part.type] = part.value;
  const wd = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'].indexOf(p.weekday!);
  return { year: Number(p.year), month: Number(p.month), day: Number(p.day), weekday: wd, minutes: Number(p.hour) * 60 + Number(p.minute) };
}

/** The instant of local wall time (y-m-d, minutes) in a zone. */
function zonedInstant(year: number, month: number, day: number, minutes: number, timeZone: string): Date {
  let guess = Date.UTC(year, month - 1, day, Math.floor(minutes / 60), minutes % 60);
  for (let k = 0; k < 2; k++) {
    const p = localParts(new Date(guess), timeZone);
    const asUtc = Date.UTC(p.year, p.month - 1, p.day, Math.floor(p.minutes / 60), p.minutes % 60);
    guess += Date.UTC(year, month - 1, day, Math.floor(minutes / 60), minutes % 60) - asUtc;
  }
  return new Date(guess);
}

export interface SessionState {
  market: SessionMarket;
  timeZone: string;
  open: boolean;
  /** 'open', 'break' (between two windows), 'pre' (before the first), 'post' (after the last), 'weekend'. */
  phase: 'open' | 'break' | 'pre' | 'post' | 'weekend';
  /** Local wall time, e.g. "2026-12-03 10:15". */
  localTime: string;
  /** When the current window closes (when open) and when the next one opens (when not). */
  closesAt?: Date;
  nextOpen?: Date;
}

export function sessionState(market: SessionMarket, now: Date = new Date()): SessionState {
  const def = SESSIONS[market];
  const p = localParts(now, def.timeZone);
  const pad = (n: number) => String(n).padStart(2, '0');
  const localTime = `${p.year}-${pad(p.month)}-${pad(p.day)} ${pad(Math.floor(p.minutes / 60))}:${pad(p.minutes % 60)}`;
  const weekday = p.weekday >= 1 && p.weekday <= 5;
  const base = { market, timeZone: def.timeZone, localTime };
  if (weekday) {
    for (const [s, e] of def.windows) {
      if (p.minutes >= s && p.minutes < e) {
        return { ...base, open: true, phase: 'open', closesAt: zonedInstant(p.year, p.month, p.day, e, def.timeZone) };
      }
    }
  }
  const nextOpen = nextSessionOpen(market, now);
  let phase: SessionState['phase'] = 'weekend';
  if (weekday) {
    const first = def.windows[0]![0];
    const last = def.windows[def.windows.length - 1]![1];
    phase = p.minutes < first ? 'pre' : p.minutes >= last ? 'post' : 'break';
  }
  return { ...base, open: false, phase, nextOpen };
}

export function isSessionOpen(market: SessionMarket, now: Date = new Date()): boolean {
  return sessionState(market, now).open;
}

/** Whether the market a code trades on is in session now. */
export function isTrading(code: string, now: Date = new Date()): boolean {
  return isSessionOpen(sessionMarketOf(code), now);
}

/** The next window start strictly after `now` (weekdays only). */
export function nextSessionOpen(market: SessionMarket, now: Date = new Date()): Date {
  const def = SESSIONS[market];
  for (let dayOffset = 0; dayOffset < 8; dayOffset++) {
    const probe = new Date(now.getTime() + dayOffset * 86_400_000);
    const p = localParts(probe, def.timeZone);
    if (p.weekday < 1 || p.weekday > 5) continue;
    for (const [s] of def.windows) {
      const t = zonedInstant(p.year, p.month, p.day, s, def.timeZone);
      if (t.getTime() > now.getTime()) return t;
    }
  }
  throw new Error('no session within a week');
}
