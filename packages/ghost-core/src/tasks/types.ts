import type { RestartPolicy } from './policy.js';

/**
 * A running task's health, when it has a health check (else null): `starting` until its probe
 * first passes (or its ready-log pattern first matches), then `healthy`, or `unhealthy` after
 * the failures in a row its check allows. Separate from the status: only running tasks have one.
 */
export type TaskHealth = 'starting' | 'healthy' | 'unhealthy';

/**
 * What a run's status means:
 * - `running`: its process is alive (verified by pid and process start time);
 * - `exited`: it ended by itself, `exitCode` says how;
 * - `killed`: a signal ended it, `signal` names it (e.g. "SIGTERM");
 * - `unknown`: it ended and nothing recorded how (its supervisor was killed, or the machine rebooted).
 */
export type RunStatus = 'running' | 'exited' | 'killed' | 'unknown';

/**
 * A task's status is its current run's, or `restarting`: that run has ended (its exit code or
 * signal says how) and the task's supervisor will start the next at `restartAt`.
 */
export type TaskStatus = RunStatus | 'restarting';

export const TASK_STATUSES: readonly TaskStatus[] = ['running', 'restarting', 'exited', 'killed', 'unknown'];

/** A task that has not ended: running, or waiting for its supervisor to start it again (stop ends both). */
export function isActiveStatus(status: TaskStatus): boolean {
  return status === 'running' || status === 'restarting';
}

/**
 * A task whose last run ended in failure: it exited non-zero, ended `unknown`, or ended for a
 * reason ghost recorded (out of memory, unhealthy, its restart limit reached, …). A task that
 * ended after a stop (reason `stopped`, whatever its exit) or by a signal alone has not failed,
 * nor has one that runs or waits to restart.
 */
export function endedInFailure(task: Pick<Task, 'status' | 'exitCode' | 'reason'>): boolean {
  if (isActiveStatus(task.status)) return false;
  if (task.reason === 'stopped') return false;
  return task.status === 'unknown' || (task.status === 'exited' && task.exitCode !== 0) || task.reason !== null;
}
/** The statuses of a task that has ended (what cleanup removes). */
export const ENDED_STATUSES: readonly TaskStatus[] = TASK_STATUSES.filter((status) => !isActiveStatus(status));

/** A task as ghost knows it. Environment values are deliberately absent: see `Ghost.taskEnv`. */
export interface Task {
  /** A UUID. Any unique prefix of it also identifies the task. */
  id: string;
  name: string | null;
  /** The stack it belongs to, for a service of a project file (see `up`); null for a plain task. */
  project: string | null;
  /** Its service in that project (one task per project and service); null for a plain task. */
  service: string | null;
  /** What the task is for, in the words of whoever started it. */
  description: string | null;
  /** The current run's number: 1 for the first start, then 2, 3, ... (see `Run`). */
  run: number;
  /** The command's process id (null only if it could not be observed). */
  pid: number | null;
  /** The process group the task runs in; signals go to the whole group. */
  pgid: number | null;
  /** The argv that runs. With `shell`, this is `["/bin/sh", "-c", script]`. */
  command: string[];
  cwd: string;
  status: TaskStatus;
  exitCode: number | null;
  signal: string | null;
  /** Why the run ended as it did, when that says more than the status (e.g. "launch aborted"). */
  reason: string | null;
  /** What its supervisor does when the command ends (see `RunOptions.restart`). */
  restartPolicy: RestartPolicy;
  /** How many times its supervisors started it again (runs after a launch's first). */
  restarts: number;
  /** While `restarting`: when the next run is due. */
  restartAt: Date | null;
  /** While running, with a health check (see `RunOptions.health`); else null. */
  health: TaskHealth | null;
  /** When the health last changed (null while `starting`). */
  healthAt: Date | null;
  /**
   * Processes of the task still alive although its command has ended (it daemonized
   * something); 0 while the task runs. `stop` ends them. Counted by the tracking the run had
   * (see README, "The whole process tree"); 0 for runs started before ghost tracked trees.
   */
  leftoverProcesses: number;
  /**
   * CPU use of a running task's whole process tree, in % of one core (200 = two cores busy),
   * averaged since its run started; null once it has ended, and in results that were not
   * measured (those of run, stop, wait). Computed when read: see `Ghost.stats`.
   */
  cpuPercent: number | null;
  /** Memory of a running task's whole process tree in bytes (see `TaskStats.memoryBytes`); null likewise. */
  memoryBytes: number | null;
  startedAt: Date;
  finishedAt: Date | null;
  logPath: string;
}

/** The JSON shape of a task in every machine-readable output (snake_case, ISO 8601 UTC times). */
export interface TaskJSON {
  id: string;
  name: string | null;
  project: string | null;
  service: string | null;
  description: string | null;
  run: number;
  pid: number | null;
  pgid: number | null;
  status: TaskStatus;
  exit_code: number | null;
  signal: string | null;
  reason: string | null;
  restart_policy: RestartPolicy;
  restarts: number;
  restart_at: string | null;
  health: TaskHealth | null;
  health_at: string | null;
  leftover_processes: number;
  cpu_percent: number | null;
  memory_bytes: number | null;
  command: string[];
  cwd: string;
  started_at: string;
  finished_at: string | null;
  log_path: string;
}

export function taskToJSON(task: Task): TaskJSON {
  return {
    id: task.id,
    name: task.name,
    project: task.project,
    service: task.service,
    description: task.description,
    run: task.run,
    pid: task.pid,
    pgid: task.pgid,
    status: task.status,
    exit_code: task.exitCode,
    signal: task.signal,
    reason: task.reason,
    restart_policy: task.restartPolicy,
    restarts: task.restarts,
    restart_at: task.restartAt ? task.restartAt.toISOString() : null,
    health: task.health,
    health_at: task.healthAt ? task.healthAt.toISOString() : null,
    leftover_processes: task.leftoverProcesses,
    cpu_percent: task.cpuPercent,
    memory_bytes: task.memoryBytes,
    command: task.command,
    cwd: task.cwd,
    started_at: task.startedAt.toISOString(),
    finished_at: task.finishedAt ? task.finishedAt.toISOString() : null,
    log_path: task.logPath,
  };
}

export function isTaskStatus(value: string): value is TaskStatus {
  return (TASK_STATUSES as readonly string[]).includes(value);
}

/** A filter on status: one status, or several (any of them). */
export type StatusFilter = TaskStatus | readonly TaskStatus[];

/** The statuses a filter lets through, as a list (undefined: no filter). */
export function filterStatuses(filter: StatusFilter | undefined): readonly TaskStatus[] | undefined {
  return typeof filter === 'string' ? [filter] : filter;
}

/** How long the task ran, or has been running, in ms. */
export function taskDurationMs(task: Pick<Task, 'startedAt' | 'finishedAt'>, now: number = Date.now()): number {
  return Math.max(0, (task.finishedAt?.getTime() ?? now) - task.startedAt.getTime());
}

/**
 * One execution of a task. A task started again (restart, start, run --reuse) keeps its id and
 * adds a run; every state change names the run it observed, so ending run 3 never touches run 4.
 */
export interface Run {
  /** 1 for the first start, then 2, 3, ... */
  run: number;
  pid: number | null;
  pgid: number | null;
  status: RunStatus;
  exitCode: number | null;
  signal: string | null;
  reason: string | null;
  startedAt: Date;
  finishedAt: Date | null;
  /** Where this run's output starts in the task's log (null for runs recorded before ghost kept offsets). */
  logOffset: number | null;
}

/** The JSON shape of a run in every machine-readable output. */
export interface RunJSON {
  run: number;
  pid: number | null;
  pgid: number | null;
  status: RunStatus;
  exit_code: number | null;
  signal: string | null;
  reason: string | null;
  started_at: string;
  finished_at: string | null;
  log_offset: number | null;
}

export function runToJSON(run: Run): RunJSON {
  return {
    run: run.run,
    pid: run.pid,
    pgid: run.pgid,
    status: run.status,
    exit_code: run.exitCode,
    signal: run.signal,
    reason: run.reason,
    started_at: run.startedAt.toISOString(),
    finished_at: run.finishedAt ? run.finishedAt.toISOString() : null,
    log_offset: run.logOffset,
  };
}
