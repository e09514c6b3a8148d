import type { LingeringRun } from '../db/task-store.js';
import { GhostError, isStorageFailure } from '../errors.js';
import { shortId } from '../format/task-text.js';
import type { ProcessInfo } from '../process/process-table.js';
import { parseSignal } from '../process/signals.js';
import {
  type EndOptions,
  type Tracking,
  decodeTracking,
  endProcesses,
  releaseTracking,
  trackedProcesses,
} from '../process/tracking/tracking.js';
import type { TaskContext } from './context.js';
import type { Task } from './types.js';

// Leftovers: processes of a task that outlive its command (it daemonized something). The run
// ends when its command does; its tracking stays on the run row until nothing of it is left,
// so only those few runs are ever looked at (an index), never every ended task.

interface Left {
  run: LingeringRun;
  tracking: Tracking;
  processes: ProcessInfo[];
}

/**
 * Looks at ended runs that may have processes left. A run with none left is released (its
 * cgroup removed) and its tracking cleared, so it is not looked at again. The run's
 * supervisor does not count: it is ghost's, and exits right after recording the end; nor do
 * the processes it runs itself on the way out (a `sleep` of its backoff, the clock it reads,
 * its watch loop winding down), found as its descendants while it lives: the command's own
 * leftovers are not, as they were reparented away from it when the command ended.
 */
function look(ctx: TaskContext, runs: readonly LingeringRun[]): Left[] {
  // A form this ghost cannot read is a newer ghost's: left for it.
  const known = runs.flatMap((run) => {
    const tracking = decodeTracking(run.tracking);
    return tracking ? [{ run, tracking }] : [];
  });
  if (known.length === 0) return [];
  const found = trackedProcesses(known.map(({ tracking }) => tracking));
  const left: Left[] = [];
  known.forEach(({ run, tracking }, index) => {
    const processes = withoutSupervisor(found[index]!, run);
    if (processes.length > 0) left.push({ run, tracking, processes });
    else if (releaseTracking(tracking)) clear(ctx, run);
  });
  return left;
}

/** `processes` less the run's supervisor and what descends from it. */
export function withoutSupervisor(processes: readonly ProcessInfo[], run: LingeringRun): ProcessInfo[] {
  const supervisor = processes.find((info) => info.pid === run.pgid && info.start === run.supervisorStart);
  if (!supervisor) return [...processes];
  const parent = new Map(processes.map((info) => [info.pid, info.ppid]));
  const descends = (pid: number): boolean => {
    for (let at: number | undefined = pid, hops = 0; at !== undefined && hops < 64; at = parent.get(at), hops++) {
      if (at === supervisor.pid) return true;
    }
    return false;
  };
  return processes.filter((info) => !descends(info.pid));
}

function clear(ctx: TaskContext, run: LingeringRun): void {
  try {
    ctx.store.clearTracking(run.id, run.run, run.tracking);
  } catch (error) {
    // A full or read-only disk: the next command that looks clears it.
    if (!isStorageFailure(error)) throw error;
  }
}

/** Leftover process counts by task id (of one task, or of all), for the tasks that have any. */
export function leftoverCounts(ctx: TaskContext, id?: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const { run, processes } of look(ctx, ctx.store.lingering(id))) {
    counts.set(run.id, (counts.get(run.id) ?? 0) + processes.length);
  }
  return counts;
}

/** `tasks` with their leftover counts: one indexed query when, as usual, none has any. */
export function withLeftovers<T extends Task>(ctx: TaskContext, tasks: T[]): T[] {
  const counts = leftoverCounts(ctx, tasks.length === 1 ? tasks[0]!.id : undefined);
  if (counts.size === 0) return tasks;
  return tasks.map((task) => {
    const count = counts.get(task.id);
    return count === undefined ? task : { ...task, leftoverProcesses: count };
  });
}

/** For runs just recorded as ended: releases the tracking of those with nothing left. */
export function settleEnded(ctx: TaskContext, runs: readonly LingeringRun[]): void {
  look(ctx, runs);
}

const SIGNALS = { term: parseSignal('SIGTERM'), kill: parseSignal('SIGKILL') };

/**
 * Ends what a task's ended runs left running: SIGTERM, then SIGKILL after the grace period
 * (a cgroup all at once). Returns how many processes there were.
 */
export async function endLeftovers(ctx: TaskContext, id: string, options: EndOptions): Promise<number> {
  const left = look(ctx, ctx.store.lingering(id));
  if (left.length === 0) return 0;
  const processes = left.flatMap((entry) => entry.processes);
  const { gone } = await endProcesses(processes, left.map((entry) => entry.tracking), SIGNALS, options);
  look(ctx, left.map((entry) => entry.run));
  if (!gone) {
    throw new GhostError('STOP_FAILED', `processes left by task ${shortId(id)} are still running after SIGKILL; try again later`, {
      details: { id },
    });
  }
  return processes.length;
}
