import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { errnoCode } from '../errors.js';
import { tempDir } from '@ghost/test-support';
import { DRIVER_ENV, DRIVER_NAMES, type Driver, loadDriver } from './driver.js';
import { type Database, resultCodeName } from './sqlite.js';

/** Each driver this Node can load (better-sqlite3 where its addon was built for it; node:sqlite from 22.16). */
const drivers = DRIVER_NAMES.flatMap((name): Driver[] => {
  try {
    return [loadDriver({ [DRIVER_ENV]: name })];
  } catch {
    return [];
  }
});

function failure(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error('expected a failure');
}

it('names result codes as better-sqlite3 does', () => {
  expect(resultCodeName(13)).toBe('SQLITE_FULL');
  expect(resultCodeName(2067)).toBe('SQLITE_CONSTRAINT_UNIQUE');
  expect(resultCodeName(1555)).toBe('SQLITE_CONSTRAINT_PRIMARYKEY');
  expect(resultCodeName(778)).toBe('SQLITE_IOERR_WRITE');
  expect(resultCodeName(517)).toBe('SQLITE_BUSY_SNAPSHOT');
  // An extended code newer than this table keeps its primary name, which the checks also read.
  expect(resultCodeName(10 | (99 << 8))).toBe('SQLITE_IOERR');
});

it('finds at least one driver on this Node', () => {
  expect(drivers.length).toBeGreaterThan(0);
});

describe.each(drivers.map((driver) => [driver.name, driver] as const))('the %s connection', (_, driver) => {
  function open(file = join(tempDir(), 'test.db'), options: { readonly?: boolean; timeoutMs?: number } = {}): Database {
    const db = driver.open(file, { readonly: options.readonly ?? false, timeoutMs: options.timeoutMs ?? 1000 });
    if (!options.readonly) db.exec('CREATE TABLE IF NOT EXISTS t (id TEXT PRIMARY KEY, n INTEGER UNIQUE, note TEXT)');
    return db;
  }

  it('returns rows as objects, arrays or first values', () => {
    const db = open();
    const insert = db.prepare('INSERT INTO t (id, n, note) VALUES (@id, @n, @note)');
    // A named parameter the SQL does not use is ignored.
    expect(insert.run({ id: 'a', n: 1, note: null, unused: true })).toMatchObject({ changes: 1 });
    insert.run({ id: 'b', n: 2, note: 'two' });
    expect({ ...(db.prepare('SELECT id, n, note FROM t WHERE id = ?').get('b') as object) }).toEqual({ id: 'b', n: 2, note: 'two' });
    expect(db.prepare('SELECT id, n FROM t ORDER BY n').raw(true).all()).toEqual([['a', 1], ['b', 2]]);
    expect(db.prepare('SELECT id FROM t ORDER BY n').pluck().all()).toEqual(['a', 'b']);
    expect(db.prepare('SELECT id FROM t WHERE n = ?').pluck().get(3)).toBeUndefined();
    expect(db.prepare('UPDATE t SET note = ? WHERE n > ?').run('x', 0).changes).toBe(2);
    expect(db.pragma('user_version', { simple: true })).toBe(0);
    db.pragma('user_version = 7');
    expect(db.pragma('user_version')).toEqual([expect.objectContaining({ user_version: 7 })]);
    expect(db.open).toBe(true);
    db.close();
    expect(db.open).toBe(false);
  });

  it('commits a transaction, and undoes one that throws', () => {
    const db = open();
    const insert = db.prepare('INSERT INTO t (id, n) VALUES (?, ?)');
    expect(db.transaction(() => insert.run('a', 1).changes).immediate()).toBe(1);
    const thrown = failure(() =>
      db
        .transaction(() => {
          insert.run('b', 2);
          throw new Error('changed my mind');
        })
        .immediate(),
    );
    expect((thrown as Error).message).toBe('changed my mind');
    expect(db.prepare('SELECT id FROM t ORDER BY n').pluck().all()).toEqual(['a']);
    // Inside a transaction, a nested one that fails undoes only its own writes.
    db.transaction(() => {
      insert.run('c', 3);
      failure(() =>
        db.transaction(() => {
          insert.run('d', 4);
          insert.run('a', 5); // a duplicate id
        })(),
      );
      insert.run('e', 6);
    }).deferred();
    expect(db.prepare('SELECT id FROM t ORDER BY n').pluck().all()).toEqual(['a', 'c', 'e']);
    db.close();
  });

  it("names SQLite's failures as ghost's checks read them", () => {
    const file = join(tempDir(), 'test.db');
    const db = open(file);
    db.prepare('INSERT INTO t (id, n) VALUES (?, ?)').run('a', 1);
    expect(errnoCode(failure(() => db.prepare('INSERT INTO t (id, n) VALUES (?, ?)').run('a', 2)))).toBe('SQLITE_CONSTRAINT_PRIMARYKEY');
    expect(errnoCode(failure(() => db.prepare('INSERT INTO t (id, n) VALUES (?, ?)').run('b', 1)))).toBe('SQLITE_CONSTRAINT_UNIQUE');
    // Another connection holding the write lock: a writer that may not wait is told it is busy.
    const other = open(file, { timeoutMs: 0 });
    db.exec('BEGIN IMMEDIATE');
    expect(errnoCode(failure(() => other.exec('BEGIN IMMEDIATE')))).toMatch(/^SQLITE_BUSY/);
    db.exec('ROLLBACK');
    other.close();
    db.close();
    const readonly = open(file, { readonly: true });
    expect(errnoCode(failure(() => readonly.prepare("INSERT INTO t (id) VALUES ('r')").run()))).toMatch(/^SQLITE_READONLY/);
    readonly.close();
  });
});
