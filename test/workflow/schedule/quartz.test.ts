import { describe, expect, it } from 'vitest';
import { QuartzError, nextFireTimes, parseQuartz } from '../../../src/workflow/schedule/quartz.js';
import { isoInZone } from '../../../src/workflow/schedule/tz.js';

/** Next n fire times after `from` (an ISO instant), shown in the schedule's zone. */
function fires(expr: string, tz: string, from: string, n: number, window?: { start?: string; end?: string }): string[] {
  return nextFireTimes(parseQuartz(expr, tz), new Date(from), n, window).map((d) => isoInZone(d.getTime(), tz));
}
const SH = 'Asia/Shanghai';
const UTC = 'UTC';

describe('quartz fields', () => {
  it('fires daily at midnight, strictly after the start instant', () => {
    expect(fires('0 0 0 * * ? *', SH, '2024-01-01T00:00:00+08:00', 2)).toEqual(['2024-01-02T00:00:00+08:00', '2024-01-03T00:00:00+08:00']);
  });

  it('steps, ranges, lists and names', () => {
    expect(fires('0/20 * * * * ? *', UTC, '2024-01-01T00:00:00Z', 4)).toEqual([
      '2024-01-01T00:00:20+00:00', '2024-01-01T00:00:40+00:00', '2024-01-01T00:01:00+00:00', '2024-01-01T00:01:20+00:00',
    ]);
    // 2024-03-01 is a Friday.
    expect(fires('0 0 9-10 ? * MON-FRI *', UTC, '2024-03-01T00:00:00Z', 3)).toEqual([
      '2024-03-01T09:00:00+00:00', '2024-03-01T10:00:00+00:00', '2024-03-04T09:00:00+00:00',
    ]);
    expect(fires('0 15,45 8 ? JAN,jul * *', UTC, '2024-06-30T00:00:00Z', 2)).toEqual(['2024-07-01T08:15:00+00:00', '2024-07-01T08:45:00+00:00']);
    expect(fires('0 0 10-20/5 1 * ? *', UTC, '2024-01-01T00:00:00Z', 3)).toEqual([
      '2024-01-01T10:00:00+00:00', '2024-01-01T15:00:00+00:00', '2024-01-01T20:00:00+00:00',
    ]);
    // A wrapping range: 22-2 is 22, 23, 0, 1, 2.
    expect(parseQuartz('0 0 22-2 * * ? *', UTC).hours).toEqual([0, 1, 2, 22, 23]);
  });

  it('numbers days of the week as Quartz does (1 = SUN)', () => {
    expect(fires('0 0 0 ? * 1 *', UTC, '2024-03-01T00:00:00Z', 1)).toEqual(['2024-03-03T00:00:00+00:00']);
    expect(fires('0 0 0 ? * 7 *', UTC, '2024-03-01T00:00:00Z', 1)).toEqual(['2024-03-02T00:00:00+00:00']);
  });

  it('L and L-n in day-of-month', () => {
    expect(fires('0 0 12 L * ? *', UTC, '2024-01-01T00:00:00Z', 3)).toEqual([
      '2024-01-31T12:00:00+00:00', '2024-02-29T12:00:00+00:00', '2024-03-31T12:00:00+00:00',
    ]);
    expect(fires('0 0 12 L-2 * ? *', UTC, '2024-01-01T00:00:00Z', 3)).toEqual([
      '2024-01-29T12:00:00+00:00', '2024-02-27T12:00:00+00:00', '2024-03-29T12:00:00+00:00',
    ]);
  });

  it('W (nearest weekday, never leaving the month) and LW', () => {
    // 2024-06-15 is a Saturday -> Friday 14th; 2024-09-15 a Sunday -> Monday 16th.
    expect(fires('0 0 12 15W 6,9 ? *', UTC, '2024-01-01T00:00:00Z', 2)).toEqual(['2024-06-14T12:00:00+00:00', '2024-09-16T12:00:00+00:00']);
    // 2024-06-01 is a Saturday: 1W is Monday the 3rd, not Friday May 31st.
    expect(fires('0 0 12 1W 6 ? *', UTC, '2024-01-01T00:00:00Z', 1)).toEqual(['2024-06-03T12:00:00+00:00']);
    // 2024-03-31 is a Sunday, 2024-08-31 a Saturday: the last weekdays are the 29th and the 30th.
    expect(fires('0 0 12 LW 3,8 ? *', UTC, '2024-01-01T00:00:00Z', 2)).toEqual(['2024-03-29T12:00:00+00:00', '2024-08-30T12:00:00+00:00']);
  });

  it('# (the nth weekday) and nL (the last such weekday)', () => {
    expect(fires('0 0 12 ? * 6#3 *', UTC, '2024-01-01T00:00:00Z', 3)).toEqual([
      '2024-01-19T12:00:00+00:00', '2024-02-16T12:00:00+00:00', '2024-03-15T12:00:00+00:00',
    ]);
    expect(fires('0 0 12 ? * FRIL *', UTC, '2024-01-01T00:00:00Z', 3)).toEqual([
      '2024-01-26T12:00:00+00:00', '2024-02-23T12:00:00+00:00', '2024-03-29T12:00:00+00:00',
    ]);
    // The 5th Monday exists only in some months.
    expect(fires('0 0 0 ? * MON#5 2024', UTC, '2024-01-01T00:00:00Z', 2)).toEqual(['2024-01-29T00:00:00+00:00', '2024-04-29T00:00:00+00:00']);
  });

  it('the year field ends the schedule', () => {
    expect(fires('0 0 0 1 1 ? 2030', SH, '2024-05-05T00:00:00Z', 5)).toEqual(['2030-01-01T00:00:00+08:00']);
    expect(fires('0 0 0 29 2 ? 2025-2028', UTC, '2024-05-05T00:00:00Z', 5)).toEqual(['2028-02-29T00:00:00+00:00']);
  });

  it('start_time and end_time bound the fire times (local times of the zone)', () => {
    expect(fires('0 0 18 * * ? *', SH, '2024-01-01T00:00:00Z', 10, { start: '2024-03-01 18:00:00', end: '2024-03-03 18:00:00' })).toEqual([
      '2024-03-01T18:00:00+08:00', '2024-03-02T18:00:00+08:00', '2024-03-03T18:00:00+08:00',
    ]);
  });
});

describe('quartz across daylight-saving changes', () => {
  const NY = 'America/New_York';
  const BER = 'Europe/Berlin';

  it('New York spring forward (2024-03-10 02:00 -> 03:00): 02:30 does not exist and is skipped', () => {
    expect(fires('0 30 2 * * ? *', NY, '2024-03-09T00:00:00Z', 2)).toEqual(['2024-03-09T02:30:00-05:00', '2024-03-11T02:30:00-04:00']);
    expect(fires('0 0 * * * ? *', NY, '2024-03-10T05:30:00Z', 3)).toEqual([
      '2024-03-10T01:00:00-05:00', '2024-03-10T03:00:00-04:00', '2024-03-10T04:00:00-04:00',
    ]);
  });

  it('New York fall back (2024-11-03 02:00 -> 01:00): 01:30 happens twice and fires once', () => {
    const got = nextFireTimes(parseQuartz('0 30 1 * * ? *', NY), new Date('2024-11-02T12:00:00Z'), 3).map((d) => d.toISOString());
    expect(got).toEqual(['2024-11-03T05:30:00.000Z', '2024-11-04T06:30:00.000Z', '2024-11-05T06:30:00.000Z']);
    expect(fires('0 0 * * * ? *', NY, '2024-11-03T04:30:00Z', 3)).toEqual([
      '2024-11-03T01:00:00-04:00', '2024-11-03T02:00:00-05:00', '2024-11-03T03:00:00-05:00',
    ]);
  });

  it('Berlin spring forward (2024-03-31) and fall back (2024-10-27)', () => {
    expect(fires('0 30 2 * * ? *', BER, '2024-03-30T00:00:00Z', 2)).toEqual(['2024-03-30T02:30:00+01:00', '2024-04-01T02:30:00+02:00']);
    const back = nextFireTimes(parseQuartz('0 30 2 * * ? *', BER), new Date('2024-10-26T12:00:00Z'), 2).map((d) => d.toISOString());
    expect(back).toEqual(['2024-10-27T00:30:00.000Z', '2024-10-28T01:30:00.000Z']);
    // The daily 18:00 stays 18:00 local on both sides.
    expect(fires('0 0 18 * * ? *', BER, '2024-10-26T00:00:00Z', 2)).toEqual(['2024-10-26T18:00:00+02:00', '2024-10-27T18:00:00+01:00']);
  });
});

describe('quartz errors', () => {
  const bad = (expr: string, tz = UTC): string => {
    try {
      parseQuartz(expr, tz);
    } catch (e) {
      expect(e).toBeInstanceOf(QuartzError);
      return (e as Error).message;
    }
    throw new Error(`accepted ${expr}`);
  };
  it('names the fault', () => {
    expect(bad('0 0 0 * * ?')).toMatch(/7 fields .* got 6/);
    expect(bad('0 0 12 * * * *')).toMatch(/one of day-of-month and day-of-week must be "\?"/);
    expect(bad('0 0 12 ? * ? *')).toMatch(/cannot both be "\?"/);
    expect(bad('0 0 12 * 13 ? *')).toMatch(/month field: 13 is out of range 1-12/);
    expect(bad('0 0 12 * FOO ? *')).toMatch(/month field: "FOO" is not a value/);
    expect(bad('0/0 0 12 * * ? *')).toMatch(/second field: step "0"/);
    expect(bad('? 0 12 * * ? *')).toMatch(/second field: "\?" is only allowed/);
    expect(bad('0 60 12 * * ? *')).toMatch(/minute field: 60 is out of range/);
    expect(bad('0 0 12 ? * 8 *')).toMatch(/day-of-week field: 8 is out of range 1-7/);
    expect(bad('0 0 12 ? * 6#6 *')).toMatch(/#1-#5/);
    expect(bad('0 0 0 * * ? *', 'Mars/Olympus')).toMatch(/not an IANA time zone/);
  });

  it('tells which field is at fault', () => {
    const field = (expr: string): number | undefined => {
      try {
        parseQuartz(expr, UTC);
      } catch (e) {
        return (e as QuartzError).field;
      }
      return -1;
    };
    expect(field('0 0 25 * * ? *')).toBe(2);
    expect(field('0 0 0 * * ? 1969')).toBe(6);
    expect(field('0 0 0 32W * ? *')).toBe(3);
    expect(field('? 0 0 * * ? *')).toBe(0);
    expect(field('0 0 0 * * * *')).toBeUndefined();
  });
});
