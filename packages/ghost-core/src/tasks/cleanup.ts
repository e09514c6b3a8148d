import { lstatSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { StoredTask } from '../db/task-store.js';
import { GhostError } from '../errors.js';
import { removeLog } from '../logs/rotate.js';
import { journalPath, removeFile } from '../supervisor/journal.js';
import { sweepTracking } from '../process/tracking/tracking.js';
import { legacyExitRecordPath, removeLegacyExitRecord } from '../supervisor/legacy-exit-record.js';
import type { TaskContext } from './context.js';
import { leftoverCounts } from './leftovers.js';
import { reconcileRunning } from './reconcile.js';
import { publicTask } from './terminate.js';
import { ENDED_STATUSES, type StatusFilter, type Task, filterStatuses, isTaskStatus } from './types.js';
import { statusWords } from '../format/task-text.js';

const DAY_MS = 24 * 60 * 60 * 1000;

/** Cleanup removes tasks that ended more than this many days ago, unless told otherwise. */
export const DEFAULT_CLEANUP_DAYS = 30;

export interface CleanupOptions {
  /** Remove tasks that ended more than this many days ago (default `DEFAULT_CLEANUP_DAYS`). */
  olderThanDays?: number | undefined;
  /** Remove every ended task, whatever its age. */
  all?: boolean | undefined;
  /** Only tasks with this status, or any of these: ended ones (see `ENDED_STATUSES`). */
  status?: StatusFilter | undefined;
  /** Report what would be removed without removing anything. */
  dryRun?: boolean | undefined;
  /**
   * Files that no task or running run knows (left by a ghost process killed mid-launch) are
   * removed once they are this old (default 15 minutes: far longer than any launch takes).
   */
  orphanGraceMs?: number | undefined;
}

/** Default age after which files no row knows are removed: a launch takes seconds at most. */
export const ORPHAN_GRACE_MS = 15 * 60 * 1000;

/** Removes ended tasks and their logs; running tasks are never touched. Returns what it removed. */
export function cleanupTasks(ctx: TaskContext, options: CleanupOptions = {}): Task[] {
  const days = options.olderThanDays ?? DEFAULT_CLEANUP_DAYS;
  if (!Number.isFinite(days) || days < 0) {
    throw new GhostError('INVALID_ARGUMENT', `invalid number of days: ${days}`, { details: { argument: 'olderThanDays', value: days } });
  }
  const statuses = filterStatuses(options.status);
  const active = statuses?.find((status) => !ENDED_STATUSES.includes(status));
  if (active !== undefined) {
    const words = isTaskStatus(active) ? `${active} tasks are never cleaned up` : `unknown status "${active}" (${statusWords(ENDED_STATUSES)})`;
    throw new GhostError('INVALID_ARGUMENT', words, { details: { argument: 'status', value: active, valid: ENDED_STATUSES } });
  }
  reconcileRunning(ctx);
  const before = options.all ? null : ctx.now() - days * DAY_MS;
  // A task whose processes outlived its command is not over: removing it would lose them.
  const left = leftoverCounts(ctx);
  const candidates = ctx.store.endedBefore(before, statuses).filter((task) => !left.has(task.id));
  if (options.dryRun) return candidates.map(publicTask);
  const removed = new Set(removeTasks(ctx, candidates));
  removeOrphans(ctx, ctx.now() - (options.orphanGraceMs ?? ORPHAN_GRACE_MS));
  return candidates.filter((task) => removed.has(task.id)).map(publicTask);
}

/**
 * Deletes ended tasks' rows (only if the run each was seen at is still its current, ended run),
 * then their files: a leftover file is harmless and swept later, a dangling row is not.
 */
export function removeTasks(ctx: TaskContext, tasks: readonly StoredTask[]): string[] {
  const journals = new Map(tasks.map((task) => [task.id, ctx.store.launchIds(task.id)]));
  const deleted = new Set(ctx.store.deleteEnded(tasks));
  for (const task of tasks) {
    if (!deleted.has(task.id)) continue;
    removeLog(task.logPath);
    for (const launchId of journals.get(task.id) ?? []) removeFile(journalPath(ctx.paths.journal, launchId));
    removeLegacyExitRecord(legacyExitRecordPath(ctx.paths.exits, task.id));
  }
  return [...deleted];
}

/**
 * Removes files older than `before` that nothing refers to: logs of tasks that were never
 * recorded, journals of launches that were aborted or never recorded (a running run's journal
 * is always kept), legacy exit records of removed tasks.
 */
function removeOrphans(ctx: TaskContext, before: number): void {
  const running = ctx.store.runningLaunchIds();
  sweep(ctx.paths.journal, before, (name) => !running.has(name));
  sweep(ctx.paths.logs, before, (name) => name.endsWith('.log') && !ctx.store.has(name.slice(0, -'.log'.length)));
  sweep(ctx.paths.exits, before, (name) => !ctx.store.has(name.replace(/\.tmp$/, '')));
  sweepTracking(before);
}

function sweep(dir: string, before: number, orphaned: (name: string) => boolean): void {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    const path = join(dir, name);
    try {
      const stat = lstatSync(path);
      if (stat.isFile() && stat.mtimeMs < before && orphaned(name)) removeFile(path);
    } catch {
      // Removed meanwhile.
    }
  }
}
