import { describe, expect, it } from 'vitest';
import { isTrading, nextSessionOpen, sessionMarketOf, sessionState } from '../../src/market/sessions.js';

const at = (iso: string) => new Date(iso);

describe('trading sessions', () => {
  it('A-shares trade 09:30-11:30 and 13:00-15:00 Asia/Shanghai on weekdays', () => {
    // Thursday 2026-12-03
    expect(sessionState('cn', at('2026-12-03T01:29:00Z')).phase).toBe('pre'); // 09:29
    expect(sessionState('cn', at('2026-12-03T01:30:00Z'))).toMatchObject({ open: true, phase: 'open', localTime: '2026-12-03 09:30' });
    expect(sessionState('cn', at('2026-12-03T01:30:00Z')).closesAt).toEqual(at('2026-12-03T03:30:00Z'));
    const lunch = sessionState('cn', at('2026-12-03T04:00:00Z')); // 12:00
    expect(lunch).toMatchObject({ open: false, phase: 'break' });
    expect(lunch.nextOpen).toEqual(at('2026-12-03T05:00:00Z'));
    expect(isTrading('sh.600000', at('2026-12-03T06:59:00Z'))).toBe(true); // 14:59
    expect(isTrading('sh.600000', at('2026-12-03T07:00:00Z'))).toBe(false); // 15:00
    expect(sessionState('cn', at('2026-12-03T07:00:00Z')).phase).toBe('post');
    // Saturday -> next open Monday 09:30
    const sat = sessionState('cn', at('2026-12-05T02:00:00Z'));
    expect(sat).toMatchObject({ open: false, phase: 'weekend' });
    expect(sat.nextOpen).toEqual(at('2026-12-07T01:30:00Z'));
  });

  it('US stocks trade 09:30-16:00 America/New_York, through daylight saving', () => {
    // winter (EST, UTC-5)
    expect(isTrading('AAPL', at('2026-12-03T14:29:00Z'))).toBe(false);
    expect(isTrading('AAPL', at('2026-12-03T14:30:00Z'))).toBe(true);
    expect(isTrading('AAPL', at('2026-12-03T20:59:00Z'))).toBe(true);
    expect(isTrading('AAPL', at('2026-12-03T21:00:00Z'))).toBe(false);
    // summer (EDT, UTC-4)
    expect(isTrading('^GSPC', at('2026-07-01T13:30:00Z'))).toBe(true);
    expect(isTrading('^GSPC', at('2026-07-01T20:00:00Z'))).toBe(false);
    // Friday after the close -> Monday 09:30 EDT
    expect(nextSessionOpen('us', at('2026-07-03T21:00:00Z'))).toEqual(at('2026-07-06T13:30:00Z'));
  });

  it('maps codes to their session calendars', () => {
    expect(sessionMarketOf('sz.000001')).toBe('cn');
    expect(sessionMarketOf('0700.HK')).toBe('hk');
    expect(sessionMarketOf('MSFT')).toBe('us');
  });
});
