import type { StoredTask, TaskEnd } from '../db/task-store.js';
import { isSameProcess } from '../process/process-table.js';
import { exitRecordPath, readExitRecord, removeExitRecord } from '../supervisor/exit-record.js';
import type { TaskContext } from './context.js';

/**
 * Brings `running` rows up to date with the evidence: an exit record left by the supervisor
 * is stored and consumed; a task whose command and supervisor are both gone (same pid and
 * the same start time, so a reused pid does not count) without a record becomes `unknown`.
 * Only running rows are examined, through the status index.
 */
export function reconcileRunning(ctx: TaskContext): void {
  const ends = new Map<string, TaskEnd>();
  for (const task of ctx.store.running()) {
    const end = observeEnd(ctx, task);
    if (end) ends.set(task.id, end);
  }
  if (ends.size > 0) commitEnds(ctx, ends);
}

/** Reconciles one task and returns it as it is now. */
export function reconcileTask(ctx: TaskContext, task: StoredTask): StoredTask {
  if (task.status !== 'running') return task;
  const end = observeEnd(ctx, task);
  if (!end) return task;
  commitEnds(ctx, new Map([[task.id, end]]));
  return ctx.store.get(task.id) ?? { ...task, ...endFields(end) };
}

/** How a running task ended, or null if it is still running. */
export function observeEnd(ctx: TaskContext, task: StoredTask): TaskEnd | null {
  const recordPath = exitRecordPath(ctx.paths.exits, task.id);
  const recorded = readExitRecord(recordPath);
  if (recorded) return recorded;
  if (isSameProcess(task.pid, task.pidStart) || isSameProcess(task.pgid, task.supervisorStart)) return null;
  // Both are gone. The supervisor writes its record before it exits, so look once more in
  // case it did so between the first look and the liveness check.
  return readExitRecord(recordPath) ?? { status: 'unknown', exitCode: null, signal: null, finishedAt: ctx.now() };
}

/** Stores ends in one transaction, then removes the consumed exit records. */
export function commitEnds(ctx: TaskContext, ends: ReadonlyMap<string, TaskEnd>): void {
  ctx.store.transaction(() => {
    for (const [id, end] of ends) ctx.store.markEnded(id, end);
  });
  for (const id of ends.keys()) removeExitRecord(exitRecordPath(ctx.paths.exits, id));
}

export function endFields(end: TaskEnd): Pick<StoredTask, 'status' | 'exitCode' | 'signal' | 'finishedAt'> {
  return { status: end.status, exitCode: end.exitCode, signal: end.signal, finishedAt: new Date(end.finishedAt) };
}
