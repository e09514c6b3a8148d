import { closeSync, copyFileSync, existsSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { GhostError, describeSystemError, errnoCode, isGhostError, isStorageFailure } from '../errors.js';
import { type Driver, loadDriver } from './driver.js';
import { MIGRATIONS, SCHEMA_VERSION } from './migrations.js';
import type { Database } from './sqlite.js';

/** How long a writer waits for another ghost process's transaction before giving up. */
const BUSY_TIMEOUT_MS = 10_000;

let driver: Driver | undefined;

/** How SQLite was loaded, once a database has been opened (for ghost doctor). */
export function loadedDriver(): Driver | undefined {
  return driver;
}

/**
 * Opens (creating if needed) the task database: WAL so readers never block the writer,
 * a busy timeout so concurrent ghost processes queue instead of failing, and migrations
 * applied under an immediate transaction so concurrent first runs migrate exactly once.
 *
 * A full or read-only disk must not lock the user out of their tasks (stop the one filling the
 * disk, read its log): WAL keeps its index in a shared-memory file that must grow on open, which
 * a full disk refuses. Then the database is opened again in exclusive locking mode, which keeps
 * that index in this process's memory: reads work, writes fail with a storage error that the
 * callers tolerate, and other ghost processes wait for this short-lived one.
 */
export function openDatabase(file: string): Database {
  createPrivateFile(file);
  driver ??= loadDriver(); // on first use: help and version never load a driver
  try {
    return openWith(file, file, { exclusive: false, readonly: false });
  } catch (error) {
    if (!isStorageFailure(error)) throw error;
    for (const fallback of [() => openWith(file, file, { exclusive: true, readonly: false }), () => openSnapshot(file)]) {
      try {
        return fallback();
      } catch {
        // Try the next way; if none works, the first error says why.
      }
    }
    throw error;
  }
}

/**
 * A read-only data directory: SQLite cannot create the shared index WAL needs beside the
 * database, so a private copy is read instead (removed when this process exits). It is opened
 * read-only: every write fails as it would on the read-only disk, so callers say so, and the
 * evidence (journals) stays for the next command that can write.
 */
function openSnapshot(file: string): Database {
  const dir = mkdtempSync(join(tmpdir(), 'ghost-read-only-'));
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  const copy = join(dir, basename(file));
  copyFileSync(file, copy);
  if (existsSync(`${file}-wal`)) copyFileSync(`${file}-wal`, `${copy}-wal`);
  return openWith(copy, file, { exclusive: false, readonly: true });
}

function openWith(path: string, file: string, mode: { exclusive: boolean; readonly: boolean }): Database {
  let db: Database;
  try {
    db = driver!.open(path, { timeoutMs: BUSY_TIMEOUT_MS, readonly: mode.readonly });
  } catch (error) {
    throw unusable(file, error);
  }
  try {
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    if (mode.exclusive) db.pragma('locking_mode = EXCLUSIVE');
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > SCHEMA_VERSION) {
      throw new GhostError(
        'DATABASE_TOO_NEW',
        `database ${file} has schema version ${version}, newer than this ghost understands (${SCHEMA_VERSION}); upgrade ghost`,
      );
    }
    if (mode.readonly) {
      if (version < SCHEMA_VERSION) throw new GhostError('DATABASE_UNUSABLE', `database ${file} needs migrating, and its disk is read-only`);
      return db;
    }
    if ((db.pragma('journal_mode', { simple: true }) as string) !== 'wal') {
      retryWhileBusy(() => db.pragma('journal_mode = WAL'));
    }
    db.pragma('synchronous = NORMAL');
    if (version < SCHEMA_VERSION) migrate(db, file);
    return db;
  } catch (error) {
    db.close();
    if (isGhostError(error)) throw error;
    throw unusable(file, error);
  }
}

function migrate(db: Database, file: string): void {
  const run = db.transaction(() => {
    // Re-read inside the write lock: another process may have migrated meanwhile.
    const current = db.pragma('user_version', { simple: true }) as number;
    if (current > SCHEMA_VERSION) {
      throw new GhostError(
        'DATABASE_TOO_NEW',
        `database ${file} has schema version ${current}, newer than this ghost understands (${SCHEMA_VERSION}); upgrade ghost`,
      );
    }
    for (let version = current; version < SCHEMA_VERSION; version++) MIGRATIONS[version]!(db);
    db.pragma(`user_version = ${SCHEMA_VERSION}`);
  });
  run.immediate();
}

// Changing the journal mode takes an exclusive lock and does not always go through the busy
// handler, so many processes opening a new database at once must retry by hand.
function retryWhileBusy(action: () => void): void {
  const deadline = Date.now() + BUSY_TIMEOUT_MS;
  for (;;) {
    try {
      action();
      return;
    } catch (error) {
      if (!String(errnoCode(error)).startsWith('SQLITE_BUSY') || Date.now() > deadline) throw error;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5 + Math.random() * 20);
    }
  }
}

// SQLite creates the database with the umask's mode; create it 0600 first. The -wal and -shm
// files SQLite adds later copy the database file's permissions.
function createPrivateFile(file: string): void {
  // An existing database is left alone: on a read-only disk, opening it to append would fail.
  if (existsSync(file)) return;
  try {
    closeSync(openSync(file, 'a', 0o600));
  } catch (error) {
    throw unusable(file, error);
  }
}

function unusable(file: string, error: unknown): GhostError {
  const code = errnoCode(error);
  const reason =
    code === 'SQLITE_NOTADB'
      ? 'not a ghost database'
      : code?.startsWith('SQLITE_')
        ? (error as Error).message
        : describeSystemError(error);
  return new GhostError('DATABASE_UNUSABLE', `cannot open database ${file}: ${reason}`, { cause: error });
}
