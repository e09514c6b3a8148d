import type { RunEnd, StoredTask } from '../db/task-store.js';
import { isStorageFailure } from '../errors.js';
import { isSameProcess } from '../process/process-table.js';
import { journalPath, readJournal, removeFile } from '../supervisor/journal.js';
import { legacyExitRecordPath, readLegacyExitRecord, removeLegacyExitRecord } from '../supervisor/legacy-exit-record.js';
import type { TaskContext } from './context.js';
import { settleEnded } from './leftovers.js';

/** Why a run ended as it did, when its status does not say it all. */
export const END_REASONS = {
  /** The launcher gave up (or was killed) before the go-ahead: the command never ran. */
  launchAborted: 'launch_aborted',
} as const;

/** An end observed for one run of one task. */
export interface ObservedEnd {
  id: string;
  run: number;
  /** The run's journal: removed once its end is stored (null: a legacy run's exit record). */
  launchId: string | null;
  end: RunEnd;
  /** How its processes are tracked, and its supervisor (to tell leftovers from it). */
  tracking: string | null;
  pgid: number | null;
  supervisorStart: string | null;
}

/**
 * Brings running runs up to date with the evidence: an exit in the run's own journal is stored
 * (and the journal consumed); a run whose command and supervisor are both gone (same pid and
 * start time, so a reused pid does not count) with no exit becomes `killed` if a stop had sent
 * SIGKILL (the supervisor died with its group), else `unknown`. Only running runs are examined,
 * through the one-running-run index.
 *
 * Returns the ends it could not store (a full or read-only disk): readers show them anyway,
 * and the evidence stays for the next command to store.
 */
export function reconcileRunning(ctx: TaskContext): ObservedEnd[] {
  const ends: ObservedEnd[] = [];
  for (const task of ctx.store.running()) {
    const end = observeEnd(ctx, task);
    if (end) ends.push(observed(task, end));
  }
  if (ends.length === 0 || storeEnds(ctx, ends)) return [];
  return ends;
}

/** Reconciles one task and returns it as it is now (with an end it could not store, shown). */
export function reconcileTask(ctx: TaskContext, task: StoredTask): StoredTask {
  if (task.status !== 'running') return task;
  const end = observeEnd(ctx, task);
  if (!end) return task;
  if (!storeEnds(ctx, [observed(task, end)])) return { ...task, ...endFields(end) };
  return ctx.store.get(task.id) ?? { ...task, ...endFields(end) };
}

/** `commitEnds`, false (changing nothing) when the disk refuses the write. */
function storeEnds(ctx: TaskContext, ends: readonly ObservedEnd[]): boolean {
  try {
    commitEnds(ctx, ends);
    return true;
  } catch (error) {
    if (isStorageFailure(error)) return false;
    throw error;
  }
}

/** How a running run ended, or null if it is still running. */
export function observeEnd(ctx: TaskContext, task: StoredTask): RunEnd | null {
  const first = readEvidence(ctx, task);
  if (first.end) return first.end;
  if (isSameProcess(task.pid, task.pidStart) || isSameProcess(task.pgid, task.supervisorStart)) return null;
  // Both are gone. The supervisor writes its exit before it exits, so look once more in case it
  // did so between the first look and the liveness check.
  const evidence = readEvidence(ctx, task);
  return evidence.end ?? unrecordedEnd(evidence.stopSignal, ctx.now());
}

/**
 * The end of a run whose processes are gone and whose supervisor recorded nothing: a stop's
 * SIGKILL (announced before it was sent) took the supervisor with the group; anything else
 * (the supervisor killed by someone else, a reboot) leaves no way to know.
 */
export function unrecordedEnd(stopSignal: string | null, now: number): RunEnd {
  return stopSignal === 'SIGKILL'
    ? { status: 'killed', exitCode: null, signal: 'SIGKILL', finishedAt: now }
    : { status: 'unknown', exitCode: null, signal: null, finishedAt: now };
}

export interface Evidence {
  /** What the run's own supervisor recorded about its end, or null. */
  end: RunEnd | null;
  /** The strongest signal a stop announced for the run, in the database or its journal. */
  stopSignal: string | null;
}

/** What the run's journal (accepted only from the run's own supervisor) and row say. */
export function readEvidence(ctx: TaskContext, task: StoredTask): Evidence {
  if (task.launchId === null) {
    return { end: readLegacyExitRecord(legacyExitRecordPath(ctx.paths.exits, task.id)), stopSignal: task.stopSignal };
  }
  const journal = readJournal(journalPath(ctx.paths.journal, task.launchId));
  if (!journal || journal.supervisorPid !== task.pgid) return { end: null, stopSignal: task.stopSignal };
  const stopSignal = task.stopSignal === 'SIGKILL' ? 'SIGKILL' : (journal.stopSignal ?? task.stopSignal);
  if (!journal.end) return { end: null, stopSignal };
  if (journal.aborted) {
    const end: RunEnd = { status: 'unknown', exitCode: null, signal: null, reason: END_REASONS.launchAborted, finishedAt: journal.end.finishedAt };
    return { end, stopSignal };
  }
  return { end: journal.end, stopSignal };
}

/** Stores ends in one transaction, then removes the evidence they consumed. */
export function commitEnds(ctx: TaskContext, ends: readonly ObservedEnd[]): void {
  ctx.store.transaction(() => {
    for (const { id, run, end } of ends) ctx.store.endRun(id, run, end);
  });
  // Each run's own evidence: never the journal of a run started since.
  for (const { id, launchId } of ends) {
    if (launchId) removeFile(journalPath(ctx.paths.journal, launchId));
    else removeLegacyExitRecord(legacyExitRecordPath(ctx.paths.exits, id));
  }
  // A run whose processes all ended with its command leaves nothing to track.
  settleEnded(
    ctx,
    ends.flatMap(({ id, run, tracking, pgid, supervisorStart }) => (tracking ? [{ id, run, tracking, pgid, supervisorStart }] : [])),
  );
}

export function observed(
  task: Pick<StoredTask, 'id' | 'run' | 'launchId' | 'tracking' | 'pgid' | 'supervisorStart'>,
  end: RunEnd,
): ObservedEnd {
  const { id, run, launchId, tracking, pgid, supervisorStart } = task;
  return { id, run, launchId, end, tracking, pgid, supervisorStart };
}

export function endFields(end: RunEnd): Pick<StoredTask, 'status' | 'exitCode' | 'signal' | 'reason' | 'finishedAt'> {
  return {
    status: end.status,
    exitCode: end.exitCode,
    signal: end.signal,
    reason: end.reason ?? null,
    finishedAt: new Date(end.finishedAt),
  };
}
