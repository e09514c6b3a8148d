import type { StoredTask, TaskQuery, TaskUsage } from '../db/task-store.js';
import { cgroupCounters } from '../process/usage/cgroup-counters.js';
import { processesUsage } from '../process/usage/process-usage.js';
import { decodeTracking, runsPids } from '../process/tracking/tracking.js';
import type { TaskContext } from './context.js';
import { type Task, filterStatuses } from './types.js';

// CPU and memory, computed when read: nothing samples in between. A read costs one
// /proc/<pid>/stat per process of each running task (plus a cgroup's counters, or, for runs
// without a cgroup, one pass over the process table for all of them), and nothing when no task
// runs. CPU % needs two readings: a one-shot read averages since the run started; a viewer that
// reads again passes its previous stats and gets the % since then.

/** Where a figure comes from. */
export type UsageSource =
  /** The run's cgroup counters: every process that ever ran in it, exited ones included. */
  | 'cgroup'
  /** The sum over the run's live processes. */
  | 'processes';

/** What a running task's whole process tree uses, at one instant. */
export interface TaskStats {
  id: string;
  name: string | null;
  run: number;
  pid: number | null;
  /** Live processes of the run: the command and everything it started (not ghost's supervisor). */
  processes: number;
  /** Their threads together (null where the OS does not say cheaply: macOS). */
  threads: number | null;
  /** CPU time the run has used so far, user and system, in seconds. */
  cpuSeconds: number;
  /** CPU use in % of one core (200 = two cores busy), over the time from `cpuSince` to `sampledAt`. */
  cpuPercent: number;
  /** The run's start, or the previous sample's time when one was given (see `StatsOptions.previous`). */
  cpuSince: Date;
  sampledAt: Date;
  cpuSource: UsageSource;
  /**
   * Memory in use: the cgroup's charge less its inactive file cache where the run's cgroup has
   * the memory controller, else the sum of its processes' resident sets (`rssBytes`).
   */
  memoryBytes: number;
  memorySource: UsageSource;
  /** Sum of the processes' resident sets: pages they share (libraries, forks) count once per process. */
  rssBytes: number;
  /** Sum of their proportional set sizes (every page counted once); null unless asked for, or not on this OS. */
  pssBytes: number | null;
}

export interface StatsOptions {
  /** Also measure PSS (Linux; about ten times the cost of the rest). Default false. */
  pss?: boolean | undefined;
  /**
   * Stats returned by an earlier call: a task's CPU % is then over the time since its sample
   * of the same run (what a live view wants), not since the run started.
   */
  previous?: readonly TaskStats[] | undefined;
}

/** Stats of the running ones of `tasks` (as stored: their tracking says where their processes are), in order. */
export function measureTasks(ctx: TaskContext, tasks: readonly StoredTask[], options: StatsOptions = {}): TaskStats[] {
  const running = tasks.filter((task) => task.status === 'running');
  if (running.length === 0) return [];
  const trackings = running.map((task) => decodeTracking(task.tracking));
  const members = runsPids(running.map((task, index) => ({ pid: task.pid, pgid: task.pgid, tracking: trackings[index]! })));
  const previous = new Map(options.previous?.map((stats) => [stats.id, stats]));
  return running.map((task, index) => {
    const tracking = trackings[index]!;
    // The supervisor leads the run's group: it is ghost's, and idles in wait.
    const usage = processesUsage(members[index]!.filter((pid) => pid !== task.pgid), { pss: options.pss });
    const counters = tracking?.mechanism === 'cgroup2' ? cgroupCounters(tracking.path) : { cpuSeconds: null, memoryBytes: null };
    const sum = (pick: (each: (typeof usage)[number]) => number | null) => usage.reduce((total, each) => total + (pick(each) ?? 0), 0);
    const rssBytes = sum((each) => each.rssBytes);
    const cpuSource: UsageSource = counters.cpuSeconds === null ? 'processes' : 'cgroup';
    const cpuSeconds = counters.cpuSeconds ?? sum((each) => each.cpuSeconds);
    const sampledAt = ctx.now();
    const before = previous.get(task.id);
    const since = before && before.run === task.run && before.cpuSource === cpuSource && before.sampledAt.getTime() < sampledAt ? before : undefined;
    const fromMs = since ? since.sampledAt.getTime() : task.startedAt.getTime();
    const used = cpuSeconds - (since ? since.cpuSeconds : 0);
    const elapsed = (sampledAt - fromMs) / 1000;
    return {
      id: task.id,
      name: task.name,
      run: task.run,
      pid: task.pid,
      processes: usage.length,
      threads: usage.some((each) => each.threads === null) ? null : sum((each) => each.threads),
      cpuSeconds,
      // One decimal: CPU time is counted in 10 ms ticks, finer digits would be noise.
      cpuPercent: elapsed > 0 ? Math.round(Math.max(0, (used / elapsed) * 1000)) / 10 : 0,
      cpuSince: new Date(fromMs),
      sampledAt: new Date(sampledAt),
      cpuSource,
      memoryBytes: counters.memoryBytes ?? rssBytes,
      memorySource: counters.memoryBytes === null ? 'processes' : 'cgroup',
      rssBytes,
      pssBytes: options.pss && usage.length > 0 && usage.every((each) => each.pssBytes !== null) ? sum((each) => each.pssBytes) : null,
    };
  });
}

/**
 * `tasks` with the CPU (averaged since each run started) and memory of the running ones.
 * `stored`: those tasks as stored, when the caller has them; else the running ones are read
 * (one indexed query, and only when one of `tasks` runs).
 */
export function withUsage<T extends Task>(ctx: TaskContext, tasks: T[], stored?: readonly StoredTask[]): T[] {
  const shown = new Map(tasks.flatMap((task) => (task.status === 'running' ? [[task.id, task.run] as const] : [])));
  if (shown.size === 0) return tasks;
  const usage = runningUsage(ctx, (task) => shown.get(task.id) === task.run, stored);
  if (usage.size === 0) return tasks;
  return tasks.map((task) => {
    const found = task.status === 'running' ? usage.get(task.id) : undefined;
    return found ? { ...task, ...found } : task;
  });
}

/** CPU and memory of the running tasks that `wanted` picks, by id. */
export function runningUsage(ctx: TaskContext, wanted: (task: StoredTask) => boolean, stored?: readonly StoredTask[]): Map<string, TaskUsage> {
  const usage = new Map<string, TaskUsage>();
  for (const stats of measureTasks(ctx, (stored ?? ctx.store.running()).filter(wanted))) {
    usage.set(stats.id, { cpuPercent: stats.cpuPercent, memoryBytes: stats.memoryBytes });
  }
  return usage;
}

/** CPU and memory of the running tasks that a list query shows, by id. */
export function listedUsage(ctx: TaskContext, query: TaskQuery): Map<string, TaskUsage> {
  if (query.status !== undefined && !filterStatuses(query.status)!.includes('running')) return new Map();
  return runningUsage(ctx, (task) => (query.name === undefined || task.name === query.name) && (query.cwd === undefined || task.cwd === query.cwd));
}
