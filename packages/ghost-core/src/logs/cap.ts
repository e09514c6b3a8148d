import { statSync } from 'node:fs';
import type { StoredTask } from '../db/task-store.js';
import { appendEvent, journalPath, readJournal } from '../supervisor/journal.js';
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
 * Rotates a task's log and moves its runs' offsets with it. The rotation is a `rotated` line in
 * the launch's journal, as the supervisor writes one when it rotates (see supervisor/script.ts):
 * attempts no ghost process has recorded yet are read net of it, and the recorded runs' offsets
 * move by what the journal's lines add up to, once (`applyRotations`), before the lock is let go.
 * Returns the bytes rotated out (0 if none).
 */
export function rotateTaskLog(ctx: TaskContext, task: StoredTask): number {
  try {
    return rotateLog(task.logPath, task.policy.logs.maxBytes, task.policy.logs.maxFiles, (bytes) => {
      const journal = task.launchId && journalPath(ctx.paths.journal, task.launchId);
      // A run from before journals, or a launch that ended meanwhile (its journal folded and gone).
      if (!journal || !appendEvent(journal, `rotated ${bytes}`)) ctx.store.transaction(() => ctx.store.shiftLogOffsets(task.id, bytes));
      else applyJournalRotations(ctx, task.id, journal);
    });
  } catch {
    // A full disk or a log removed meanwhile: the next look tries again. Reading is never blocked by it.
    return 0;
  }
}

/** Moves a task's run offsets by its launch's rotations that they have not been moved by yet. */
export function applyJournalRotations(ctx: TaskContext, id: string, journal: string): void {
  const rotated = readJournal(journal)?.rotated ?? 0;
  if (rotated > 0) ctx.store.applyRotations(id, rotated);
}
