// Direct access to a data directory's tasks.db, for tests that must fake a state ghost itself
// would never produce (a recycled pid, an old task, a database from a newer version). It goes
// through core's driver choice, so it works on every Node the suite runs on.
import { join } from 'node:path';
import { loadDriver } from '../../packages/ghost-core/src/db/driver.js';
import type { Database } from '../../packages/ghost-core/src/db/sqlite.js';

export function withTasksDb<T>(dataDir: string, fn: (db: Database) => T): T {
  const db = loadDriver().open(join(dataDir, 'tasks.db'), { readonly: false, timeoutMs: 10_000 });
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

/** The columns of a task's current run that a test may overwrite. */
export interface TaskRowPatch {
  status?: string;
  pid?: number | null;
  pgid?: number | null;
  pid_start?: string | null;
  supervisor_start?: string | null;
  exit_code?: number | null;
  signal?: string | null;
  /** ms since the epoch (stored as ISO 8601 text, as ghost stores it). */
  started_at?: number;
  finished_at?: number | null;
}

const TIME_COLUMNS = new Set(['started_at', 'finished_at']);

export function patchTask(dataDir: string, id: string, patch: TaskRowPatch): void {
  const keys = Object.keys(patch);
  if (keys.length === 0) return;
  withTasksDb(dataDir, (db) => {
    const sql = `UPDATE runs SET ${keys.map((key) => `${key} = @${key}`).join(', ')}
      WHERE task_id = @id AND run = (SELECT run FROM tasks WHERE id = @id)`;
    const values = Object.fromEntries(
      Object.entries(patch).map(([key, value]) => [
        key,
        TIME_COLUMNS.has(key) && typeof value === 'number' ? new Date(value).toISOString() : value,
      ]),
    );
    const changes = db.prepare(sql).run({ ...values, id }).changes;
    if (changes !== 1) throw new Error(`no task ${id} in ${dataDir}`);
  });
}

export function rowCount(dataDir: string): number {
  return withTasksDb(dataDir, (db) => (db.prepare('SELECT count(*) AS n FROM tasks').get() as { n: number }).n);
}
