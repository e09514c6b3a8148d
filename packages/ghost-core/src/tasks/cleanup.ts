import { unlinkSync } from 'node:fs';
import type { StoredTask } from '../db/task-store.js';
import { GhostError } from '../errors.js';
import { exitRecordPath, removeExitRecord } from '../supervisor/exit-record.js';
import type { TaskContext } from './context.js';
import { reconcileRunning } from './reconcile.js';
import { publicTask } from './terminate.js';
import type { Task, TaskStatus } from './types.js';

const DAY_MS = 24 * 60 * 60 * 1000;

export interface CleanupOptions {
  /** Remove tasks that ended more than this many days ago (default 30). */
  olderThanDays?: number | undefined;
  /** Remove every ended task, whatever its age. */
  all?: boolean | undefined;
  /** Only tasks with this status (never `running`). */
  status?: TaskStatus | undefined;
  /** Report what would be removed without removing anything. */
  dryRun?: boolean | undefined;
}

/** Removes ended tasks and their logs; running tasks are never touched. Returns what it removed. */
export function cleanupTasks(ctx: TaskContext, options: CleanupOptions = {}): Task[] {
  const days = options.olderThanDays ?? 30;
  if (!Number.isFinite(days) || days < 0) {
    throw new GhostError('INVALID_ARGUMENT', `invalid number of days: ${days}`);
  }
  if (options.status === 'running') {
    throw new GhostError('INVALID_ARGUMENT', 'running tasks are never cleaned up; stop them first (ghost stop)');
  }
  reconcileRunning(ctx);
  const before = options.all ? null : ctx.now() - days * DAY_MS;
  const candidates = ctx.store.endedBefore(before, options.status);
  if (options.dryRun) return candidates.map(publicTask);
  const removed = new Set(removeTasks(ctx, candidates));
  return candidates.filter((task) => removed.has(task.id)).map(publicTask);
}

/** Deletes ended tasks' rows, then their logs (a leftover log is harmless, a dangling row is not). */
export function removeTasks(ctx: TaskContext, tasks: readonly StoredTask[]): string[] {
  const deleted = new Set(ctx.store.deleteEnded(tasks.map((task) => task.id)));
  for (const task of tasks) {
    if (!deleted.has(task.id)) continue;
    try {
      unlinkSync(task.logPath);
    } catch {
      // Already gone.
    }
    removeExitRecord(exitRecordPath(ctx.paths.exits, task.id));
  }
  return [...deleted];
}
