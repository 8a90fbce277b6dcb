import { describe, it, expect } from 'vitest';
import { calculate, evalTimeExpression, replaceTimeExpressions } from '../../../src/workflow/params/time-expr.js';

// A Friday afternoon (local time), and DolphinScheduler's own test base 2022-08-26 00:00:00.
const base = new Date(2022, 7, 26, 13, 45, 30);
const dsBase = new Date(2022, 7, 26, 0, 0, 0);

describe('$[...] time expressions at a fixed base time', () => {
  const vectors: [string, string, Date?][] = [
    ['yyyyMMdd', '20220826'],
    ['yyyy-MM-dd HH:mm:ss', '2022-08-26 13:45:30'],
    ['yyyyMMddHHmmss', '20220826134530'],
    ['HHmmss', '134530'],
    ['yyyy/MM/dd', '2022/08/26'],
    ['yyyyMMdd-1', '20220825'],
    ['yyyyMMdd+1', '20220827'],
    ['yyyyMMdd+7*2', '20220909'],
    ['yyyyMMdd-7*2', '20220812'],
    ['yyyy-MM-dd-1', '2022-08-25'],
    ['HHmmss-1/24', '124530'],
    ['HHmmss+1/24', '144530'],
    ['HHmmss+5/24/60', '135030'],
    ['yyyyMMddHHmmss-1/24/60', '20220826134430'],
    ['yyyyMMddHH-14/24', '2022082523'],
    ['add_months(yyyyMMdd,-1)', '20220726'],
    ['add_months(yyyyMMdd,12*2)', '20240826'],
    ['add_months(yyyyMMdd,-1)', '20220228', new Date(2022, 2, 31)],
    ['this_day(yyyy-MM-dd)', '2022-08-26', dsBase],
    ['this_day(yyyyMMdd)', '20220826', dsBase],
    ['last_day(yyyy-MM-dd)', '2022-08-25', dsBase],
    ['last_day(yyyyMMdd)', '20220825', dsBase],
    ['year_week(yyyy-MM-dd)', '2022-34', dsBase],
    ['year_week(yyyyMMdd)', '202234', dsBase],
    ['year_week(yyyy-MM-dd,5)', '2022-35', dsBase],
    ['year_week(yyyyMMdd,5)', '202235', dsBase],
    // 2021-01-01 is a Friday: its Monday-first week has 3 days in 2021, so it is week 53 (of 2020); DS prints the calendar year.
    ['year_week(yyyy-MM-dd)', '2021-53', new Date(2021, 0, 1)],
    ['year_week(yyyy-MM-dd)', '2024-01', new Date(2024, 0, 1)],
    ['year_week(yyyy-MM-dd,7)', '2022-35', new Date(2022, 7, 28)],
    ['month_first_day(yyyy-MM-dd,-1)', '2022-07-01', dsBase],
    ['month_first_day(yyyyMMdd,0)', '20220801', dsBase],
    ['month_last_day(yyyy-MM-dd,-1)', '2022-07-31', dsBase],
    ['month_last_day(yyyyMMdd,-6)', '20220228', dsBase],
    ['week_first_day(yyyy-MM-dd,0)', '2022-08-22', dsBase],
    ['week_first_day(yyyy-MM-dd,-1)', '2022-08-15', dsBase],
    ['week_last_day(yyyy-MM-dd,0)', '2022-08-28', dsBase],
    ['week_last_day(yyyy-MM-dd,-1)', '2022-08-21', dsBase],
    ['month_begin(yyyyMMdd,1)', '20220802', dsBase],
    ['month_end(yyyyMMdd,-1)', '20220830', dsBase],
    ['week_begin(yyyyMMdd,0)', '20220822', dsBase],
    ['week_end(yyyyMMdd,0)', '20220828', dsBase],
  ];
  for (const [expr, want, at] of vectors) {
    it(`$[${expr}] at ${(at ?? base).toDateString()} = ${want}`, () => {
      expect(evalTimeExpression(expr, at ?? base)).toBe(want);
    });
  }

  it('timestamp(...) is the epoch seconds of the formatted time (local zone)', () => {
    expect(evalTimeExpression('timestamp(yyyyMMddHHmmss)', base)).toBe(String(new Date(2022, 7, 26, 13, 45, 30).getTime() / 1000));
    expect(evalTimeExpression('timestamp(yyyyMMdd-1)', base)).toBe(String(new Date(2022, 7, 25).getTime() / 1000));
    expect(evalTimeExpression('timestamp(month_first_day(yyyy-MM-dd,0))', dsBase)).toBe(String(new Date(2022, 7, 1).getTime() / 1000));
  });

  it('replaces every $[...] in a script, leaves single digits and ${...} alone, fails on an illegal pattern', () => {
    expect(replaceTimeExpressions('d=$[yyyyMMdd-1] x=$[1] y=${v} w=$[year_week(yyyyMMdd)]', dsBase)).toBe('d=20220825 x=$[1] y=${v} w=202234');
    expect(() => replaceTimeExpressions('echo $[yyyyMMddbb]', base)).toThrow(/Illegal pattern character 'b'/);
    expect(() => replaceTimeExpressions('echo $[add_months(yyyyMMdd)]', base)).toThrow(/expression not valid/);
  });

  it('integer arithmetic like Java (signs, precedence, truncating division)', () => {
    expect(calculate('-3+-6*(+8)-(-5)')).toBe(-46);
    expect(calculate('7/2')).toBe(3);
    expect(calculate('-7/2')).toBe(-3);
    expect(calculate('60*24*(1)/24/60')).toBe(1);
    expect(() => calculate('1+')).toThrow();
  });
});
