import type { Database } from 'better-sqlite3';
import { closeSync, existsSync, openSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { GhostError, describeSystemError, errnoCode } from '../errors.js';
import { MIGRATIONS, SCHEMA_VERSION } from './migrations.js';

/** How long a writer waits for another ghost process's transaction before giving up. */
const BUSY_TIMEOUT_MS = 10_000;

type DatabaseConstructor = typeof import('better-sqlite3');

interface Driver {
  Database: DatabaseConstructor;
  /** The compiled addon's path, handed over so better-sqlite3 need not search for it. */
  nativeBinding: string | undefined;
}

let driver: Driver | undefined;

// Loaded on first use so that commands which never touch the database (help, version)
// do not pay for loading a native module.
function loadDriver(): Driver {
  if (!driver) {
    const require = createRequire(import.meta.url);
    // Resolved once (a resolution walks node_modules); the addon sits at build/Release beside lib/.
    const main = require.resolve('better-sqlite3');
    const addon = join(dirname(main), '..', 'build', 'Release', 'better_sqlite3.node');
    driver = {
      Database: require(main) as DatabaseConstructor,
      nativeBinding: existsSync(addon) ? addon : undefined,
    };
  }
  return driver;
}

/**
 * Opens (creating if needed) the task database: WAL so readers never block the writer,
 * a busy timeout so concurrent ghost processes queue instead of failing, and migrations
 * applied under an immediate transaction so concurrent first runs migrate exactly once.
 */
export function openDatabase(file: string): Database {
  createPrivateFile(file);
  const { Database: Driver, nativeBinding } = loadDriver();
  let db: Database;
  try {
    db = new Driver(file, { timeout: BUSY_TIMEOUT_MS, ...(nativeBinding ? { nativeBinding } : {}) });
  } catch (error) {
    throw unusable(file, error);
  }
  try {
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > SCHEMA_VERSION) {
      throw new GhostError(
        'DATABASE_TOO_NEW',
        `database ${file} has schema version ${version}, newer than this ghost understands (${SCHEMA_VERSION}); upgrade ghost`,
      );
    }
    if ((db.pragma('journal_mode', { simple: true }) as string) !== 'wal') {
      retryWhileBusy(() => db.pragma('journal_mode = WAL'));
    }
    db.pragma('synchronous = NORMAL');
    if (version < SCHEMA_VERSION) migrate(db, file);
    return db;
  } catch (error) {
    db.close();
    if (error instanceof GhostError) throw error;
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
