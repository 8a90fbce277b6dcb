import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { migrate, openDb } from '../../src/core/db.js';
import { tempDir } from '../support/fs.js';

describe('store migrations', () => {
  it('applies each step once, in order, and records the version', () => {
    const { dir, cleanup } = tempDir();
    try {
      const path = join(dir, 'q.db');
      const db = openDb(path);
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      migrate(db, 'demo', ['CREATE TABLE a (x INTEGER)']);
      migrate(db, 'demo', ['CREATE TABLE a (x INTEGER)', 'ALTER TABLE a ADD COLUMN y TEXT']);
      migrate(db, 'demo', ['CREATE TABLE a (x INTEGER)', 'ALTER TABLE a ADD COLUMN y TEXT']);
      const cols = (db.prepare('PRAGMA table_info(a)').all() as { name: string }[]).map((c) => c.name);
      expect(cols).toEqual(['x', 'y']);
      const v = db.prepare("SELECT MAX(version) v FROM schema_migrations WHERE module='demo'").get() as { v: number };
      expect(v.v).toBe(2);
      db.close();
    } finally {
      cleanup();
    }
  });

  it('rolls back a failing step as a whole', () => {
    const db = openDb(':memory:');
    expect(() => migrate(db, 'bad', ['CREATE TABLE b (x)', 'THIS IS NOT SQL'])).toThrow();
    const t = db.prepare("SELECT name FROM sqlite_master WHERE name='b'").get();
    expect(t).toBeUndefined();
  });
});
