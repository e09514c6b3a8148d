// The JSON shapes of results in every machine-readable output (`--json`, MCP tool results),
// next to the task's and the run's (taskToJSON, runToJSON in tasks/types.ts): snake_case keys,
// ISO 8601 UTC times. Front ends serialise through these and never build their own.
import type { ListeningPort } from '../process/ports.js';
import type { TaskStats, UsageSource } from '../tasks/stats.js';
import type { DownResult } from '../stack/down.js';
import type { ServiceAction } from '../stack/plan.js';
import type { UpResult } from '../stack/up.js';
import type { StopResult } from '../tasks/terminate.js';
import { type Task, type TaskJSON, taskToJSON } from '../tasks/types.js';

/** What a stop did: the task as it ended, and how it came to. */
export interface StopResultJSON {
  task: TaskJSON;
  /** False: it had already ended; only what it left running (if anything) was signalled. */
  was_running: boolean;
  /** How many processes that had outlived the task's command (daemonized) the stop ended. */
  leftovers: number;
  /** SIGKILL was needed (or asked for). */
  killed: boolean;
  /** False: a full or read-only disk kept the outcome from being stored; the next command stores it. */
  recorded: boolean;
}

export function stopResultToJSON(result: StopResult): StopResultJSON {
  return {
    task: taskToJSON(result.task),
    was_running: result.wasRunning,
    leftovers: result.leftovers,
    killed: result.killed,
    recorded: result.recorded,
  };
}

/** A socket a task listens on, with the task it belongs to. */
export interface TaskPortJSON {
  /** The task's id. */
  task: string;
  name: string | null;
  protocol: ListeningPort['protocol'];
  address: string;
  port: number;
  /** The process holding the socket. */
  pid: number;
}

export function taskPortToJSON(task: Pick<Task, 'id' | 'name'>, port: ListeningPort): TaskPortJSON {
  return { task: task.id, name: task.name, protocol: port.protocol, address: port.address, port: port.port, pid: port.pid };
}

/** How a wait ended: the tasks as they are then, and whether the timeout passed first. */
export interface WaitResultJSON {
  timed_out: boolean;
  tasks: TaskJSON[];
}

export function waitResultToJSON(result: { tasks: readonly Task[]; timedOut: boolean }): WaitResultJSON {
  return { timed_out: result.timedOut, tasks: result.tasks.map(taskToJSON) };
}

/** What an `up` did (`ghost up --json`, the MCP up tool): each selected service with its task, and the orphans removed. */
export interface UpResultJSON {
  project: string;
  /** False: nothing was started, restarted or removed. */
  changed: boolean;
  services: { service: string; action: ServiceAction; task: TaskJSON }[];
  removed: TaskJSON[];
}

export function upResultToJSON(result: UpResult): UpResultJSON {
  return {
    project: result.project,
    changed: result.changed,
    services: result.services.map(({ service, action, task }) => ({ service, action, task: taskToJSON(task) })),
    removed: result.removed.map(taskToJSON),
  };
}

/** What a `down` did (the MCP down tool): each service task stopped, in the order they ended, and those removed. */
export interface DownResultJSON {
  project: string;
  stopped: StopResultJSON[];
  removed: TaskJSON[];
}

export function downResultToJSON(result: DownResult): DownResultJSON {
  return { project: result.project, stopped: result.stopped.map(stopResultToJSON), removed: result.removed.map(taskToJSON) };
}

/** What a running task's whole process tree uses (`ghost stats --json`, the MCP stats tool). */
export interface TaskStatsJSON {
  /** The task's id. */
  task: string;
  name: string | null;
  run: number;
  pid: number | null;
  /** In % of one core, over the time from `cpu_since` to `sampled_at`. */
  cpu_percent: number;
  cpu_seconds: number;
  cpu_since: string;
  memory_bytes: number;
  rss_bytes: number;
  /** Null where not measured (the TUI's refreshes) or not available (macOS). */
  pss_bytes: number | null;
  processes: number;
  threads: number | null;
  /** "cgroup": the run's cgroup counters; "processes": the sum over its live processes. */
  cpu_source: UsageSource;
  memory_source: UsageSource;
  sampled_at: string;
}

export function taskStatsToJSON(stats: TaskStats): TaskStatsJSON {
  return {
    task: stats.id,
    name: stats.name,
    run: stats.run,
    pid: stats.pid,
    cpu_percent: stats.cpuPercent,
    cpu_seconds: stats.cpuSeconds,
    cpu_since: stats.cpuSince.toISOString(),
    memory_bytes: stats.memoryBytes,
    rss_bytes: stats.rssBytes,
    pss_bytes: stats.pssBytes,
    processes: stats.processes,
    threads: stats.threads,
    cpu_source: stats.cpuSource,
    memory_source: stats.memorySource,
    sampled_at: stats.sampledAt.toISOString(),
  };
}
