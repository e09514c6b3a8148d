/**
 * What ghost asks of a SQLite connection: the part of better-sqlite3's API that ghost uses,
 * which Node's own node:sqlite is adapted to (./node-sqlite.ts). Everything in core talks to
 * these interfaces, never to a driver's types, so either driver can serve any command.
 */
export interface Statement {
  /** Runs a write; `changes` is how many rows it changed. */
  run(...params: unknown[]): { changes: number };
  /** The first row, or undefined. */
  get(...params: unknown[]): unknown;
  all(...params: unknown[]): unknown[];
  /** From now on, each row is its first column's value. */
  pluck(toggle?: boolean): this;
  /** From now on, each row is an array of its columns' values (faster than objects). */
  raw(toggle?: boolean): this;
}

/** `fn` wrapped in a transaction: BEGIN DEFERRED when called, or the mode named. */
export interface Transaction<T> {
  (): T;
  deferred(): T;
  immediate(): T;
}

export interface Database {
  /** False once closed. */
  readonly open: boolean;
  prepare(sql: string): Statement;
  exec(sql: string): void;
  /** `PRAGMA <source>`: its rows, or with `simple` the first row's first value. */
  pragma(source: string, options?: { simple?: boolean }): unknown;
  /** Inside another transaction, `fn` runs in a savepoint: its failure undoes only its own writes. */
  transaction<T>(fn: () => T): Transaction<T>;
  close(): void;
}

const PRIMARY_CODES: Record<number, string> = {
  1: 'ERROR', 2: 'INTERNAL', 3: 'PERM', 4: 'ABORT', 5: 'BUSY', 6: 'LOCKED', 7: 'NOMEM', 8: 'READONLY', 9: 'INTERRUPT',
  10: 'IOERR', 11: 'CORRUPT', 12: 'NOTFOUND', 13: 'FULL', 14: 'CANTOPEN', 15: 'PROTOCOL', 16: 'EMPTY', 17: 'SCHEMA',
  18: 'TOOBIG', 19: 'CONSTRAINT', 20: 'MISMATCH', 21: 'MISUSE', 22: 'NOLFS', 23: 'AUTH', 24: 'FORMAT', 25: 'RANGE',
  26: 'NOTADB', 27: 'NOTICE', 28: 'WARNING',
};

/** Extended result codes by primary code, in SQLite's order (extended = primary | index << 8). */
const EXTENDED_CODES: Record<number, readonly string[]> = {
  1: ['', 'MISSING_COLLSEQ', 'RETRY', 'SNAPSHOT'],
  4: ['', '', 'ROLLBACK'],
  5: ['', 'RECOVERY', 'SNAPSHOT', 'TIMEOUT'],
  6: ['', 'SHAREDCACHE', 'VTAB'],
  8: ['', 'RECOVERY', 'CANTLOCK', 'ROLLBACK', 'DBMOVED', 'CANTINIT', 'DIRECTORY'],
  10: ['', 'READ', 'SHORT_READ', 'WRITE', 'FSYNC', 'DIR_FSYNC', 'TRUNCATE', 'FSTAT', 'UNLOCK', 'RDLOCK', 'DELETE',
    'BLOCKED', 'NOMEM', 'ACCESS', 'CHECKRESERVEDLOCK', 'LOCK', 'CLOSE', 'DIR_CLOSE', 'SHMOPEN', 'SHMSIZE', 'SHMLOCK',
    'SHMMAP', 'SEEK', 'DELETE_NOENT', 'MMAP', 'GETTEMPPATH', 'CONVPATH', 'VNODE', 'AUTH', 'BEGIN_ATOMIC',
    'COMMIT_ATOMIC', 'ROLLBACK_ATOMIC', 'DATA', 'CORRUPTFS', 'IN_PAGE'],
  11: ['', 'VTAB', 'SEQUENCE', 'INDEX'],
  14: ['', 'NOTEMPDIR', 'ISDIR', 'FULLPATH', 'CONVPATH', 'DIRTYWAL', 'SYMLINK'],
  19: ['', 'CHECK', 'COMMITHOOK', 'FOREIGNKEY', 'FUNCTION', 'NOTNULL', 'PRIMARYKEY', 'TRIGGER', 'UNIQUE', 'VTAB',
    'ROWID', 'PINNED', 'DATATYPE'],
};

/**
 * The name better-sqlite3 gives an (extended) SQLite result code, e.g. 2067 → SQLITE_CONSTRAINT_UNIQUE:
 * ghost's checks (a full disk, a busy lock, a duplicate id) read these names whichever driver ran.
 */
export function resultCodeName(code: number): string {
  const primary = PRIMARY_CODES[code & 0xff] ?? 'ERROR';
  const extended = EXTENDED_CODES[code & 0xff]?.[code >> 8];
  return extended ? `SQLITE_${primary}_${extended}` : `SQLITE_${primary}`;
}
