import type { Database, Statement, Transaction } from './sqlite.js';
import { resultCodeName } from './sqlite.js';

// Node's node:sqlite, as far as ghost uses it. Declared here rather than taken from @types/node,
// whose version follows the oldest Node ghost supports (20, which has no node:sqlite).
interface NodeStatement {
  run(...params: unknown[]): { changes: number | bigint };
  get(...params: unknown[]): unknown;
  all(...params: unknown[]): unknown[];
  setReturnArrays(enabled: boolean): void;
  setAllowUnknownNamedParameters(enabled: boolean): void;
}
interface NodeDatabase {
  readonly isTransaction: boolean;
  prepare(sql: string): NodeStatement;
  exec(sql: string): void;
  close(): void;
}
interface NodeSqliteModule {
  DatabaseSync: new (path: string, options?: { readOnly?: boolean; timeout?: number }) => NodeDatabase;
}

/** node:sqlite when this Node has all that ghost needs of it (22.16 and later), else why not. */
export function loadNodeSqlite(): NodeSqliteModule | string {
  // Node 22 warns that the module is experimental when it loads; that line is not the user's business.
  const emitWarning = process.emitWarning;
  process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
    if (rest[0] === 'ExperimentalWarning' && String(warning).includes('SQLite')) return;
    (emitWarning as (...args: unknown[]) => void).call(process, warning, ...rest);
  }) as typeof process.emitWarning;
  let sqlite: NodeSqliteModule | undefined;
  try {
    sqlite = process.getBuiltinModule('node:sqlite') as NodeSqliteModule | undefined;
  } finally {
    process.emitWarning = emitWarning;
  }
  if (!sqlite) return `Node.js ${process.version} has no node:sqlite`;
  const prototype = (sqlite as unknown as { StatementSync?: { prototype: Partial<NodeStatement> } }).StatementSync?.prototype;
  if (typeof prototype?.setReturnArrays !== 'function' || typeof prototype.setAllowUnknownNamedParameters !== 'function') {
    return `Node.js ${process.version}'s node:sqlite is too old (ghost needs 22.16 or later)`;
  }
  return sqlite;
}

export function openNodeSqlite(sqlite: NodeSqliteModule, path: string, options: { readonly: boolean; timeoutMs: number }): Database {
  return new NodeSqliteDatabase(translated(() => new sqlite.DatabaseSync(path, { readOnly: options.readonly, timeout: options.timeoutMs })));
}

class NodeSqliteDatabase implements Database {
  readonly #db: NodeDatabase;
  #open = true;
  #savepoints = 0;

  constructor(db: NodeDatabase) {
    this.#db = db;
  }

  get open(): boolean {
    return this.#open;
  }

  prepare(sql: string): Statement {
    return new NodeSqliteStatement(translated(() => this.#db.prepare(sql)));
  }

  exec(sql: string): void {
    translated(() => this.#db.exec(sql));
  }

  pragma(source: string, options: { simple?: boolean } = {}): unknown {
    const statement = this.prepare(`PRAGMA ${source}`);
    return options.simple ? statement.pluck().get() : statement.all();
  }

  transaction<T>(fn: () => T): Transaction<T> {
    const inMode = (mode: 'DEFERRED' | 'IMMEDIATE') => () => (this.#db.isTransaction ? this.#inSavepoint(fn) : this.#inTransaction(mode, fn));
    return Object.assign(inMode('DEFERRED'), { deferred: inMode('DEFERRED'), immediate: inMode('IMMEDIATE') });
  }

  close(): void {
    if (!this.#open) return;
    this.#db.close();
    this.#open = false;
  }

  #inTransaction<T>(mode: string, fn: () => T): T {
    this.exec(`BEGIN ${mode}`);
    try {
      const result = fn();
      this.exec('COMMIT');
      return result;
    } catch (error) {
      // A failed COMMIT (or SQLite itself, on some errors) may already have ended the transaction.
      if (this.#db.isTransaction) this.exec('ROLLBACK');
      throw error;
    }
  }

  #inSavepoint<T>(fn: () => T): T {
    const name = `ghost_${++this.#savepoints}`;
    this.exec(`SAVEPOINT ${name}`);
    try {
      const result = fn();
      this.exec(`RELEASE ${name}`);
      return result;
    } catch (error) {
      if (this.#db.isTransaction) this.exec(`ROLLBACK TO ${name}; RELEASE ${name}`);
      throw error;
    } finally {
      this.#savepoints--;
    }
  }
}

class NodeSqliteStatement implements Statement {
  readonly #statement: NodeStatement;
  #shape: 'objects' | 'arrays' | 'first' = 'objects';

  constructor(statement: NodeStatement) {
    this.#statement = statement;
    // As better-sqlite3 does: a named parameter the SQL does not use is ignored, not an error.
    statement.setAllowUnknownNamedParameters(true);
  }

  run(...params: unknown[]): { changes: number } {
    return { changes: Number(translated(() => this.#statement.run(...params)).changes) };
  }

  get(...params: unknown[]): unknown {
    const row = translated(() => this.#statement.get(...params));
    return this.#shape === 'first' && row !== undefined ? (row as unknown[])[0] : row;
  }

  all(...params: unknown[]): unknown[] {
    const rows = translated(() => this.#statement.all(...params));
    return this.#shape === 'first' ? rows.map((row) => (row as unknown[])[0]) : rows;
  }

  pluck(toggle = true): this {
    return this.#reshape(toggle ? 'first' : 'objects');
  }

  raw(toggle = true): this {
    return this.#reshape(toggle ? 'arrays' : 'objects');
  }

  #reshape(shape: 'objects' | 'arrays' | 'first'): this {
    this.#shape = shape;
    this.#statement.setReturnArrays(shape !== 'objects');
    return this;
  }
}

/**
 * node:sqlite reports SQLite's failures as ERR_SQLITE_ERROR with a numeric `errcode`; ghost's
 * checks read better-sqlite3's names (SQLITE_BUSY, SQLITE_FULL, ...), so the error gets that name.
 */
function translated<T>(action: () => T): T {
  try {
    return action();
  } catch (error) {
    const errcode = (error as { errcode?: unknown } | null)?.errcode;
    if ((error as { code?: unknown }).code !== 'ERR_SQLITE_ERROR' || typeof errcode !== 'number') throw error;
    throw Object.assign(new Error((error as Error).message, { cause: error }), { code: resultCodeName(errcode) });
  }
}
