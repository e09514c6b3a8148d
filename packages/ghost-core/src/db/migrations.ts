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
  // 2: run history (a task can be started again: restart, start, run --reuse), descriptions,
  // and listing by working directory. Every existing task becomes its own first run.
  (db) => {
    db.exec(`
      ALTER TABLE tasks ADD COLUMN description TEXT;
      ALTER TABLE tasks ADD COLUMN run INTEGER NOT NULL DEFAULT 1;   -- the current run's number
      ALTER TABLE tasks ADD COLUMN reuse_key TEXT;                     -- argv and cwd, for run --reuse
      CREATE TABLE runs (
        task_id      TEXT NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
        run          INTEGER NOT NULL,
        pid          INTEGER,
        pgid         INTEGER,
        status       TEXT NOT NULL,
        exit_code    INTEGER,
        signal       TEXT,
        started_at   TEXT NOT NULL,
        finished_at  TEXT,
        PRIMARY KEY (task_id, run)
      ) WITHOUT ROWID;
      INSERT INTO runs (task_id, run, pid, pgid, status, exit_code, signal, started_at, finished_at)
        SELECT id, 1, pid, pgid, status, exit_code, signal, started_at, finished_at FROM tasks;
      CREATE INDEX tasks_by_cwd ON tasks (cwd, started_at);
      -- At most one running task per reuse key: concurrent idempotent starts race on this.
      CREATE UNIQUE INDEX tasks_reuse_running ON tasks (reuse_key) WHERE status = 'running' AND reuse_key IS NOT NULL;
    `);
  },
];

export const SCHEMA_VERSION = MIGRATIONS.length;
