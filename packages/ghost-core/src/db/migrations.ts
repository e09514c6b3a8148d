import type { Database } from './sqlite.js';

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
  // 3: runs are the unit of truth. A task keeps what it is (argv, cwd, name, reuse key) and a
  // pointer to its newest run; everything about an execution (pid, identities, status, exit,
  // times, log offset, the supervisor journal it reports to, a stop's intent) lives in its run
  // row only. At most one run of a task is running, and at most one task has a reuse key:
  // concurrent starts race on these constraints, never on a read-then-write.
  (db) => {
    db.exec(`
      CREATE TABLE runs_v3 (
        task_id           TEXT NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
        run               INTEGER NOT NULL,
        launch_id         TEXT,          -- the supervisor's journal; NULL: started by ghost < 3 (exits/<task-id>)
        pid               INTEGER,
        pgid              INTEGER,       -- the supervisor's pid, leader of the run's process group
        pid_start         TEXT,          -- identity of pid: boot id + start time
        supervisor_start  TEXT,          -- identity of the supervisor
        status            TEXT NOT NULL CHECK (status IN ('running', 'exited', 'killed', 'unknown')),
        exit_code         INTEGER,
        signal            TEXT,
        reason            TEXT,          -- why it ended as it did, when that is more than the status
        stop_signal       TEXT,          -- the strongest signal a stop sent, recorded before sending
        log_offset        INTEGER,       -- the log's size when the run started
        started_at        TEXT NOT NULL,
        finished_at       TEXT,
        PRIMARY KEY (task_id, run)
      ) WITHOUT ROWID;
      INSERT INTO runs_v3 (task_id, run, pid, pgid, pid_start, supervisor_start, status, exit_code, signal,
          started_at, finished_at)
        SELECT r.task_id, r.run, r.pid, r.pgid,
               CASE WHEN r.run = t.run THEN t.pid_start END, CASE WHEN r.run = t.run THEN t.supervisor_start END,
               CASE WHEN r.run = t.run THEN t.status ELSE r.status END,
               CASE WHEN r.run = t.run THEN t.exit_code ELSE r.exit_code END,
               CASE WHEN r.run = t.run THEN t.signal ELSE r.signal END,
               r.started_at, CASE WHEN r.run = t.run THEN t.finished_at ELSE r.finished_at END
        FROM runs r JOIN tasks t ON t.id = r.task_id;
      -- A v2 run that never ended, older than its task's current run, can no longer be observed.
      UPDATE runs_v3 SET status = 'unknown', finished_at = started_at
        WHERE status = 'running' AND run < (SELECT run FROM tasks WHERE id = task_id);
      DROP TABLE runs;
      ALTER TABLE runs_v3 RENAME TO runs;
      CREATE UNIQUE INDEX runs_one_running ON runs (task_id) WHERE status = 'running';

      DROP INDEX tasks_by_status;
      DROP INDEX tasks_by_name;
      DROP INDEX tasks_by_started;
      DROP INDEX tasks_by_cwd;
      DROP INDEX tasks_reuse_running;
      ALTER TABLE tasks DROP COLUMN pid;
      ALTER TABLE tasks DROP COLUMN pgid;
      ALTER TABLE tasks DROP COLUMN status;
      ALTER TABLE tasks DROP COLUMN exit_code;
      ALTER TABLE tasks DROP COLUMN signal;
      ALTER TABLE tasks DROP COLUMN started_at;
      ALTER TABLE tasks DROP COLUMN finished_at;
      ALTER TABLE tasks DROP COLUMN pid_start;
      ALTER TABLE tasks DROP COLUMN supervisor_start;
      -- One task per reuse key: keep the key on the newest task that had it.
      UPDATE tasks SET reuse_key = NULL WHERE reuse_key IS NOT NULL AND rowid NOT IN (
        SELECT t.rowid FROM tasks t JOIN runs r ON r.task_id = t.id AND r.run = t.run
        WHERE t.reuse_key IS NOT NULL
          AND r.started_at = (SELECT MAX(r2.started_at) FROM tasks t2 JOIN runs r2 ON r2.task_id = t2.id AND r2.run = t2.run
                              WHERE t2.reuse_key = t.reuse_key)
        GROUP BY t.reuse_key);
      CREATE UNIQUE INDEX tasks_by_reuse_key ON tasks (reuse_key) WHERE reuse_key IS NOT NULL;
      CREATE INDEX tasks_by_name ON tasks (name);
      CREATE INDEX tasks_by_cwd ON tasks (cwd);
    `);
  },
  // 4: how each run's whole process tree is tracked (see process/tracking): "cgroup2:<dir>" or
  // "marker:<launch-id>". Kept while the run may have processes and cleared once it has ended
  // with none left, so the ended runs that may still have some (leftovers) come from a small
  // index: a list of 10,000 tasks never looks at the processes of each.
  (db) => {
    db.exec(`
      ALTER TABLE runs ADD COLUMN tracking TEXT;
      CREATE INDEX runs_lingering ON runs (task_id) WHERE tracking IS NOT NULL AND status != 'running';
    `);
  },
  // 5: supervision. A task may carry a policy (JSON: restart policy, backoff, limits ...; NULL
  // for none); its supervisor may start the command again, and every such start is a run of
  // its own: `attempt` numbers the runs of one launch (one journal). A run whose command ended
  // while its supervisor waits to start the next has `restart_at` (when it is due) until the
  // next run starts or the wait ends: those runs are reconciled with the running ones.
  (db) => {
    db.exec(`
      ALTER TABLE tasks ADD COLUMN policy TEXT;
      ALTER TABLE runs ADD COLUMN attempt INTEGER NOT NULL DEFAULT 1;
      ALTER TABLE runs ADD COLUMN restart_at TEXT;
      CREATE INDEX runs_restarting ON runs (task_id) WHERE restart_at IS NOT NULL;
    `);
  },
  // 6: health. The current health of a running run with a health check, as its supervisor's
  // journal (or its log, for a ready-log check) last said, and when it changed.
  (db) => {
    db.exec(`
      ALTER TABLE runs ADD COLUMN health TEXT;
      ALTER TABLE runs ADD COLUMN health_at TEXT;
    `);
  },
  // 7: log rotation by the supervisor. A launch's journal says how many bytes its rotations
  // moved out of the log (`rotated` lines, whoever rotated); `rotated` is how many of those the
  // runs' offsets have been moved by, so each is applied once (see TaskStore.applyRotations).
  (db) => {
    db.exec(`ALTER TABLE runs ADD COLUMN rotated INTEGER NOT NULL DEFAULT 0;`);
  },
  // 8: stacks. A task started for a project file's service carries its project, its service
  // and the digest of the service definition it runs (how `up` tells changed from unchanged).
  // One task per (project, service): concurrent `up`s race on this index, not on a read.
  (db) => {
    db.exec(`
      ALTER TABLE tasks ADD COLUMN project TEXT;
      ALTER TABLE tasks ADD COLUMN service TEXT;
      ALTER TABLE tasks ADD COLUMN service_digest TEXT;
      CREATE UNIQUE INDEX tasks_by_service ON tasks (project, service) WHERE service IS NOT NULL;
      CREATE INDEX tasks_by_project ON tasks (project) WHERE project IS NOT NULL;
    `);
  },
  // 9: stack history. Every `up` that applied a new project file (by digest) records it, with
  // its bytes, so a rollback needs neither the old file nor git; revisions count 1, 2, ... per
  // project. `git_commit`/`git_dirty`: the commit the file came from, NULL outside git.
  (db) => {
    db.exec(`
      CREATE TABLE stack_revisions (
        project TEXT NOT NULL,
        revision INTEGER NOT NULL,
        applied_at TEXT NOT NULL,
        file TEXT NOT NULL,
        format TEXT NOT NULL,
        text TEXT NOT NULL,
        digest TEXT NOT NULL,
        git_commit TEXT,
        git_dirty INTEGER,
        PRIMARY KEY (project, revision)
      );
    `);
  },
  // 10: `ghost list` shows the newest ended tasks (and every active one): read newest first
  // through this index, a list of 100,000 tasks reads 20 of them, not all.
  (db) => {
    db.exec(`CREATE INDEX runs_by_started ON runs (started_at);`);
  },
  // 11: a change sequence, so that a viewer re-reads only what changed (ghost-ui over 10,000
  // tasks). Every insert or update of a task or of one of its runs gives the task the next
  // number of `change_seq`; a removed task leaves its id in `removed_tasks` under its number.
  // Triggers keep it, so no writer can forget to. The tombstones of the last 100,000 changes are
  // kept: a reader further behind than that reads everything again (see TaskStore.changesSince).
  (db) => {
    db.exec(`
      ALTER TABLE tasks ADD COLUMN seq INTEGER NOT NULL DEFAULT 0;
      CREATE INDEX tasks_by_seq ON tasks (seq);
      CREATE TABLE change_seq (id INTEGER PRIMARY KEY CHECK (id = 1), value INTEGER NOT NULL);
      INSERT INTO change_seq (id, value) VALUES (1, 0);
      CREATE TABLE removed_tasks (seq INTEGER PRIMARY KEY, id TEXT NOT NULL);
      CREATE TRIGGER task_inserted AFTER INSERT ON tasks BEGIN
        UPDATE change_seq SET value = value + 1;
        UPDATE tasks SET seq = (SELECT value FROM change_seq) WHERE rowid = NEW.rowid;
      END;
      CREATE TRIGGER task_updated AFTER UPDATE ON tasks WHEN NEW.seq = OLD.seq BEGIN
        UPDATE change_seq SET value = value + 1;
        UPDATE tasks SET seq = (SELECT value FROM change_seq) WHERE rowid = NEW.rowid;
      END;
      CREATE TRIGGER run_inserted AFTER INSERT ON runs BEGIN
        UPDATE change_seq SET value = value + 1;
        UPDATE tasks SET seq = (SELECT value FROM change_seq) WHERE id = NEW.task_id;
      END;
      CREATE TRIGGER run_updated AFTER UPDATE ON runs BEGIN
        UPDATE change_seq SET value = value + 1;
        UPDATE tasks SET seq = (SELECT value FROM change_seq) WHERE id = NEW.task_id;
      END;
      CREATE TRIGGER task_removed AFTER DELETE ON tasks BEGIN
        UPDATE change_seq SET value = value + 1;
        INSERT INTO removed_tasks (seq, id) VALUES ((SELECT value FROM change_seq), OLD.id);
        DELETE FROM removed_tasks WHERE seq <= (SELECT value FROM change_seq) - 100000;
      END;
    `);
  },
];

export const SCHEMA_VERSION = MIGRATIONS.length;
