import { tempDir } from '@ghost/test-support';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { loadDriver } from '../db/driver.js';
import { openDatabase } from '../db/open.js';
import type { Database } from '../db/sqlite.js';
import { type NewTask, TaskStore } from '../db/task-store.js';
import { ensureDataDir } from '../paths/data-dir.js';
import type { TaskContext } from '../tasks/context.js';

/** A real data directory and database in a temporary directory. */
export function testContext(): TaskContext & { close(): void } {
  const paths = ensureDataDir(join(tempDir(), 'data'));
  const db = openDatabase(paths.database);
  return { paths, db, store: new TaskStore(db), now: () => Date.now(), close: () => db.close() };
}

/**
 * A connection to `file` with no migrations applied, through the driver ghost would use here:
 * for tests that make a database as an older ghost left it, or look at one behind ghost's back.
 */
export function rawDatabase(file: string, options: { readonly?: boolean } = {}): Database {
  return loadDriver().open(file, { readonly: options.readonly ?? false, timeoutMs: 10_000 });
}

/** A task row as `run` would write it, with overridable fields. */
export function taskRow(overrides: Partial<NewTask> = {}): NewTask {
  const id = overrides.id ?? randomUUID();
  return {
    id,
    name: null,
    description: null,
    pid: 999_999,
    pgid: 999_999,
    command: ['true'],
    env: { SECRET: 'hunter2' },
    cwd: '/',
    startedAt: Date.now(),
    logPath: `/tmp/${id}.log`,
    pidStart: 'nobody:0',
    supervisorStart: 'nobody:0',
    launchId: randomUUID(),
    logOffset: 0,
    tracking: null,
    ...overrides,
  };
}
