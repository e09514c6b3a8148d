import type { Database } from './db/sqlite.js';
import { openDatabase } from './db/open.js';
import { type StoredTask, TaskStore } from './db/task-store.js';
import { accessSync, constants, statSync } from 'node:fs';
import { GhostError, describeSystemError, mention } from './errors.js';
import { shortId, statusWords, taskLabel } from './format/task-text.js';
import { followFile } from './logs/follow.js';
import { type ChangesOptions, changes } from './events/changes.js';
import { type LogPage, type LogPageOptions, type LogRange, readLogPage, readLogRange, readLogTail } from './logs/read.js';
import { type RunLogRange, runLogRange } from './logs/run-range.js';
import { type LogPatternOptions, type LogSearch, type LogSearchOptions, logPattern, searchLog } from './logs/search.js';
import { enforceLogCaps } from './logs/cap.js';
import { waitWhileRotating } from './logs/rotate.js';
import { type DataPaths, ensureDataDir, resolveDataDir } from './paths/data-dir.js';
import { type TaskEvent, TaskEventDiff } from './events/task-events.js';
import { type ChangeWatcher, type WatchOptions, watchChanges } from './events/watch.js';
import { LogReader } from './logs/log-reader.js';
import { type ListeningPort, listeningPorts } from './process/ports.js';
import { decodeTracking, runProcesses } from './process/tracking/tracking.js';
import { type CleanupOptions, cleanupTasks, removeTasks } from './tasks/cleanup.js';
import { GHOST_CONTEXTS, type TaskContext } from './tasks/context.js';
import { leftoverCounts, withLeftovers } from './tasks/leftovers.js';
import { type StatsOptions, type TaskStats, listedUsage, measureTasks, withUsage } from './tasks/stats.js';
import { type ObservedEnd, endFields, isActive, reconcileRunning, reconcileTask } from './tasks/reconcile.js';
import { type TaskTarget, resolveTarget, resolveTasks } from './tasks/resolve.js';
import { healthOptions } from './tasks/policy.js';
import { type RunOptions, removedMeanwhile, runTask, startAgain, startRun } from './tasks/run.js';
import { type StopOptions, type StopResult, publicTask, signalTask, stopTask, stopTasks } from './tasks/terminate.js';
import { type Run, type StatusFilter, type Task, TASK_STATUSES, filterStatuses, isActiveStatus, isTaskStatus, taskToJSON } from './tasks/types.js';
import type { TaskChanges } from './tasks/task-changes.js';

function readingLog<T>(task: Task, read: () => T): T {
  try {
    return read();
  } catch (error) {
    throw new GhostError('LOG_UNREADABLE', `cannot read the log of task ${shortId(task.id)} (${task.logPath}): ${describeSystemError(error)}`, {
      cause: error,
      details: { ...mention(task), path: task.logPath },
    });
  }
}

/** A log's size now (0 if it cannot be read: reading it reports why). */
function logSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

/** Where a run's output ends in the log now: 0 once rotation has moved all of it out. */
function runEnd(task: StoredTask, runs: readonly Run[], run: number): number | null {
  try {
    return runLogRange(task, runs, run).end;
  } catch {
    return 0;
  }
}

function checkListOptions(options: ListOptions): void {
  const unknown = filterStatuses(options.status)?.find((status) => !isTaskStatus(status));
  if (unknown !== undefined) {
    throw new GhostError('INVALID_ARGUMENT', `unknown status "${unknown}" (${statusWords()})`, {
      details: { argument: 'status', value: unknown, valid: TASK_STATUSES },
    });
  }
}

function isRunning(task: StoredTask, what: string): GhostError {
  return new GhostError('TASK_RUNNING', `task ${taskLabel(task)} ${what}`, { details: { ...mention(task), status: 'running' } });
}

export interface GhostOptions {
  /** The data directory (default: `GHOST_DATA_DIR`, else the platform's user data directory). */
  dataDir?: string | undefined;
  /** Environment used to find the data directory (default: `process.env`). */
  env?: NodeJS.ProcessEnv | undefined;
}

export interface ListOptions {
  /** Only tasks with this status, or with any of these. */
  status?: StatusFilter | undefined;
  name?: string | undefined;
  /** Only the tasks of this project (a stack's services: see `up`). */
  project?: string | undefined;
  /** Only tasks started in this working directory (`ghost list --here`). */
  cwd?: string | undefined;
  limit?: number | undefined;
}

/** How many ended tasks `recent` lists by default (every task that has not ended is listed). */
export const RECENT_ENDED_TASKS = 20;

export interface RecentOptions extends Omit<ListOptions, 'limit'> {
  /** At most this many ended tasks, the newest (default `RECENT_ENDED_TASKS`). */
  ended?: number | undefined;
}

/** What `recent` lists, and how many ended tasks it left out (all older than those listed). */
export interface RecentTasks<T = Task[]> {
  tasks: T;
  omitted: number;
}

export interface WaitOptions {
  /** Give up after this long (then `timedOut` is true). Default: wait as long as it takes. */
  timeoutMs?: number | undefined;
  /** Return when any of the tasks has ended, not all of them. */
  any?: boolean | undefined;
  /**
   * Wait until the tasks are `healthy` (ready) instead, or have ended (a task that dies is
   * not waited for). Every task must have a health check (else INVALID_ARGUMENT).
   */
  healthy?: boolean | undefined;
  signal?: AbortSignal | undefined;
}

export interface WaitResult {
  /** The tasks as they are now, in the order asked for. */
  tasks: Task[];
  /** The timeout passed first. */
  timedOut: boolean;
  /** The signal aborted the wait first. */
  cancelled: boolean;
}

export interface LogOptions {
  /** Only the last N lines (default: the whole log). */
  tail?: number | undefined;
  /**
   * Only this run's output (see `runs`): from where it started in the log to where the next
   * run started, or the end. Throws RUN_NOT_FOUND, or LOG_NOT_KEPT when rotation removed it.
   */
  run?: number | undefined;
  /**
   * Only the output of runs started at or after this time: from the start of the first of them
   * (exact, since each run's start offset is recorded), nothing if none has. Logs have no
   * per-line timestamps, so a run's output is kept or left out whole.
   */
  since?: Date | undefined;
}

export interface FollowLogOptions extends LogOptions {
  signal?: AbortSignal | undefined;
}

/** A socket a task's process tree listens on (see `taskPorts`). */
export interface TaskPort {
  task: Task;
  port: ListeningPort;
}

/** A reference to a task: its full id, a unique id prefix, or its name. */
export type TaskRef = string;

export type { ProjectRef, TaskTarget } from './tasks/resolve.js';

/**
 * ghost's API: every front end (the CLI, the TUI, downstream tools) does everything through
 * an instance of this class. Opening one creates the data directory and database if needed.
 * It holds one SQLite connection; `close()` it when done. Methods that read state reconcile
 * running tasks first, so what they return is current.
 *
 * ```ts
 * const ghost = Ghost.open();
 * const task = await ghost.run({ command: ['npm', 'run', 'dev'], name: 'web' });
 * ghost.status('web').status; // 'running'
 * await ghost.stop('web');
 * ghost.close();
 * ```
 */
export class Ghost {
  readonly paths: DataPaths;
  readonly #db: Database;
  readonly #ctx: TaskContext;

  private constructor(paths: DataPaths, db: Database) {
    this.paths = paths;
    this.#db = db;
    this.#ctx = { paths, db, store: new TaskStore(db), now: () => Date.now() };
    GHOST_CONTEXTS.set(this, this.#ctx);
  }

  /** Opens the data directory (creating it, 0700, and migrating the database as needed). */
  static open(options: GhostOptions = {}): Ghost {
    const root = options.dataDir ?? resolveDataDir(options.env ?? process.env);
    const paths = ensureDataDir(root);
    return new Ghost(paths, openDatabase(paths.database));
  }

  /** Starts a command in the background; resolves once it runs. See `RunOptions`. */
  run(options: RunOptions): Promise<Task> {
    return runTask(this.#ctx, options);
  }

  /** Tasks, newest first. */
  list(options: ListOptions = {}): Task[] {
    checkListOptions(options);
    return withUsage(this.#ctx, withLeftovers(this.#ctx, this.#list(options, reconcileRunning(this.#ctx))));
  }

  /**
   * What changed since `cursor` (from an earlier call; none: everything), for a viewer that
   * holds many tasks and re-reads often: the tasks added or changed since, as `list` shows them
   * (and those with leftover processes, whose counts change without a write), the ids of the
   * tasks removed, and the cursor to pass next. With `full`, `tasks` is every task (the first
   * call, or a cursor this database can no longer answer for): replace what you hold with it.
   * Running tasks are reconciled first, as by `list`.
   */
  listChanges(cursor?: number): TaskChanges {
    const unsaved = reconcileRunning(this.#ctx);
    const store = this.#ctx.store;
    // One read transaction: the cursor and the rows come from the same state.
    const { seq, changed } = this.#db
      .transaction(() => ({ seq: store.changeSeq(), changed: cursor === undefined || unsaved.length > 0 ? null : store.changesSince(cursor) }))
      .deferred();
    if (!changed) return { cursor: seq, full: true, tasks: withUsage(this.#ctx, withLeftovers(this.#ctx, this.#list({}, unsaved))), removed: [] };
    const ids = new Set(changed.tasks.map((task) => task.id));
    const tasks = [...changed.tasks];
    for (const { id } of store.lingering()) {
      const task = ids.has(id) ? undefined : store.get(id);
      if (task) tasks.push(publicTask(task));
      ids.add(id);
    }
    return { cursor: seq, full: false, tasks: withUsage(this.#ctx, withLeftovers(this.#ctx, tasks)), removed: changed.removed };
  }

  /**
   * The same tasks as `list`, as compact JSON text: an array of `TaskJSON`, the shape of
   * `taskToJSON`. Much cheaper than serialising `list()` for long lists.
   */
  listJSON(options: ListOptions = {}): string {
    checkListOptions(options);
    const unsaved = reconcileRunning(this.#ctx);
    if (unsaved.length > 0) return JSON.stringify(withUsage(this.#ctx, withLeftovers(this.#ctx, this.#list(options, unsaved))).map(taskToJSON));
    return this.#ctx.store.listJSON(options, leftoverCounts(this.#ctx), listedUsage(this.#ctx, options));
  }

  /**
   * The tasks a person wants to see first, as `ghost list` shows them: every task that has not
   * ended and the newest ended ones, newest first, with a count of the ended ones left out. It
   * reads only what it returns, however many tasks there are: the ended ones through an index
   * on start time, the count from two counts.
   */
  recent(options: RecentOptions = {}): RecentTasks {
    checkListOptions(options);
    const { tasks, omitted } = this.#recent(options, reconcileRunning(this.#ctx));
    return { tasks: withUsage(this.#ctx, withLeftovers(this.#ctx, tasks)), omitted };
  }

  /** The same as `recent`, with the tasks as compact JSON text (see `listJSON`). */
  recentJSON(options: RecentOptions = {}): RecentTasks<string> {
    checkListOptions(options);
    const unsaved = reconcileRunning(this.#ctx);
    if (unsaved.length > 0) {
      const { tasks, omitted } = this.#recent(options, unsaved);
      return { tasks: JSON.stringify(withUsage(this.#ctx, withLeftovers(this.#ctx, tasks)).map(taskToJSON)), omitted };
    }
    const query = { ...options, ended: options.ended ?? RECENT_ENDED_TASKS };
    return {
      tasks: this.#ctx.store.listJSON(query, leftoverCounts(this.#ctx), listedUsage(this.#ctx, query)),
      omitted: this.#omitted(query),
    };
  }

  #recent(options: RecentOptions, unsaved: readonly ObservedEnd[]): RecentTasks {
    const { ended = RECENT_ENDED_TASKS, ...filters } = options;
    if (unsaved.length === 0) {
      const query = { ...filters, ended };
      return { tasks: this.#ctx.store.list(query), omitted: this.#omitted(query) };
    }
    // Ends the store does not hold yet change which tasks have ended: pick from the whole list.
    const tasks = this.#list(filters, unsaved);
    const endedTasks = tasks.filter((task) => !isActiveStatus(task.status));
    const shown = new Set(endedTasks.slice(0, ended));
    return { tasks: tasks.filter((task) => isActiveStatus(task.status) || shown.has(task)), omitted: endedTasks.length - shown.size };
  }

  #omitted(query: RecentOptions & { ended: number }): number {
    return Math.max(0, this.#ctx.store.countEnded(query) - query.ended);
  }

  /** The stored list, with the ends a full or read-only disk kept from being stored shown. */
  #list(options: ListOptions, unsaved: readonly ObservedEnd[]): Task[] {
    if (unsaved.length === 0) return this.#ctx.store.list(options);
    const ends = new Map(unsaved.map((end) => [end.id, end.end]));
    // Read without the status filter, then filter what is shown.
    const tasks = this.#ctx.store.list({ ...options, status: undefined, limit: undefined }).map((task) => {
      const end = ends.get(task.id);
      return end ? { ...task, ...endFields(end) } : task;
    });
    const statuses = filterStatuses(options.status);
    const shown = statuses ? tasks.filter((task) => statuses.includes(task.status)) : tasks;
    return options.limit ? shown.slice(0, options.limit) : shown;
  }

  /** The task `ref` refers to, as it is now. Throws TASK_NOT_FOUND or TASK_AMBIGUOUS. */
  status(ref: TaskTarget): Task {
    const task = reconcileTask(this.#ctx, resolveTarget(this.#ctx, ref));
    return withUsage(this.#ctx, withLeftovers(this.#ctx, [publicTask(task)]), [task])[0]!;
  }

  /**
   * CPU and memory of running tasks' whole process trees, measured now: of every running task
   * (newest first), or of those `refs` name (in that order; ended ones have none and are left
   * out). One-shot CPU % is the average since each run started; pass the previous result as
   * `options.previous` to get the % since then, as a live view (`ghost stats --watch`) does.
   */
  stats(refs?: readonly TaskTarget[], options: StatsOptions = {}): TaskStats[] {
    if (refs !== undefined) {
      return measureTasks(this.#ctx, resolveTasks(this.#ctx, refs).map((task) => reconcileTask(this.#ctx, task)), options);
    }
    // An end a full disk kept from being stored is still an end.
    const ended = new Set(reconcileRunning(this.#ctx).map((end) => end.id));
    const running = this.#ctx.store.running().filter((task) => !ended.has(task.id));
    running.sort((a, b) => b.startedAt.getTime() - a.startedAt.getTime());
    return measureTasks(this.#ctx, running, options);
  }

  /**
   * The tasks several references name, as they are now: in the order given, each once. Every
   * reference is resolved before this returns, so an operation on them all can fail before it
   * touches any: a reference that does not resolve throws (TASK_NOT_FOUND, TASK_AMBIGUOUS) with
   * every bad one in `details.unresolved`. Pass the tasks returned to other methods: they are
   * taken by id, never resolved again.
   */
  resolve(refs: readonly TaskTarget[]): Task[] {
    return withLeftovers(this.#ctx, resolveTasks(this.#ctx, refs).map((task) => publicTask(reconcileTask(this.#ctx, task))));
  }

  /** Stops a task and its whole process tree (SIGTERM, then SIGKILL after the grace period). */
  stop(ref: TaskTarget, options: StopOptions = {}): Promise<StopResult> {
    return stopTask(this.#ctx, resolveTarget(this.#ctx, ref), options);
  }

  /**
   * Stops several tasks as `stop` stops one, all at once and sharing their waits (stopping 300
   * costs about what stopping one does); each outcome in the order of `refs`.
   */
  stopMany(refs: readonly TaskTarget[], options: StopOptions = {}): Promise<PromiseSettledResult<StopResult>[]> {
    return stopTasks(this.#ctx, refs.map((ref) => resolveTarget(this.#ctx, ref)), options);
  }

  /** Sends one signal (default SIGKILL) to a running task's process group. */
  kill(ref: TaskTarget, signal: string | number = 'SIGKILL'): Promise<Task> {
    return signalTask(this.#ctx, resolveTarget(this.#ctx, ref), signal);
  }

  /**
   * Starts a task's command again as a new task: same argv, working directory, environment
   * (as it was recorded, not this process's) and name.
   */
  async rerun(ref: TaskTarget): Promise<Task> {
    const task = resolveTarget(this.#ctx, ref);
    return runTask(this.#ctx, {
      command: task.command,
      cwd: task.cwd,
      name: task.name ?? undefined,
      baseEnv: this.#ctx.store.env(task.id) ?? {},
      restart: task.policy.restart,
      health: task.policy.health ? healthOptions(task.policy.health) : undefined,
      logs: task.policy.logs,
      limits: task.policy.limits,
    });
  }

  /**
   * Deletes an ended task and its log. A running task, or one whose processes outlived its
   * command (leftovers), is refused (TASK_RUNNING): stop it first.
   */
  remove(ref: TaskTarget): Task {
    return this.removeMany([ref])[0]!;
  }

  /**
   * Deletes ended tasks and their logs, all or none: every reference is resolved and every task
   * checked first, and if one is running or has leftovers (TASK_RUNNING), nothing is deleted.
   */
  removeMany(refs: readonly TaskTarget[]): Task[] {
    const tasks = resolveTasks(this.#ctx, refs).map((task) => reconcileTask(this.#ctx, task));
    const running = tasks.find(isActive);
    if (running) throw isRunning(running, `is ${running.status}; nothing was removed`);
    const leftovers = leftoverCounts(this.#ctx, tasks.length === 1 ? tasks[0]!.id : undefined);
    const lingering = tasks.find((task) => leftovers.has(task.id));
    if (lingering) {
      const left = leftovers.get(lingering.id)!;
      throw new GhostError('TASK_RUNNING', `task ${taskLabel(lingering)} has ended but left ${left} ${left === 1 ? 'process' : 'processes'} running; nothing was removed`, {
        details: { ...mention(lingering), leftoverProcesses: left },
      });
    }
    const removed = new Set(removeTasks(this.#ctx, tasks));
    const kept = tasks.find((task) => !removed.has(task.id));
    if (kept) {
      if (!this.#ctx.store.has(kept.id)) throw removedMeanwhile(kept);
      throw isRunning(kept, 'was started meanwhile by another process; it was not removed');
    }
    return tasks.map(publicTask);
  }

  /**
   * Stops a task if it is running (SIGTERM, then SIGKILL after the grace period) and starts it
   * again: the same id, name, argv, cwd, environment and log; a new run (see `runs`). If another
   * process restarts it at the same time, one new run starts and both calls return it.
   */
  async restart(ref: TaskTarget, options: StopOptions = {}): Promise<Task> {
    const seen = reconcileTask(this.#ctx, resolveTarget(this.#ctx, ref));
    // Also when it has ended: what it left running goes too.
    await stopTask(this.#ctx, seen, options);
    const after = this.#ctx.store.get(seen.id);
    if (!after) throw removedMeanwhile(seen);
    // Only the run this restart saw is replaced; a newer one is another restart's, and stands.
    if (after.run === seen.run) {
      const started = await startRun(this.#ctx, after);
      if (started === 'removed') throw removedMeanwhile(seen);
      if (started !== 'taken') return started;
    }
    const current = this.#ctx.store.get(seen.id);
    if (!current) throw removedMeanwhile(seen);
    return publicTask(reconcileTask(this.#ctx, current));
  }

  /** Starts an ended task again (same id, a new run). A running task is refused (TASK_RUNNING). */
  async start(ref: TaskTarget): Promise<Task> {
    const task = reconcileTask(this.#ctx, resolveTarget(this.#ctx, ref));
    if (isActive(task)) {
      throw isRunning(task, task.status === 'running' ? 'is already running' : 'is waiting to restart');
    }
    return startAgain(this.#ctx, task);
  }

  /** A task's runs, newest first: one per start (run, restart, start). */
  runs(ref: TaskTarget): Run[] {
    const task = reconcileTask(this.#ctx, resolveTarget(this.#ctx, ref));
    return this.#ctx.store.runs(task.id);
  }

  /**
   * Waits until the tasks have ended (or, with `any`, one of them). Wakes on the exit itself:
   * the supervisor's exit record appearing, or another process recording the end.
   */
  async wait(refs: readonly TaskTarget[], options: WaitOptions = {}): Promise<WaitResult> {
    const resolved = resolveTasks(this.#ctx, refs);
    const ids = resolved.map((task) => task.id);
    if (ids.length === 0) throw new GhostError('INVALID_ARGUMENT', 'no task to wait for', { details: { argument: 'tasks', value: [] } });
    const unchecked = options.healthy ? resolved.find((task) => task.policy.health === null) : undefined;
    if (unchecked) {
      throw new GhostError('INVALID_ARGUMENT', `task ${taskLabel(unchecked)} has no health check to wait for`, {
        details: { argument: 'tasks', value: unchecked.id, ...mention(unchecked) },
      });
    }
    // A ready-log check is read from the log, so its growth is a change worth a look.
    const logs = options.healthy ? resolved.filter((task) => task.policy.health?.probe.kind === 'log').map((task) => task.logPath) : [];
    const now = () =>
      ids.map((id) => {
        const stored = this.#ctx.store.get(id);
        if (!stored) throw new GhostError('TASK_NOT_FOUND', `task ${shortId(id)} was removed while waiting`, { details: { id } });
        return publicTask(reconcileTask(this.#ctx, stored));
      });
    const done = (tasks: Task[]) => {
      // A task waiting for its supervisor to start it again has not ended.
      const ended = tasks.filter((task) => !isActive(task) || (options.healthy && task.health === 'healthy')).length;
      return options.any ? ended > 0 : ended === tasks.length;
    };
    // Stops looking when the caller aborts or the timeout passes, whichever is first.
    const stop = new AbortController();
    const abort = () => stop.abort();
    options.signal?.addEventListener('abort', abort, { once: true });
    if (options.signal?.aborted) stop.abort();
    const timer = options.timeoutMs === undefined ? undefined : setTimeout(abort, options.timeoutMs);
    try {
      for await (const _ of this.#changes({ signal: stop.signal, debounceMs: 5, pollMs: 500, also: logs })) {
        const tasks = now();
        if (done(tasks)) return { tasks, timedOut: false, cancelled: false };
      }
      const tasks = now();
      if (done(tasks)) return { tasks, timedOut: false, cancelled: false };
      const cancelled = options.signal?.aborted === true;
      return { tasks, timedOut: !cancelled, cancelled };
    } finally {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', abort);
    }
  }

  /**
   * A live stream of task events (started, exited, killed, unknown, removed) caused by any
   * process, without a daemon: each change notification is answered by diffing the task list.
   * Ends when `signal` aborts (or the consumer stops iterating).
   */
  async *events(options: { signal?: AbortSignal | undefined } = {}): AsyncGenerator<TaskEvent, void, undefined> {
    const diff = new TaskEventDiff();
    // The first look sets the baseline (it yields nothing); each later one yields what changed.
    for await (const _ of this.#changes({ signal: options.signal, debounceMs: 10, pollMs: 500 })) {
      yield* diff.next(this.list());
    }
  }

  /** Listening TCP and UDP ports of a running task's whole process tree (empty once it ended). */
  async ports(ref: TaskTarget): Promise<ListeningPort[]> {
    const task = reconcileTask(this.#ctx, resolveTarget(this.#ctx, ref));
    if (task.status !== 'running' || task.pgid === null) return [];
    const tree = runProcesses({ pid: task.pid, pgid: task.pgid, tracking: decodeTracking(task.tracking) });
    // The command first: its network namespace is the one to read.
    const pids = [...new Set([...(task.pid === null ? [] : [task.pid]), ...tree.map((info) => info.pid)])];
    return listeningPorts(pids.filter((pid) => pid !== task.pgid));
  }

  /**
   * The ports of several tasks' whole process trees: of every running task (oldest first), or
   * of the tasks `refs` name (in that order; ended ones have none).
   */
  async taskPorts(refs?: readonly TaskTarget[]): Promise<TaskPort[]> {
    const tasks = refs === undefined ? this.list({ status: 'running' }).reverse() : this.resolve(refs);
    const found: TaskPort[] = [];
    for (const task of tasks) {
      for (const port of await this.ports(task)) found.push({ task, port });
    }
    return found;
  }

  /**
   * Calls `onChange` soon after tasks may have changed, from this process or any other (a task
   * started, ended, was stopped or removed). For live views; `close()` the watcher when done.
   */
  watch(onChange: () => void, options: WatchOptions = {}): ChangeWatcher {
    return watchChanges(this.paths, this.#db, onChange, options);
  }

  /** Yields at once, then whenever tasks may have changed (see events/changes.ts), until `signal` aborts. */
  #changes(options: WatchOptions & ChangesOptions): AsyncGenerator<void, void, undefined> {
    return changes((onChange) => this.watch(onChange, options), options);
  }

  /**
   * A reader over a task's log for viewers that poll: the first `read()` returns the last
   * `tailLines` lines (default 10,000), each later one what was appended since.
   */
  openLog(ref: TaskTarget, options: { tailLines?: number | undefined } = {}): LogReader {
    const task = resolveTarget(this.#ctx, ref);
    return readingLog(task, () => new LogReader(task.logPath, options.tailLines ?? 10_000));
  }

  /**
   * Removes ended tasks (not those with leftover processes) and their logs. Returns the tasks
   * removed (or, with dryRun, that would be).
   */
  cleanup(options: CleanupOptions = {}): Task[] {
    return cleanupTasks(this.#ctx, options);
  }

  /** The environment a task runs with. Holds secrets: show it only when asked to. */
  taskEnv(ref: TaskTarget): Record<string, string> {
    const task = resolveTarget(this.#ctx, ref);
    return this.#ctx.store.env(task.id) ?? {};
  }

  /** A task's log as raw bytes: the last `tail` lines (at most MAX_PAGE_BYTES), or all of it. */
  readLog(ref: TaskTarget, options: LogOptions = {}): Buffer {
    const task = resolveTarget(this.#ctx, ref);
    const range = this.#logRange(task, options);
    return readingLog(task, () => (options.tail === undefined ? readLogRange(task.logPath, range) : readLogTail(task.logPath, options.tail, range).data));
  }

  /**
   * Where a run's output is in a task's log (see `LogOptions.run`), and how much of its start
   * rotation has moved out of it.
   */
  runLogRange(ref: TaskTarget, run: number): RunLogRange {
    const target = resolveTarget(this.#ctx, ref);
    waitWhileRotating(target.logPath);
    const task = reconcileTask(this.#ctx, target);
    return runLogRange(task, this.#ctx.store.runs(task.id), run);
  }

  /** The part of a task's log that `run` and `since` select, or undefined for all of it. */
  #logRange(task: StoredTask, options: Pick<LogOptions, 'run' | 'since'>): LogRange | undefined {
    if (options.run === undefined && options.since === undefined) return undefined;
    waitWhileRotating(task.logPath);
    const current = reconcileTask(this.#ctx, task);
    const runs = this.#ctx.store.runs(current.id);
    const cutoff = options.since?.getTime();
    if (options.run !== undefined) {
      const range = runLogRange(current, runs, options.run);
      const started = runs.find((entry) => entry.run === options.run)!.startedAt.getTime();
      return cutoff !== undefined && started < cutoff ? { start: range.end ?? logSize(task.logPath), end: range.end } : range;
    }
    // Runs newest first: the oldest one started since the cutoff begins the output.
    const since = runs.filter((entry) => entry.startedAt.getTime() >= cutoff!).at(-1);
    if (!since) return { start: logSize(task.logPath), end: null };
    return { start: Math.max(0, since.logOffset ?? 0), end: null };
  }

  /**
   * One page of a task's log, bounded in bytes (at most MAX_PAGE_BYTES): its last lines, or
   * the lines from a byte `offset` on. The page says which bytes it holds and whether the bound
   * cut it; reading again from its `end` continues.
   */
  readLogPage(ref: TaskTarget, options: LogPageOptions & Pick<LogOptions, 'run' | 'since'> = {}): LogPage {
    const task = resolveTarget(this.#ctx, ref);
    const range = this.#logRange(task, options) ?? options.range;
    return readingLog(task, () => readLogPage(task.logPath, { ...options, range }));
  }

  /**
   * The lines of a task's log that match a pattern (a regular expression, or with `literal`
   * the text itself), with context: bounded like a page (see MAX_SEARCH_BYTES), in log order.
   * Searching again from the result's `end` goes on. An invalid pattern is INVALID_ARGUMENT.
   */
  searchLog(ref: TaskTarget, pattern: string, options: LogSearchOptions & LogPatternOptions & Pick<LogOptions, 'run' | 'since'> = {}): LogSearch {
    const expression = logPattern(pattern, options);
    const task = resolveTarget(this.#ctx, ref);
    const range = this.#logRange(task, options) ?? options.range;
    return readingLog(task, () => searchLog(task.logPath, expression, { ...options, range }));
  }

  /**
   * A task's log as it grows: yields raw chunks (the last `tail` lines first, or everything),
   * and ends by itself once the task has ended and its output is drained.
   */
  async *followLog(ref: TaskTarget, options: FollowLogOptions = {}): AsyncGenerator<Buffer, void, undefined> {
    const task = resolveTarget(this.#ctx, ref);
    const range = this.#logRange(task, options);
    let from = range?.start ?? 0;
    if (options.tail !== undefined) {
      const tail = readingLog(task, () => readLogTail(task.logPath, options.tail!, range));
      from = tail.end;
      if (tail.data.length > 0) yield tail.data;
    }
    // Open the log before the first yield, so an unreadable log fails here with a clear message.
    readingLog(task, () => accessSync(task.logPath, constants.R_OK));
    const latest = () => reconcileTask(this.#ctx, this.#ctx.store.get(task.id) ?? task);
    const run = options.run;
    yield* followFile(task.logPath, {
      from,
      signal: options.signal,
      // The log grows; the task's end shows in journal/ or the database, which #changes watches.
      changes: this.#changes({ signal: options.signal, also: [task.logPath], debounceMs: 5, pollMs: 1000 }),
      // One run's output ends where the next one's starts.
      until: run === undefined ? undefined : () => (latest().run > run ? runEnd(task, this.#ctx.store.runs(task.id), run) : null),
      beforeLook: () => enforceLogCaps(this.#ctx, [latest()].filter(isActive)),
      isActive: () => {
        const current = latest();
        return run === undefined ? isActive(current) : current.run === run && current.status === 'running';
      },
    });
  }

  close(): void {
    if (this.#db.open) this.#db.close();
  }
}
