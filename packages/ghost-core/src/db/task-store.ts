import type { Database, Statement } from './sqlite.js';
import { type RestartPolicy, type TaskPolicy, decodePolicy } from '../tasks/policy.js';
import { type Run, type RunStatus, type StatusFilter, type Task, type TaskHealth, type TaskStatus, filterStatuses } from '../tasks/types.js';

// A task row says what a task is; its runs say what happened. A task is shown with its current
// run (tasks.run points at the newest), so every read joins the two by primary key.
// Rows are read as arrays (better-sqlite3's raw mode): a CLI run is too short for the JIT to
// warm up, and building one object per row instead of two halves the cost of a long list.
// Environments live in task_env: large and rarely wanted.
const FROM = `tasks t JOIN runs r ON r.task_id = t.id AND r.run = t.run`;
/** A task's status: its current run's, or `restarting` while its supervisor waits to start the next. */
const STATUS = `CASE WHEN r.restart_at IS NOT NULL THEN 'restarting' ELSE r.status END`;
/**
 * Runs its supervisor started again (attempts after a launch's first). A task on its first run
 * has no other: that run is all there is to count, and most tasks need no look at the others.
 */
const RESTARTS = `CASE WHEN t.run = 1 THEN r.attempt > 1 ELSE (SELECT count(*) FROM runs x WHERE x.task_id = t.id AND x.attempt > 1) END`;
const RESTART_POLICY = `COALESCE(t.policy ->> '$.restart.policy', 'no')`;
/** Only a running run with a health check has a health: `starting` until something is recorded. */
const HEALTH = `CASE WHEN r.status = 'running' AND t.policy ->> '$.health' IS NOT NULL THEN COALESCE(r.health, 'starting') END`;
const HEALTH_AT = `CASE WHEN r.status = 'running' THEN r.health_at END`;
const TASK_COLUMNS = `t.id, t.name, r.pid, r.pgid, t.command, t.cwd, ${STATUS}, r.exit_code, r.signal, r.started_at,
  r.finished_at, t.log_path, t.description, t.run, r.reason, ${RESTARTS}, r.restart_at, ${RESTART_POLICY}, ${HEALTH}, ${HEALTH_AT},
  t.project, t.service`;
const STORED_COLUMNS = `${TASK_COLUMNS}, r.pid_start, r.supervisor_start, r.launch_id, r.stop_signal, r.tracking, r.attempt,
  t.policy, r.log_offset, t.service_digest, r.rotated`;
const ORDER = `ORDER BY r.started_at DESC, t.rowid DESC`;
/** How many changes back `removed_tasks` answers for (its trigger keeps that many: migration 11). */
const KEPT_REMOVALS = 100_000;
/** A task that has not ended: its run is running, or its supervisor waits to start the next. */
const ACTIVE = `(r.status = 'running' OR r.restart_at IS NOT NULL)`;
/**
 * `columns` of the active tasks that also meet `conditions` (SQL ending in AND, or empty): one
 * SELECT per partial index, since SQLite scans every run for the OR of the two.
 */
const selectActive = (columns: string, conditions = '') =>
  `SELECT ${columns} FROM ${FROM} WHERE ${conditions} r.status = 'running'
   UNION ALL SELECT ${columns} FROM ${FROM} WHERE ${conditions} r.restart_at IS NOT NULL AND r.status != 'running'`;

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
  run: number,
  reason: string | null,
  restarts: number,
  restartAt: string | null,
  restartPolicy: RestartPolicy,
  health: TaskHealth | null,
  healthAt: string | null,
  project: string | null,
  service: string | null,
];
type StoredRow = [
  ...TaskRow,
  pidStart: string | null,
  supervisorStart: string | null,
  launchId: string | null,
  stopSignal: string | null,
  tracking: string | null,
  attempt: number,
  policy: string | null,
  logOffset: number | null,
  serviceDigest: string | null,
  rotated: number,
];

/**
 * One task as a JSON object: the same keys, order and values as `taskToJSON`. Times are stored
 * as `toISOString()` text (fixed width, so text order is time order), which is also the output.
 */
const taskJSONObject = (leftovers: string, usage: boolean) => `json_object(
  'id', t.id, 'name', t.name, 'project', t.project, 'service', t.service, 'description', t.description, 'run', t.run, 'pid', r.pid, 'pgid', r.pgid,
  'status', ${STATUS}, 'exit_code', r.exit_code, 'signal', r.signal, 'reason', r.reason,
  'restart_policy', ${RESTART_POLICY}, 'restarts', ${RESTARTS}, 'restart_at', r.restart_at, 'health', ${HEALTH}, 'health_at', ${HEALTH_AT},
  'leftover_processes', ${leftovers},
  'cpu_percent', ${usage ? `u.value ->> '$[0]'` : 'NULL'}, 'memory_bytes', ${usage ? `u.value ->> '$[1]'` : 'NULL'},
  'command', json(t.command), 'cwd', t.cwd, 'started_at', r.started_at,
  'finished_at', r.finished_at, 'log_path', t.log_path)`;

/** A time as stored: ISO 8601 UTC with milliseconds. */
const iso = (ms: number) => new Date(ms).toISOString();

/** What `listJSON` shows of a running task's CPU and memory. */
export type TaskUsage = Pick<Task, 'cpuPercent' | 'memoryBytes'>;

/** A task with its current run, plus what ghost needs internally to verify that run's processes. */
export interface StoredTask extends Task {
  pidStart: string | null;
  supervisorStart: string | null;
  /** The current run's journal (null for a run started before journals: see legacy-exit-record.ts). */
  launchId: string | null;
  /** The strongest signal a stop has sent to the current run (recorded before it was sent). */
  stopSignal: string | null;
  /** How the current run's processes are tracked (see process/tracking), while it may have any. */
  tracking: string | null;
  /** Which start of its launch the current run is: 1, then 2, 3, ... for its supervisor's restarts. */
  attempt: number;
  /** How the task is supervised (what start and restart keep). */
  policy: TaskPolicy;
  /** Where the current run's output starts in the log (null: not known). */
  logOffset: number | null;
  /** The digest of the service definition it runs (see stack/digest.ts); null for a plain task. */
  serviceDigest: string | null;
  /** The bytes of its launch's rotations (journal `rotated` lines) the offsets have been moved by. */
  rotated: number;
}

/** An ended run whose processes may have outlived its command (its tracking is still set). */
export interface LingeringRun {
  id: string;
  run: number;
  /** The run's supervisor, by pid and identity: ghost's own, not one of the task's processes. */
  pgid: number | null;
  supervisorStart: string | null;
  tracking: string;
}

/** A run as the launcher recorded it: its processes, their identities and its journal. */
export interface NewRun {
  launchId: string;
  pid: number;
  pgid: number;
  pidStart: string | null;
  supervisorStart: string | null;
  startedAt: number;
  /** The log's size when it started (null: not known, for a run its supervisor restarted). */
  logOffset: number | null;
  /** How its processes are tracked (see process/tracking). */
  tracking: string | null;
}

export interface NewTask extends NewRun {
  id: string;
  /** How it is supervised; null (the default) for no restarts. */
  policy?: string | null | undefined;
  name: string | null;
  description: string | null;
  /** Set for idempotent starts: at most one task has a given key. */
  reuseKey?: string | null | undefined;
  /** A stack's service: at most one task per (project, service). */
  project?: string | null | undefined;
  service?: string | null | undefined;
  serviceDigest?: string | null | undefined;
  command: string[];
  env: Record<string, string>;
  cwd: string;
  logPath: string;
}

export interface RunEnd {
  status: Exclude<RunStatus, 'running'>;
  exitCode: number | null;
  signal: string | null;
  /** A code for why it ended so, when the status does not say it all (e.g. "launch_aborted"). */
  reason?: string | null | undefined;
  finishedAt: number;
}

/** How a conditional start of a new run went. */
export type StartOutcome =
  /** The run was recorded. */
  | 'started'
  /** Another process started a run first (the task is running, or moved past the run observed). */
  | 'taken'
  /** The task was removed meanwhile. */
  | 'removed';

/** What a task runs, as `redefine` replaces it. */
export interface Definition {
  command: string[];
  cwd: string;
  env: Record<string, string>;
  policy: string | null;
  description: string | null;
  serviceDigest: string | null;
}

export interface TaskQuery {
  /** Only the tasks of this project. */
  project?: string | undefined;
  status?: StatusFilter | undefined;
  name?: string | undefined;
  /** Only tasks started in this working directory. */
  cwd?: string | undefined;
  limit?: number | undefined;
  /**
   * Every task that has not ended, and only the `ended` newest of those that have: picked
   * through the runs' start-time index, so the rest are never read.
   */
  ended?: number | undefined;
}

/**
 * All SQL of tasks and runs. Every change to a run is conditional on the run it names (and, for
 * an end, on that run still running), so a writer acting on what it saw earlier can never touch
 * a newer run. Statements are prepared once per connection.
 */
export class TaskStore {
  readonly #db: Database;
  readonly #statements = new Map<string, Statement>();

  constructor(db: Database) {
    this.#db = db;
  }

  /** Records a new task and its first run. Throws SQLite's unique violation for a taken reuse key. */
  insert(task: NewTask): void {
    const insertTask = this.#prepare(
      `INSERT INTO tasks (id, name, description, command, cwd, log_path, reuse_key, run, policy, project, service, service_digest)
       VALUES (@id, @name, @description, @command, @cwd, @logPath, @reuseKey, 1, @policy, @project, @service, @serviceDigest)`,
    );
    const insertEnv = this.#prepare(`INSERT INTO task_env (task_id, env) VALUES (?, ?)`);
    this.transaction(() => {
      insertTask.run({
        ...task,
        command: JSON.stringify(task.command),
        reuseKey: task.reuseKey ?? null,
        policy: task.policy ?? null,
        project: task.project ?? null,
        service: task.service ?? null,
        serviceDigest: task.serviceDigest ?? null,
      });
      insertEnv.run(task.id, JSON.stringify(task.env));
      this.#insertRun(task.id, 1, task);
    });
  }

  /**
   * Records run `observedRun + 1` of a task, only if its current run is still `observedRun` and
   * has ended: of several processes that saw the same ended run and start it again, one wins.
   */
  startRun(id: string, observedRun: number, run: NewRun): StartOutcome {
    return this.transaction(() => {
      const current = this.#prepare(`SELECT run FROM tasks WHERE id = ?`).pluck().get(id) as number | undefined;
      if (current === undefined) return 'removed';
      if (current !== observedRun) return 'taken';
      try {
        this.#insertRun(id, observedRun + 1, run);
      } catch (error) {
        // The observed run is still running (one running run per task), or the number is taken.
        if (isUniqueViolation(error)) return 'taken';
        throw error;
      }
      this.#prepare(`UPDATE tasks SET run = ? WHERE id = ?`).run(observedRun + 1, id);
      return 'started';
    });
  }

  #insertRun(id: string, run: number, fields: NewRun, attempt = 1): void {
    this.#prepare(
      `INSERT INTO runs (task_id, run, launch_id, pid, pgid, pid_start, supervisor_start, status, log_offset, started_at, tracking,
         attempt, rotated)
       VALUES (@id, @run, @launchId, @pid, @pgid, @pidStart, @supervisorStart, 'running', @logOffset, @startedAt, @tracking,
         @attempt, COALESCE((SELECT rotated FROM runs WHERE task_id = @id AND run = @run - 1 AND launch_id = @launchId), 0))`,
    ).run({ ...fields, id, run, attempt, startedAt: iso(fields.startedAt) });
  }

  /**
   * Records the next attempt of a launch as run `previousRun + 1`, only if `previousRun` is the
   * task's current run and has ended (a supervisor's restart, as its journal tells it). The
   * launch's tracking moves to the new run: its processes are the new run's now.
   */
  startAttempt(id: string, previousRun: number, run: NewRun, attempt: number): boolean {
    return this.transaction(() => {
      const current = this.#prepare(`SELECT run FROM tasks WHERE id = ?`).pluck().get(id) as number | undefined;
      if (current !== previousRun) return false;
      const moved = this.#prepare(
        `UPDATE runs SET tracking = NULL, restart_at = NULL WHERE task_id = ? AND run = ? AND status != 'running'`,
      ).run(id, previousRun);
      if (moved.changes === 0) return false;
      try {
        this.#insertRun(id, previousRun + 1, run, attempt);
      } catch (error) {
        if (isUniqueViolation(error)) return false;
        throw error;
      }
      this.#prepare(`UPDATE tasks SET run = ? WHERE id = ?`).run(previousRun + 1, id);
      return true;
    });
  }

  /**
   * Records that run `run` (ended) waits for its supervisor to start the next one at `at` (ms),
   * or, with null, that it no longer does (with `reason`, when there is one: why not).
   */
  setRestartAt(id: string, run: number, at: number | null, reason?: string | null): boolean {
    return (
      this.#prepare(
        `UPDATE runs SET restart_at = @at, reason = COALESCE(@reason, reason)
         WHERE task_id = @id AND run = @run AND status != 'running'`,
      ).run({ id, run, at: at === null ? null : iso(at), reason: reason ?? null }).changes > 0
    );
  }

  /** Records the health of run `run`, only while it runs (a late word about an ended run changes nothing). */
  setHealth(id: string, run: number, health: 'healthy' | 'unhealthy', at: number): boolean {
    return (
      this.#prepare(`UPDATE runs SET health = @health, health_at = @at WHERE task_id = @id AND run = @run AND status = 'running'`).run({
        id,
        run,
        health,
        at: iso(at),
      }).changes > 0
    );
  }

  /**
   * Records how run `run` of a task ended, only if it is still running: when several processes
   * reconcile the same run at once the first writer wins and the others are no-ops.
   * The end time never precedes the start: a journal's mtime comes from the kernel's coarser
   * file clock, which can lag the clock `started_at` was read from by a tick.
   */
  endRun(id: string, run: number, end: RunEnd): boolean {
    return (
      this.#prepare(
        `UPDATE runs SET status = @status, exit_code = @exitCode, signal = @signal, reason = @reason,
           finished_at = MAX(@finishedAt, started_at)
         WHERE task_id = @id AND run = @run AND status = 'running'`,
      ).run({ id, run, ...end, reason: end.reason ?? null, finishedAt: iso(end.finishedAt) }).changes > 0
    );
  }

  /**
   * Records that a stop is about to send `signal` to a running run, so that whoever finds the
   * run's processes gone records the same outcome. False if the run is no longer running.
   */
  markStopping(id: string, run: number, signal: string): boolean {
    return (
      this.#prepare(`UPDATE runs SET stop_signal = ? WHERE task_id = ? AND run = ? AND status = 'running'`).run(signal, id, run)
        .changes > 0
    );
  }

  /** Ended runs (of one task, or of all) whose tracking is still set: they may have processes left. */
  lingering(id?: string): LingeringRun[] {
    const rows = this.#raw(
      `SELECT task_id, run, pgid, supervisor_start, tracking FROM runs
       WHERE tracking IS NOT NULL AND status != 'running' AND restart_at IS NULL AND (@id IS NULL OR task_id = @id)`,
    ).all({ id: id ?? null }) as [string, number, number | null, string | null, string][];
    return rows.map(([id, run, pgid, supervisorStart, tracking]) => ({ id, run, pgid, supervisorStart, tracking }));
  }

  /** Records that nothing of an ended run is left to track (only if its tracking is still `tracking`). */
  clearTracking(id: string, run: number, tracking: string): void {
    this.#prepare(`UPDATE runs SET tracking = NULL WHERE task_id = ? AND run = ? AND tracking = ? AND status != 'running'`).run(
      id,
      run,
      tracking,
    );
  }

  /**
   * The first `bytes` of a task's log were rotated away: every run's output starts that much
   * earlier in what is left of it (negative: it started in a rotated file).
   */
  /**
   * Moves the task's run offsets by the rotations of its current launch not applied yet: `total`
   * is what the launch's journal says all of them moved (a prefix of the journal, so it only
   * grows). Applied once whoever calls it and however often: returns the bytes moved now.
   */
  applyRotations(id: string, total: number): number {
    return this.transaction(() => {
      const current = this.#prepare(
        `SELECT r.rotated FROM runs r JOIN tasks t ON t.id = r.task_id AND t.run = r.run WHERE t.id = ?`,
      ).pluck().get(id) as number | undefined;
      if (current === undefined || total <= current) return 0;
      this.#prepare(`UPDATE runs SET rotated = ? WHERE task_id = ? AND run = (SELECT run FROM tasks WHERE id = ?)`).run(total, id, id);
      this.shiftLogOffsets(id, total - current);
      return total - current;
    });
  }

  shiftLogOffsets(id: string, bytes: number): void {
    this.#prepare(`UPDATE runs SET log_offset = log_offset - ? WHERE task_id = ? AND log_offset IS NOT NULL`).run(bytes, id);
  }

  /** A task's runs, newest first. */
  runs(id: string): Run[] {
    const rows = this.#raw(
      `SELECT run, pid, pgid, status, exit_code, signal, reason, started_at, finished_at, log_offset
       FROM runs WHERE task_id = ? ORDER BY run DESC`,
    ).all(id) as [number, number | null, number | null, RunStatus, number | null, string | null, string | null, string, string | null, number | null][];
    return rows.map(([run, pid, pgid, status, exitCode, signal, reason, startedAt, finishedAt, logOffset]) => ({
      run,
      pid,
      pgid,
      status,
      exitCode,
      signal,
      reason,
      startedAt: new Date(startedAt),
      finishedAt: finishedAt === null ? null : new Date(finishedAt),
      logOffset,
    }));
  }

  /** The journals of a task's runs (to remove with it). */
  launchIds(id: string): string[] {
    return this.#prepare(`SELECT launch_id FROM runs WHERE task_id = ? AND launch_id IS NOT NULL`).pluck().all(id) as string[];
  }

  /** The journals that running runs report to: every other journal is consumed or orphaned. */
  runningLaunchIds(): Set<string> {
    return new Set(
      this.#prepare(`SELECT launch_id FROM runs WHERE status = 'running' AND launch_id IS NOT NULL`).pluck().all() as string[],
    );
  }

  /**
   * Gives a task a new definition (argv, cwd, environment, policy, description, service
   * digest) for its next run, only while its current run is still `observedRun` and has ended:
   * the next `startRun` runs it. False if it runs, moved on, or was removed.
   */
  redefine(id: string, observedRun: number, definition: Definition): boolean {
    return this.transaction(() => {
      const changed = this.#prepare(
        `UPDATE tasks SET command = @command, cwd = @cwd, policy = @policy, description = @description, service_digest = @serviceDigest
         WHERE id = @id AND run = @run
           AND NOT EXISTS (SELECT 1 FROM runs WHERE task_id = @id AND (status = 'running' OR restart_at IS NOT NULL))`,
      ).run({ ...definition, id, run: observedRun, command: JSON.stringify(definition.command) });
      if (changed.changes === 0) return false;
      this.#prepare(`UPDATE task_env SET env = ? WHERE task_id = ?`).run(JSON.stringify(definition.env), id);
      return true;
    });
  }

  /** The task of a project's service, if there is one. */
  ofService(project: string, service: string): StoredTask | undefined {
    const row = this.#raw(`SELECT ${STORED_COLUMNS} FROM ${FROM} WHERE t.project = ? AND t.service = ?`).get(project, service) as
      | StoredRow
      | undefined;
    return row && storedFromRow(row);
  }

  /** The service tasks of a project. */
  ofProject(project: string): StoredTask[] {
    return (this.#raw(`SELECT ${STORED_COLUMNS} FROM ${FROM} WHERE t.project = ? AND t.service IS NOT NULL ${ORDER}`).all(project) as StoredRow[]).map(
      storedFromRow,
    );
  }

  /** True if a task with this id exists. */
  has(id: string): boolean {
    return this.#prepare(`SELECT 1 FROM tasks WHERE id = ?`).pluck().get(id) !== undefined;
  }

  /** The task that runs exactly this argv in this directory: a running one, else the newest. */
  sameCommand(command: readonly string[], cwd: string): StoredTask | undefined {
    const row = this.#raw(
      `SELECT ${STORED_COLUMNS} FROM ${FROM} WHERE t.command = ? AND t.cwd = ?
       ORDER BY r.status = 'running' DESC, r.started_at DESC, t.rowid DESC LIMIT 1`,
    ).get(JSON.stringify(command), cwd) as StoredRow | undefined;
    return row && storedFromRow(row);
  }

  get(id: string): StoredTask | undefined {
    const row = this.#raw(`SELECT ${STORED_COLUMNS} FROM ${FROM} WHERE t.id = ?`).get(id) as StoredRow | undefined;
    return row && storedFromRow(row);
  }

  /** The newest task with this name. */
  newestNamed(name: string): StoredTask | undefined {
    const row = this.#raw(`SELECT ${STORED_COLUMNS} FROM ${FROM} WHERE t.name = ? ${ORDER} LIMIT 1`).get(name) as
      | StoredRow
      | undefined;
    return row && storedFromRow(row);
  }

  /** Tasks whose id starts with `prefix` (at most `limit`). */
  withIdPrefix(prefix: string, limit: number): StoredTask[] {
    // Ids are lower-case hex and dashes, so a range scan on the primary key is exact.
    const rows = this.#raw(`SELECT ${STORED_COLUMNS} FROM ${FROM} WHERE t.id >= ? AND t.id < ? ${ORDER} LIMIT ?`).all(
      prefix,
      `${prefix}\u{10ffff}`,
      limit,
    ) as StoredRow[];
    return rows.map(storedFromRow);
  }

  /** Tasks whose current run is running. */
  running(): StoredTask[] {
    return this.active().filter((task) => task.status === 'running');
  }

  /**
   * Tasks whose current run is running, or has ended while its supervisor waits to start the
   * next: what reconciling looks at (through two small partial indexes).
   */
  active(): StoredTask[] {
    return (this.#raw(selectActive(STORED_COLUMNS)).all() as StoredRow[]).map(storedFromRow);
  }

  list(query: TaskQuery = {}): Task[] {
    const { sql, params } = listQuery(query);
    return (this.#raw(sql).all(params) as TaskRow[]).map(taskFromRow);
  }

  /** The change sequence's number now: every task insert, update or removal adds one (migration 11). */
  changeSeq(): number {
    return this.#prepare('SELECT value FROM change_seq').pluck().get() as number;
  }

  /**
   * What changed after change number `seq`: the tasks inserted or updated since (as `list`
   * shows them, in its order), and the ids of those removed; null when `seq` is not one this
   * database can answer from (further back than the removals it keeps, or ahead of it).
   */
  changesSince(seq: number): { tasks: Task[]; removed: string[] } | null {
    const now = this.changeSeq();
    if (!Number.isInteger(seq) || seq < 0 || seq > now || seq < now - KEPT_REMOVALS) return null;
    const tasks = (this.#raw(`SELECT ${TASK_COLUMNS} FROM ${FROM} WHERE t.seq > ? ${ORDER}`).all(seq) as TaskRow[]).map(taskFromRow);
    const removed = this.#prepare('SELECT id FROM removed_tasks WHERE seq > ? ORDER BY seq').pluck().all(seq) as string[];
    return { tasks, removed };
  }

  /**
   * The same tasks as `list`, as the JSON text of an array of `TaskJSON`. SQLite builds the
   * text, so a long list costs one string instead of a dozen JS values per task.
   * `leftovers`: the leftover process counts of the (few) tasks that have any; `usage`: the CPU
   * and memory of the running ones (see tasks/stats.ts).
   */
  listJSON(query: TaskQuery = {}, leftovers: ReadonlyMap<string, number> = new Map(), usage: ReadonlyMap<string, TaskUsage> = new Map()): string {
    const { where, params } = filter(query);
    // Joined only when some task has leftovers or runs: the usual list stays one plain scan.
    const joined = leftovers.size > 0;
    const measured = usage.size > 0;
    let joins = '';
    if (measured) {
      joins += ` LEFT JOIN json_each(@usage) u ON u.key = t.id`;
      params.usage = JSON.stringify(Object.fromEntries([...usage].map(([id, each]) => [id, [each.cpuPercent, each.memoryBytes]])));
    }
    if (joined) {
      joins += ` LEFT JOIN json_each(@leftovers) l ON l.key = t.id`;
      params.leftovers = JSON.stringify(Object.fromEntries(leftovers));
    }
    const object = taskJSONObject(joined ? 'COALESCE(l.value, 0)' : '0', measured);
    // The tasks are picked and put in order by their keys alone, then each object is built in
    // that order: sorting the objects themselves (json_group_array's ORDER BY) costs a third of
    // a long list. CROSS JOIN keeps the ordered keys the outer loop, so the array is in their order.
    const sql = `SELECT json_group_array(${object})
      FROM (SELECT t.rowid AS task_rowid FROM ${FROM} ${where} ${ORDER} ${limit(query)}) o
      CROSS JOIN tasks t ON t.rowid = o.task_rowid CROSS JOIN runs r ON r.task_id = t.id AND r.run = t.run${joins}`;
    return this.#prepare(sql).pluck().get(params) as string;
  }

  /**
   * Ended tasks that finished (or, lacking an end time, started) before `before` ms (null: any
   * time), of any status or of those in `statuses`.
   */
  endedBefore(before: number | null, statuses?: readonly TaskStatus[]): StoredTask[] {
    const { conditions, params } = filter({ status: statuses });
    const rows = this.#raw(
      `SELECT ${STORED_COLUMNS} FROM ${FROM} WHERE ${conditions} NOT ${ACTIVE}
         AND (@before IS NULL OR COALESCE(r.finished_at, r.started_at) < @before)
       ${ORDER}`,
    ).all({ ...params, before: before === null ? null : iso(before) }) as StoredRow[];
    return rows.map(storedFromRow);
  }

  /**
   * How many ended tasks match `query`'s filters (not its limits). Without a status filter, from
   * two counts that need no scan of the runs: every matching task, less the active ones.
   */
  countEnded(query: TaskQuery = {}): number {
    const { where, params, conditions } = filter({ ...query, limit: undefined, ended: undefined });
    const sql =
      query.status === undefined
        ? `SELECT (SELECT count(*) FROM tasks t ${where}) - (SELECT count(*) FROM (${selectActive('1', conditions)}))`
        : `SELECT count(*) FROM ${FROM} WHERE ${conditions} NOT ${ACTIVE}`;
    return this.#prepare(sql).pluck().get(params) as number;
  }

  /**
   * Deletes tasks whose current run `observedRuns` says has ended, and returns the ids deleted:
   * a task started again since it was looked at (its run moved on, or it runs) is kept.
   */
  deleteEnded(tasks: ReadonlyArray<Pick<StoredTask, 'id' | 'run'>>): string[] {
    const remove = this.#prepare(
      `DELETE FROM tasks WHERE id = @id AND run = @run
         AND NOT EXISTS (SELECT 1 FROM runs WHERE task_id = @id AND (status = 'running' OR restart_at IS NOT NULL))`,
    );
    const removeEnv = this.#prepare(`DELETE FROM task_env WHERE task_id = ?`);
    const removeRuns = this.#prepare(`DELETE FROM runs WHERE task_id = ?`);
    return this.transaction(() =>
      tasks
        .filter((task) => {
          if (remove.run({ id: task.id, run: task.run }).changes === 0) return false;
          removeEnv.run(task.id);
          removeRuns.run(task.id);
          return true;
        })
        .map((task) => task.id),
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

/** SQLite's answer to a write that a UNIQUE (or primary key) constraint refused. */
export function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

/** The SQL that `list` runs for `query`, with its parameters. */
export function listQuery(query: TaskQuery): { sql: string; params: Record<string, unknown> } {
  const { where, params } = filter(query);
  return { sql: `SELECT ${TASK_COLUMNS} FROM ${FROM} ${where} ${ORDER} ${limit(query)}`, params };
}

/**
 * The SQL of `query`'s filters: `where` a WHERE clause (or nothing), `conditions` the same
 * conditions to put before other ones (ending in AND, or empty).
 */
function filter(query: TaskQuery): { where: string; conditions: string; params: Record<string, unknown> } {
  const conditions: string[] = [];
  const params: Record<string, unknown> = {};
  if (query.name !== undefined) {
    conditions.push('t.name = @name');
    params.name = query.name;
  }
  if (query.project !== undefined) {
    conditions.push('t.project = @project');
    params.project = query.project;
  }
  if (query.cwd !== undefined) {
    conditions.push('t.cwd = @cwd');
    params.cwd = query.cwd;
  }
  if (query.status !== undefined) conditions.push(statusCondition(filterStatuses(query.status)!, params));
  if (query.ended !== undefined) {
    // The active tasks through their partial indexes, the newest ended ones through the runs'
    // start-time index (read newest first, so the scan stops after `ended` rows).
    const rest = leading(conditions);
    conditions.push(`t.rowid IN (${selectActive('t.rowid', rest)}
      UNION ALL SELECT * FROM (SELECT t.rowid FROM ${FROM} WHERE ${rest} NOT ${ACTIVE} ${ORDER} LIMIT @ended))`);
    params.ended = Math.max(0, Math.floor(query.ended));
  }
  return { where: conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '', conditions: leading(conditions), params };
}

const leading = (conditions: readonly string[]) => conditions.map((condition) => `${condition} AND`).join(' ');

/** Tasks with any of `statuses`: `restarting` is a run that ended and waits, not a run status. */
function statusCondition(statuses: readonly TaskStatus[], params: Record<string, unknown>): string {
  const ended = statuses.filter((status) => status !== 'restarting');
  const parts = statuses.includes('restarting') ? ['r.restart_at IS NOT NULL'] : [];
  if (ended.length > 0) {
    ended.forEach((status, index) => (params[`status${index}`] = status));
    parts.push(`(r.status IN (${ended.map((_, index) => `@status${index}`).join(', ')}) AND r.restart_at IS NULL)`);
  }
  return parts.length === 0 ? '0' : `(${parts.join(' OR ')})`;
}

function limit(query: TaskQuery): string {
  return query.limit ? `LIMIT ${Math.floor(query.limit)}` : '';
}

function taskFromRow(row: TaskRow | StoredRow): Task {
  const finishedAt = row[10];
  return {
    id: row[0],
    name: row[1],
    description: row[12],
    run: row[13],
    pid: row[2],
    pgid: row[3],
    command: JSON.parse(row[4]) as string[],
    cwd: row[5],
    status: row[6],
    exitCode: row[7],
    signal: row[8],
    reason: row[14],
    restartPolicy: row[17],
    restarts: row[15],
    restartAt: row[16] === null ? null : new Date(row[16]),
    health: row[18],
    healthAt: row[19] === null ? null : new Date(row[19]),
    project: row[20],
    service: row[21],
    // Counted by core when read (tasks/leftovers.ts): the store knows only whether to look.
    leftoverProcesses: 0,
    // Measured by core when read (tasks/stats.ts), for running tasks.
    cpuPercent: null,
    memoryBytes: null,
    startedAt: new Date(row[9]),
    finishedAt: finishedAt === null ? null : new Date(finishedAt),
    logPath: row[11],
  };
}

function storedFromRow(row: StoredRow): StoredTask {
  const task = taskFromRow(row) as StoredTask;
  task.pidStart = row[22];
  task.supervisorStart = row[23];
  task.launchId = row[24];
  task.stopSignal = row[25];
  task.tracking = row[26];
  task.attempt = row[27];
  task.policy = decodePolicy(row[28]);
  task.logOffset = row[29];
  task.serviceDigest = row[30];
  task.rotated = row[31];
  return task;
}
