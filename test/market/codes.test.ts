import { describe, expect, it } from 'vitest';
import { fromEastmoney, isIndex, kindOf, marketOf, normalizeCode, parseCodeList, toEastmoneySecid, toYahooSymbol } from '../../src/market/codes.js';

describe('canonical codes', () => {
  it('normalises what users type', () => {
    for (const s of ['sh.600000', 'SH600000', 'sh600000', '600000', '600000.SS', '600000.sh']) expect(normalizeCode(s)).toBe('sh.600000');
    expect(normalizeCode('000001')).toBe('sz.000001');
    expect(normalizeCode('430047')).toBe('bj.430047');
    expect(normalizeCode('aapl')).toBe('AAPL');
    expect(parseCodeList('600000, aapl 0700.hk,600000')).toEqual(['sh.600000', 'AAPL', '0700.HK']);
  });

  it('knows markets and indices', () => {
    expect([marketOf('sh.600000'), marketOf('bj.430047'), marketOf('AAPL'), marketOf('^GSPC'), marketOf('0700.HK')]).toEqual(['sh', 'bj', 'us', 'us', 'hk']);
    expect(['sh.000300', 'sz.399106', '^GSPC'].every(isIndex)).toBe(true);
    expect(['sh.600000', 'sz.000001', 'AAPL'].some(isIndex)).toBe(false);
    expect(kindOf('sh.000001')).toBe('index');
  });

  it('translates to and from eastmoney and Yahoo symbols', () => {
    expect(toEastmoneySecid('sh.600000')).toBe('1.600000');
    expect(toEastmoneySecid('sz.399106')).toBe('0.399106');
    expect(fromEastmoney(0, '430047')).toBe('bj.430047');
    expect(fromEastmoney(1, '000300')).toBe('sh.000300');
    expect(toYahooSymbol('sh.600000')).toBe('600000.SS');
    expect(toYahooSymbol('sz.000001')).toBe('000001.SZ');
    expect(toYahooSymbol('AAPL')).toBe('AAPL');
  });
});
