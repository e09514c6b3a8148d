import type { Database, Statement } from 'better-sqlite3';
import type { Run, Task, TaskStatus } from '../tasks/types.js';

// Rows are read as arrays (better-sqlite3's raw mode): a CLI run is too short for the JIT to
// warm up, and building one object per row instead of two halves the cost of a long list.
// Environments live in task_env: large and rarely wanted.
const TASK_COLUMNS = `id, name, pid, pgid, command, cwd, status, exit_code, signal, started_at, finished_at, log_path,
  description`;
const STORED_COLUMNS = `${TASK_COLUMNS}, pid_start, supervisor_start, run`;

type TaskRow = [
  id: string,
  name: string | null,
  pid: number | null,
  pgid: number | null,
  command: string,
  cwd: string,
  status: TaskStatus,
  exitCode: number | null,
  signal: string | null,
  startedAt: string,
  finishedAt: string | null,
  logPath: string,
  description: string | null,
];
type StoredRow = [...TaskRow, pidStart: string | null, supervisorStart: string | null, run: number];

/**
 * One task as a JSON object: the same keys, order and values as `taskToJSON`. Times are stored
 * as `toISOString()` text (fixed width, so text order is time order), which is also the output.
 */
const TASK_JSON_OBJECT = `json_object(
  'id', id, 'name', name, 'description', description, 'pid', pid, 'pgid', pgid, 'status', status, 'exit_code', exit_code, 'signal', signal,
  'command', json(command), 'cwd', cwd, 'started_at', started_at, 'finished_at', finished_at, 'log_path', log_path)`;

/** A time as stored: ISO 8601 UTC with milliseconds. */
const iso = (ms: number) => new Date(ms).toISOString();

/** A task plus what ghost needs internally to verify its processes. */
export interface StoredTask extends Task {
  pidStart: string | null;
  supervisorStart: string | null;
  /** The current run's number. */
  run: number;
}

/** A new run of an existing task (restart, start). */
export interface NewRun {
  pid: number;
  pgid: number;
  startedAt: number;
  pidStart: string | null;
  supervisorStart: string | null;
}

export interface NewTask {
  id: string;
  name: string | null;
  description: string | null;
  /** Set for idempotent starts: at most one running task may have a given key. */
  reuseKey?: string | null | undefined;
  pid: number;
  pgid: number;
  command: string[];
  env: Record<string, string>;
  cwd: string;
  startedAt: number;
  logPath: string;
  pidStart: string | null;
  supervisorStart: string | null;
}

export interface TaskEnd {
  status: Exclude<TaskStatus, 'running'>;
  exitCode: number | null;
  signal: string | null;
  finishedAt: number;
}

export interface TaskQuery {
  status?: TaskStatus | undefined;
  name?: string | undefined;
  /** Only tasks started in this working directory. */
  cwd?: string | undefined;
  limit?: number | undefined;
}

/** All SQL that touches the tasks table. Statements are prepared once per connection. */
export class TaskStore {
  readonly #db: Database;
  readonly #statements = new Map<string, Statement>();

  constructor(db: Database) {
    this.#db = db;
  }

  insert(task: NewTask): void {
    const insertTask = this.#prepare(
      `INSERT INTO tasks (id, name, description, pid, pgid, command, cwd, status, started_at, log_path, pid_start,
         supervisor_start, reuse_key)
       VALUES (@id, @name, @description, @pid, @pgid, @command, @cwd, 'running', @startedAt, @logPath, @pidStart,
         @supervisorStart, @reuseKey)`,
    );
    const insertEnv = this.#prepare(`INSERT INTO task_env (task_id, env) VALUES (?, ?)`);
    this.transaction(() => {
      const startedAt = iso(task.startedAt);
      insertTask.run({ ...task, command: JSON.stringify(task.command), startedAt, reuseKey: task.reuseKey ?? null });
      insertEnv.run(task.id, JSON.stringify(task.env));
      this.#insertRun(task.id, 1, { ...task, startedAt });
    });
  }

  /**
   * Records a new run of a task that has ended. Returns false (changing nothing) if the task
   * is running again already, or another task with its reuse key is: another process won.
   */
  restarted(id: string, run: NewRun): boolean {
    return this.transaction(() => {
      const startedAt = iso(run.startedAt);
      let number: number | undefined;
      try {
        number = this.#prepare(
          `UPDATE tasks SET run = run + 1, pid = @pid, pgid = @pgid, status = 'running', exit_code = NULL, signal = NULL,
             started_at = @startedAt, finished_at = NULL, pid_start = @pidStart, supervisor_start = @supervisorStart
           WHERE id = @id AND status != 'running' RETURNING run`,
        )
          .pluck()
          .get({ ...run, id, startedAt }) as number | undefined;
      } catch (error) {
        if (isUniqueViolation(error)) return false;
        throw error;
      }
      if (number === undefined) return false;
      this.#insertRun(id, number, { ...run, startedAt });
      return true;
    });
  }

  /** A task's runs, newest first. */
  runs(id: string): Run[] {
    const rows = this.#raw(
      `SELECT run, pid, status, exit_code, signal, started_at, finished_at FROM runs WHERE task_id = ? ORDER BY run DESC`,
    ).all(id) as [number, number | null, TaskStatus, number | null, string | null, string, string | null][];
    return rows.map(([run, pid, status, exitCode, signal, startedAt, finishedAt]) => ({
      run,
      pid,
      status,
      exitCode,
      signal,
      startedAt: new Date(startedAt),
      finishedAt: finishedAt === null ? null : new Date(finishedAt),
    }));
  }

  /** The task that runs exactly this argv in this directory: a running one, else the newest. */
  sameCommand(command: readonly string[], cwd: string): StoredTask | undefined {
    const row = this.#raw(
      `SELECT ${STORED_COLUMNS} FROM tasks WHERE command = ? AND cwd = ?
       ORDER BY status = 'running' DESC, started_at DESC, rowid DESC LIMIT 1`,
    ).get(JSON.stringify(command), cwd) as StoredRow | undefined;
    return row && storedFromRow(row);
  }

  #insertRun(id: string, run: number, fields: { pid: number; pgid: number; startedAt: string }): void {
    this.#prepare(
      `INSERT INTO runs (task_id, run, pid, pgid, status, started_at) VALUES (@id, @run, @pid, @pgid, 'running', @startedAt)`,
    ).run({ id, run, pid: fields.pid, pgid: fields.pgid, startedAt: fields.startedAt });
  }

  get(id: string): StoredTask | undefined {
    const row = this.#raw(`SELECT ${STORED_COLUMNS} FROM tasks WHERE id = ?`).get(id) as StoredRow | undefined;
    return row && storedFromRow(row);
  }

  /** The newest task with this name. */
  newestNamed(name: string): StoredTask | undefined {
    const row = this.#raw(
      `SELECT ${STORED_COLUMNS} FROM tasks WHERE name = ? ORDER BY started_at DESC, rowid DESC LIMIT 1`,
    ).get(name) as StoredRow | undefined;
    return row && storedFromRow(row);
  }

  /** Tasks whose id starts with `prefix` (at most `limit`). */
  withIdPrefix(prefix: string, limit: number): StoredTask[] {
    // Ids are lower-case hex and dashes, so a range scan on the primary key is exact.
    const rows = this.#raw(
      `SELECT ${STORED_COLUMNS} FROM tasks WHERE id >= ? AND id < ? ORDER BY started_at DESC LIMIT ?`,
    ).all(prefix, `${prefix}\u{10ffff}`, limit) as StoredRow[];
    return rows.map(storedFromRow);
  }

  running(): StoredTask[] {
    return (this.#raw(`SELECT ${STORED_COLUMNS} FROM tasks WHERE status = 'running'`).all() as StoredRow[]).map(
      storedFromRow,
    );
  }

  list(query: TaskQuery = {}): Task[] {
    const { where, params } = filter(query);
    const sql = `SELECT ${TASK_COLUMNS} FROM tasks ${where} ORDER BY started_at DESC, rowid DESC ${limit(query)}`;
    return (this.#raw(sql).all(params) as TaskRow[]).map(taskFromRow);
  }

  /**
   * The same tasks as `list`, as the JSON text of an array of `TaskJSON`. SQLite builds the
   * text, so a long list costs one string instead of a dozen JS values per task.
   */
  listJSON(query: TaskQuery = {}): string {
    const { where, params } = filter(query);
    const order = 'ORDER BY started_at DESC, rowid DESC';
    // Only a limit needs the rows picked (and so sorted) before they are aggregated.
    const source = query.limit ? `(SELECT rowid, * FROM tasks ${where} ${order} ${limit(query)})` : `tasks ${where}`;
    const sql = `SELECT json_group_array(${TASK_JSON_OBJECT} ${order}) FROM ${source}`;
    return this.#prepare(sql).pluck().get(params) as string;
  }

  /** Ended tasks that finished (or, lacking an end time, started) before `before` ms (null: any time). */
  endedBefore(before: number | null, status?: TaskStatus): StoredTask[] {
    const rows = this.#raw(
      `SELECT ${STORED_COLUMNS} FROM tasks
       WHERE status != 'running' AND (@before IS NULL OR COALESCE(finished_at, started_at) < @before)
         AND (@status IS NULL OR status = @status)
       ORDER BY started_at DESC`,
    ).all({ before: before === null ? null : iso(before), status: status ?? null }) as StoredRow[];
    return rows.map(storedFromRow);
  }

  /**
   * Records how a task ended. Only a `running` row changes, so when several processes
   * reconcile the same task at once the first writer wins and the others are no-ops.
   * The end time never precedes the start: an exit record's mtime comes from the kernel's
   * coarser file clock, which can lag the clock `started_at` was read from by a tick.
   */
  markEnded(id: string, end: TaskEnd): boolean {
    return this.transaction(() => {
      const ended = this.#prepare(
        `UPDATE tasks SET status = @status, exit_code = @exitCode, signal = @signal,
           finished_at = MAX(@finishedAt, started_at)
         WHERE id = @id AND status = 'running' RETURNING run, finished_at`,
      ).raw(true).get({ id, ...end, finishedAt: iso(end.finishedAt) }) as [number, string] | undefined;
      if (!ended) return false;
      this.#prepare(
        `UPDATE runs SET status = @status, exit_code = @exitCode, signal = @signal, finished_at = @finishedAt
         WHERE task_id = @id AND run = @run`,
      ).run({ id, run: ended[0], status: end.status, exitCode: end.exitCode, signal: end.signal, finishedAt: ended[1] });
      return true;
    });
  }

  /** Deletes ended tasks and returns the ids deleted; a task running again is never deleted. */
  deleteEnded(ids: readonly string[]): string[] {
    const remove = this.#prepare(`DELETE FROM tasks WHERE id = ? AND status != 'running'`);
    const removeEnv = this.#prepare(`DELETE FROM task_env WHERE task_id = ?`);
    const removeRuns = this.#prepare(`DELETE FROM runs WHERE task_id = ?`);
    return this.transaction(() =>
      ids.filter((id) => {
        if (remove.run(id).changes === 0) return false;
        removeEnv.run(id);
        removeRuns.run(id);
        return true;
      }),
    );
  }

  env(id: string): Record<string, string> | undefined {
    const row = this.#prepare(`SELECT env FROM task_env WHERE task_id = ?`).get(id) as { env: string } | undefined;
    return row && (JSON.parse(row.env) as Record<string, string>);
  }

  /** Runs `fn` in one write transaction (BEGIN IMMEDIATE: no lock upgrades, no deadlocks). */
  transaction<T>(fn: () => T): T {
    return this.#db.transaction(fn).immediate();
  }

  #prepare(sql: string): Statement {
    let statement = this.#statements.get(sql);
    if (!statement) {
      statement = this.#db.prepare(sql);
      this.#statements.set(sql, statement);
    }
    return statement;
  }

  #raw(sql: string): Statement {
    let statement = this.#statements.get(sql);
    if (!statement) {
      statement = this.#db.prepare(sql).raw(true);
      this.#statements.set(sql, statement);
    }
    return statement;
  }
}

/** SQLite's answer to a write that a UNIQUE constraint refused. */
export function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === 'SQLITE_CONSTRAINT_UNIQUE';
}

function filter(query: TaskQuery): { where: string; params: Record<string, unknown> } {
  const conditions: string[] = [];
  const params: Record<string, unknown> = {};
  if (query.status) {
    conditions.push('status = @status');
    params.status = query.status;
  }
  if (query.name !== undefined) {
    conditions.push('name = @name');
    params.name = query.name;
  }
  if (query.cwd !== undefined) {
    conditions.push('cwd = @cwd');
    params.cwd = query.cwd;
  }
  return { where: conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '', params };
}

function limit(query: TaskQuery): string {
  return query.limit ? `LIMIT ${Math.floor(query.limit)}` : '';
}

function taskFromRow(row: TaskRow | StoredRow): Task {
  const finishedAt = row[10];
  return {
    id: row[0],
    name: row[1],
    pid: row[2],
    pgid: row[3],
    command: JSON.parse(row[4]) as string[],
    cwd: row[5],
    status: row[6],
    exitCode: row[7],
    signal: row[8],
    startedAt: new Date(row[9]),
    finishedAt: finishedAt === null ? null : new Date(finishedAt),
    logPath: row[11],
    description: row[12],
  };
}

function storedFromRow(row: StoredRow): StoredTask {
  const task = taskFromRow(row) as StoredTask;
  task.pidStart = row[13];
  task.supervisorStart = row[14];
  task.run = row[15];
  return task;
}
