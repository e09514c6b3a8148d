import type { Database } from 'better-sqlite3';

/**
 * Schema migrations, applied in order. The database's `user_version` is the number of
 * migrations applied. Never edit a published migration: add a new one.
 */
export const MIGRATIONS: ReadonlyArray<(db: Database) => void> = [
  // 1: tasks, and their environments in a table of their own: an environment is kilobytes,
  // and keeping it out of the task rows keeps every scan (list, reconcile) small.
  (db) => {
    db.exec(`
      CREATE TABLE tasks (
        id                TEXT PRIMARY KEY,
        name              TEXT,
        pid               INTEGER,
        pgid              INTEGER,
        command           TEXT NOT NULL,            -- JSON array: the argv that runs
        cwd               TEXT NOT NULL,
        status            TEXT NOT NULL CHECK (status IN ('running', 'exited', 'killed', 'unknown')),
        exit_code         INTEGER,
        signal            TEXT,
        started_at        TEXT NOT NULL,            -- ISO 8601 UTC with ms: sorts as it reads
        finished_at       TEXT,
        log_path          TEXT NOT NULL,
        pid_start         TEXT,                     -- identity of pid: boot id + start time
        supervisor_start  TEXT                      -- identity of the supervisor (its pid is pgid)
      );
      CREATE INDEX tasks_by_status ON tasks (status);
      CREATE INDEX tasks_by_name ON tasks (name, started_at);
      CREATE INDEX tasks_by_started ON tasks (started_at);
      CREATE TABLE task_env (
        task_id           TEXT PRIMARY KEY REFERENCES tasks (id) ON DELETE CASCADE,
        env               TEXT NOT NULL             -- JSON object: the full environment it ran with
      );
    `);
  },
];

export const SCHEMA_VERSION = MIGRATIONS.length;
