import { statSync } from 'node:fs';
import type { StoredTask } from '../db/task-store.js';
import { appendEvent, journalPath } from '../supervisor/journal.js';
import type { TaskContext } from '../tasks/context.js';
import { rotateLog } from './rotate.js';

/**
 * Keeps running tasks' logs under their caps: a stat per log, and a rotation (see rotate.ts)
 * for one that is over. ghost has no process between a task and its log, so this runs
 * wherever ghost already is: every command that reconciles state, and `log -f` before each look.
 */
export function enforceLogCaps(ctx: TaskContext, tasks: readonly StoredTask[]): void {
  for (const task of tasks) {
    let size: number;
    try {
      size = statSync(task.logPath).size;
    } catch {
      continue; // reading the log reports it
    }
    if (size > task.policy.logs.maxBytes) rotateTaskLog(ctx, task);
  }
}

/**
 * Rotates a task's log and moves its runs' offsets with it: the recorded runs' in the database,
 * and (a `rotated` line in the journal) those of attempts its supervisor started and no ghost
 * process has recorded yet. Returns the bytes rotated out (0 if none).
 */
export function rotateTaskLog(ctx: TaskContext, task: StoredTask): number {
  try {
    return rotateLog(task.logPath, task.policy.logs.maxBytes, task.policy.logs.maxFiles, (bytes) => {
      ctx.store.transaction(() => ctx.store.shiftLogOffsets(task.id, bytes));
      if (task.launchId) appendEvent(journalPath(ctx.paths.journal, task.launchId), `rotated ${bytes}`);
    });
  } catch {
    // A full disk or a log removed meanwhile: the next look tries again. Reading is never blocked by it.
    return 0;
  }
}
