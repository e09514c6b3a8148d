import type { Database, Statement } from 'better-sqlite3';
import type { Task, TaskStatus } from '../tasks/types.js';

// Rows are read as arrays (better-sqlite3's raw mode): a CLI run is too short for the JIT to
// warm up, and building one object per row instead of two halves the cost of a long list.
// Environments live in task_env: large and rarely wanted.
const TASK_COLUMNS = `id, name, pid, pgid, command, cwd, status, exit_code, signal, started_at, finished_at, log_path`;
const STORED_COLUMNS = `${TASK_COLUMNS}, pid_start, supervisor_start`;

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
];
type StoredRow = [...TaskRow, pidStart: string | null, supervisorStart: string | null];

/**
 * One task as a JSON object: the same keys, order and values as `taskToJSON`. Times are stored
 * as `toISOString()` text (fixed width, so text order is time order), which is also the output.
 */
const TASK_JSON_OBJECT = `json_object(
  'id', id, 'name', name, 'pid', pid, 'pgid', pgid, 'status', status, 'exit_code', exit_code, 'signal', signal,
  'command', json(command), 'cwd', cwd, 'started_at', started_at, 'finished_at', finished_at, 'log_path', log_path)`;

/** A time as stored: ISO 8601 UTC with milliseconds. */
const iso = (ms: number) => new Date(ms).toISOString();

/** A task plus what ghost needs internally to verify its processes. */
export interface StoredTask extends Task {
  pidStart: string | null;
  supervisorStart: string | null;
}

export interface NewTask {
  id: string;
  name: string | null;
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
      `INSERT INTO tasks (id, name, pid, pgid, command, cwd, status, started_at, log_path, pid_start, supervisor_start)
       VALUES (@id, @name, @pid, @pgid, @command, @cwd, 'running', @startedAt, @logPath, @pidStart, @supervisorStart)`,
    );
    const insertEnv = this.#prepare(`INSERT INTO task_env (task_id, env) VALUES (?, ?)`);
    this.transaction(() => {
      insertTask.run({ ...task, command: JSON.stringify(task.command), startedAt: iso(task.startedAt) });
      insertEnv.run(task.id, JSON.stringify(task.env));
    });
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
    const result = this.#prepare(
      `UPDATE tasks SET status = @status, exit_code = @exitCode, signal = @signal,
         finished_at = MAX(@finishedAt, started_at)
       WHERE id = @id AND status = 'running'`,
    ).run({ id, ...end, finishedAt: iso(end.finishedAt) });
    return result.changes > 0;
  }

  /** Deletes ended tasks and returns the ids deleted; a task running again is never deleted. */
  deleteEnded(ids: readonly string[]): string[] {
    const remove = this.#prepare(`DELETE FROM tasks WHERE id = ? AND status != 'running'`);
    const removeEnv = this.#prepare(`DELETE FROM task_env WHERE task_id = ?`);
    return this.transaction(() =>
      ids.filter((id) => {
        if (remove.run(id).changes === 0) return false;
        removeEnv.run(id);
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
  };
}

function storedFromRow(row: StoredRow): StoredTask {
  const task = taskFromRow(row) as StoredTask;
  task.pidStart = row[12];
  task.supervisorStart = row[13];
  return task;
}
