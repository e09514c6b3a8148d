import type { Database, Statement } from 'better-sqlite3';
import type { Task, TaskStatus } from '../tasks/types.js';

/** The columns every read needs. `env` is left out: it is large and rarely wanted. */
const COLUMNS = `id, name, pid, pgid, command, cwd, status, exit_code, signal, started_at, finished_at,
  log_path, pid_start, supervisor_start`;

interface TaskRow {
  id: string;
  name: string | null;
  pid: number | null;
  pgid: number | null;
  command: string;
  cwd: string;
  status: TaskStatus;
  exit_code: number | null;
  signal: string | null;
  started_at: number;
  finished_at: number | null;
  log_path: string;
  pid_start: string | null;
  supervisor_start: string | null;
}

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
    this.#prepare(
      `INSERT INTO tasks (id, name, pid, pgid, command, env, cwd, status, started_at, log_path, pid_start, supervisor_start)
       VALUES (@id, @name, @pid, @pgid, @command, @env, @cwd, 'running', @startedAt, @logPath, @pidStart, @supervisorStart)`,
    ).run({ ...task, command: JSON.stringify(task.command), env: JSON.stringify(task.env) });
  }

  get(id: string): StoredTask | undefined {
    const row = this.#prepare(`SELECT ${COLUMNS} FROM tasks WHERE id = ?`).get(id) as TaskRow | undefined;
    return row && fromRow(row);
  }

  /** The newest task with this name. */
  newestNamed(name: string): StoredTask | undefined {
    const row = this.#prepare(
      `SELECT ${COLUMNS} FROM tasks WHERE name = ? ORDER BY started_at DESC, rowid DESC LIMIT 1`,
    ).get(name) as TaskRow | undefined;
    return row && fromRow(row);
  }

  /** Tasks whose id starts with `prefix` (at most `limit`). */
  withIdPrefix(prefix: string, limit: number): StoredTask[] {
    // Ids are lower-case hex and dashes, so a range scan on the primary key is exact.
    const rows = this.#prepare(
      `SELECT ${COLUMNS} FROM tasks WHERE id >= ? AND id < ? ORDER BY started_at DESC LIMIT ?`,
    ).all(prefix, `${prefix}\u{10ffff}`, limit) as TaskRow[];
    return rows.map(fromRow);
  }

  running(): StoredTask[] {
    return (this.#prepare(`SELECT ${COLUMNS} FROM tasks WHERE status = 'running'`).all() as TaskRow[]).map(fromRow);
  }

  list(query: TaskQuery = {}): StoredTask[] {
    const where: string[] = [];
    const params: Record<string, unknown> = {};
    if (query.status) {
      where.push('status = @status');
      params.status = query.status;
    }
    if (query.name !== undefined) {
      where.push('name = @name');
      params.name = query.name;
    }
    const sql = `SELECT ${COLUMNS} FROM tasks ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY started_at DESC, rowid DESC ${query.limit ? `LIMIT ${Math.floor(query.limit)}` : ''}`;
    return (this.#prepare(sql).all(params) as TaskRow[]).map(fromRow);
  }

  /** Ended tasks that finished (or, lacking an end time, started) before `before` ms. */
  endedBefore(before: number, status?: TaskStatus): StoredTask[] {
    const rows = this.#prepare(
      `SELECT ${COLUMNS} FROM tasks
       WHERE status != 'running' AND COALESCE(finished_at, started_at) < @before
         AND (@status IS NULL OR status = @status)
       ORDER BY started_at DESC`,
    ).all({ before, status: status ?? null }) as TaskRow[];
    return rows.map(fromRow);
  }

  /**
   * Records how a task ended. Only a `running` row changes, so when several processes
   * reconcile the same task at once the first writer wins and the others are no-ops.
   */
  markEnded(id: string, end: TaskEnd): boolean {
    const result = this.#prepare(
      `UPDATE tasks SET status = @status, exit_code = @exitCode, signal = @signal, finished_at = @finishedAt
       WHERE id = @id AND status = 'running'`,
    ).run({ id, ...end });
    return result.changes > 0;
  }

  /** Deletes ended tasks and returns the ids deleted; a task running again is never deleted. */
  deleteEnded(ids: readonly string[]): string[] {
    const remove = this.#prepare(`DELETE FROM tasks WHERE id = ? AND status != 'running'`);
    const run = this.#db.transaction((list: readonly string[]) => list.filter((id) => remove.run(id).changes > 0));
    return run.immediate(ids);
  }

  env(id: string): Record<string, string> | undefined {
    const row = this.#prepare(`SELECT env FROM tasks WHERE id = ?`).get(id) as { env: string } | undefined;
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
}

function fromRow(row: TaskRow): StoredTask {
  return {
    id: row.id,
    name: row.name,
    pid: row.pid,
    pgid: row.pgid,
    command: JSON.parse(row.command) as string[],
    cwd: row.cwd,
    status: row.status,
    exitCode: row.exit_code,
    signal: row.signal,
    startedAt: new Date(row.started_at),
    finishedAt: row.finished_at === null ? null : new Date(row.finished_at),
    logPath: row.log_path,
    pidStart: row.pid_start,
    supervisorStart: row.supervisor_start,
  };
}
