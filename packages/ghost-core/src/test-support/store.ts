import { tempDir } from '@ghost/test-support';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { openDatabase } from '../db/open.js';
import { type NewTask, TaskStore } from '../db/task-store.js';
import { ensureDataDir } from '../paths/data-dir.js';
import type { TaskContext } from '../tasks/context.js';

/** A real data directory and database in a temporary directory. */
export function testContext(): TaskContext & { close(): void } {
  const paths = ensureDataDir(join(tempDir(), 'data'));
  const db = openDatabase(paths.database);
  return { paths, db, store: new TaskStore(db), now: () => Date.now(), close: () => db.close() };
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
