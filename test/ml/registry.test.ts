import { describe, expect, it } from 'vitest';
import { openDb } from '../../src/core/db.js';
import { ModelRegistry } from '../../src/ml/registry.js';
import { PickStore } from '../../src/ml/picks.js';

describe('model registry and picks', () => {
  it('stores a model with its provenance and returns the newest scorable one', () => {
    const db = openDb(':memory:');
    const reg = new ModelRegistry(db);
    const base = { source: 'local' as const, labelKind: 'next_close' as const, universe: 'signal' as const, features: ['ma_5'], params: { eta: 0.2 }, dataRange: { trainFrom: '2021-01-04' }, metrics: { auc: 0.55 } };
    reg.save({ ...base, id: 'a', createdAt: '2026-01-01T00:00:00Z', modelJson: '{}' });
    reg.save({ ...base, id: 'b', createdAt: '2026-01-02T00:00:00Z' });
    expect(reg.list().map((m) => m.id)).toEqual(['b', 'a']);
    expect(reg.latest()?.id).toBe('a'); // b has no model JSON to score with
    expect(reg.require('a').labelKind).toBe('next_close');
    expect(() => reg.require('zzz')).toThrow(/no model zzz/);
    const id1 = reg.newLocalId(new Date('2026-03-04T05:06:07Z'));
    expect(id1).toBe('local-20260304-050607');
  });

  it('keeps the top N per date by score, newest date first, and replaces a rerun', () => {
    const db = openDb(':memory:');
    const picks = new PickStore(db);
    const rows = [
      { date: 20260105, code: 'sh.600000', score: 0.7 },
      { date: 20260105, code: 'sz.000001', score: 0.9 },
      { date: 20260105, code: 'sz.000002', score: 0.9 },
      { date: 20260105, code: 'sh.600519', score: 0.1 },
      { date: 20260106, code: 'sh.600000', score: 0.6 },
    ];
    picks.storeTop(rows, 2, 'm1');
    picks.storeTop(rows, 2, 'm1');
    const out = picks.list();
    expect(out.map((p) => [p.date, p.code, p.rank])).toEqual([
      ['2026-01-06', 'sh.600000', 1],
      ['2026-01-05', 'sz.000001', 1],
      ['2026-01-05', 'sz.000002', 2],
    ]);
    expect(picks.list({ date: 20260105 }).length).toBe(2);
  });
});
