import type { NewRun, RunEnd, StoredTask } from '../db/task-store.js';
import { isStorageFailure } from '../errors.js';
import { enforceLogCaps } from '../logs/cap.js';
import { isSameProcess, processInfo } from '../process/process-table.js';
import { logIsReady } from '../health/ready-log.js';
import { type Attempt, CLOCK_STEP_MS, type Health, type Journal, type JournalEnd, journalPath, readJournal, removeFile } from '../supervisor/journal.js';
import { legacyExitRecordPath, readLegacyExitRecord, removeLegacyExitRecord } from '../supervisor/legacy-exit-record.js';
import type { TaskContext } from './context.js';
import { limitCgroups, outOfMemory, releaseLimits } from '../process/limits/limits.js';
import { decodeTracking } from '../process/tracking/tracking.js';
import { settleEnded } from './leftovers.js';
import type { RestartSpec } from './policy.js';
import { isActiveStatus } from './types.js';

/** Why a run ended as it did, or why no run followed it, when its status does not say it all. */
export const END_REASONS = {
  /** The launcher gave up (or was killed) before the go-ahead: the command never ran. */
  launchAborted: 'launch_aborted',
  /** The supervisor reached the restart limit: this was the last run. */
  restartLimit: 'restart_limit',
  /** The supervisor was gone (killed by someone else) before it could start the next run. */
  supervisorLost: 'supervisor_lost',
  /** The kernel killed it at its memory limit. */
  outOfMemory: 'out_of_memory',
  /** Its health check failed: the supervisor ended it so that its restart policy starts it again. */
  unhealthy: 'unhealthy',
  /**
   * It ended after a stop (a restart's stop, or `kill`'s SIGKILL, which ends a run as `stop
   * --force` does) was announced for it: however it ended (killed by the signal, or exiting on
   * it), it was asked to. A `kill` with another signal is not a stop. The status line says nothing more; a viewer
   * may show it calmer than a crash.
   */
  stopped: 'stopped',
} as const;

/** One change the evidence shows, for one run of a task. */
export type Step =
  /** Run `run` ended. */
  | { kind: 'end'; run: number; end: RunEnd }
  /** The supervisor started its next attempt: run `previousRun + 1`. */
  | { kind: 'attempt'; previousRun: number; attempt: number; fields: NewRun }
  /** Run `run` (ended) waits for the supervisor to start the next at `at`, or (null) no longer does. */
  | { kind: 'waiting'; run: number; at: number | null; reason: string | null }
  /** Run `run` (running) became healthy or unhealthy at `at`. */
  | { kind: 'health'; run: number; health: Health; at: number }
  /** The launch's rotations have moved `total` bytes out of the log (first of a change's steps). */
  | { kind: 'rotated'; total: number };

/** What changed for one task since its runs were recorded, to be stored in one transaction. */
export interface ObservedChange {
  task: StoredTask;
  steps: Step[];
  /** The launch is over (its supervisor has nothing more to say): its journal can go. */
  finished: boolean;
}

/** An observed end of a task's current run, as readers show it when it cannot be stored. */
export interface ObservedEnd {
  id: string;
  end: RunEnd;
}

/**
 * Brings the active runs (running, or waiting for their supervisor to start the next) up to
 * date with the evidence: what each launch's journal says (ends, restarts, waits, the restart
 * limit), accepted only from the run's own supervisor; a run whose command and supervisor are
 * both gone (same pid and start time, so a reused pid does not count) with no exit becomes
 * `killed` if a stop had announced SIGKILL (the supervisor died with its group), else `unknown`.
 * Only active runs are examined, through small partial indexes.
 *
 * Returns the ends it could not store (a full or read-only disk): readers show them anyway,
 * and the evidence stays for the next command to store.
 */
export function reconcileRunning(ctx: TaskContext): ObservedEnd[] {
  const changes: ObservedChange[] = [];
  const active = ctx.store.active();
  for (const task of active) {
    const change = observeChange(ctx, task);
    if (change) changes.push(change);
  }
  if (changes.length === 0 || storeChanges(ctx, changes)) {
    // After the attempts are recorded, so their offsets are in the database when rotation moves them.
    enforceLogCaps(ctx, active);
    return [];
  }
  return changes.flatMap(shownEnd);
}

/** Reconciles one task and returns it as it is now (with an end it could not store, shown). */
export function reconcileTask(ctx: TaskContext, task: StoredTask): StoredTask {
  if (!isActive(task)) return task;
  const change = observeChange(ctx, task);
  if (!change) return task;
  if (!storeChanges(ctx, [change])) {
    const [shown] = shownEnd(change);
    return shown ? { ...task, ...endFields(shown.end) } : task;
  }
  return ctx.store.get(task.id) ?? task;
}

/** A task whose current run is running, or whose supervisor will start the next. */
export function isActive(task: Pick<StoredTask, 'status'>): boolean {
  return isActiveStatus(task.status);
}

/**
 * What the evidence shows for an active task, or null if nothing changed. With `gone`, its
 * processes are known to be gone (no liveness check), and `sentKill` says SIGKILL ended them.
 */
export function observeChange(
  ctx: TaskContext,
  task: StoredTask,
  known: { gone: boolean; sentKill: boolean } = { gone: false, sentKill: false },
): ObservedChange | null {
  const supervisorAlive = () => !known.gone && isSameProcess(task.pgid, task.supervisorStart);
  if (task.launchId === null) {
    const gone = known.gone || !(isSameProcess(task.pid, task.pidStart) || supervisorAlive());
    return legacyChange(ctx, task, gone, known.sentKill);
  }
  const first = foldJournal(ctx, task, known.sentKill);
  const changed = first.steps.length > 0 ? first.change : null;
  // The latest run's command, which may be an attempt the journal shows and no row has yet.
  if (first.running && (supervisorAlive() || (!known.gone && isSameProcess(first.pid, first.pidStart)))) return changed;
  if (!first.running && first.waiting && supervisorAlive()) return changed;
  // Gone (or going). The supervisor writes before it exits, so look once more in case it did so
  // between the first look and the liveness check; then whatever it did not say is unknown.
  const last = foldJournal(ctx, task, known.sentKill, { supervisorGone: true });
  return last.change;
}

interface Fold {
  change: ObservedChange;
  steps: Step[];
  /** The latest run is still running, as far as the journal says. */
  running: boolean;
  /** The latest run has ended and the supervisor will (as far as the journal says) start another. */
  waiting: boolean;
  /** The latest run's command and its identity. */
  pid: number | null;
  pidStart: string | null;
}

/**
 * Replays the journal from the task's current run on: ends of runs, attempts the supervisor
 * started (each a run, numbered on from the current), and what follows the last one.
 */
function foldJournal(ctx: TaskContext, task: StoredTask, sentKill: boolean, options: { supervisorGone?: boolean } = {}): Fold {
  const steps: Step[] = [];
  let pid = task.pid;
  let pidStart = task.pidStart;
  const fold = (running: boolean, waiting: boolean, finished: boolean): Fold => ({
    change: { task, steps, finished },
    steps,
    running,
    waiting,
    pid,
    pidStart,
  });
  const journal = readJournal(journalPath(ctx.paths.journal, task.launchId!));
  const stopSignal = strongest(task.stopSignal, journal?.stopSignal ?? null, sentKill ? 'SIGKILL' : null);
  if (!journal || journal.supervisorPid !== task.pgid) {
    // Nothing the run's own supervisor wrote: while its processes live it runs; once gone, it
    // ended unrecorded, and a wait for a restart that nobody can make is over.
    if (!options.supervisorGone) return fold(task.status === 'running', task.status === 'restarting', false);
    if (task.status === 'running') steps.push({ kind: 'end', run: task.run, end: unrecordedEnd(stopSignal, ctx.now()) });
    else steps.push({ kind: 'waiting', run: task.run, at: null, reason: END_REASONS.supervisorLost });
    return fold(false, false, true);
  }
  // Before any attempt is recorded: the offsets of new ones are already net of these.
  if (journal.rotated > task.rotated) steps.push({ kind: 'rotated', total: journal.rotated });
  let run = task.run;
  let attempt = task.attempt;
  let ended = task.status !== 'running';
  let lastEnd: JournalEnd | null = null;
  for (;;) {
    const current = journal.attempts.find((entry) => entry.number === attempt);
    if (!ended) {
      if (!current?.end) break;
      steps.push({ kind: 'end', run, end: runEnd(task, journal, { ...current, end: current.end }) });
      ended = true;
    }
    lastEnd = current?.end ?? lastEnd;
    const next = journal.attempts.find((entry) => entry.number === attempt + 1);
    if (!next || next.pid === null) break;
    const info = processInfo(next.pid);
    steps.push({
      kind: 'attempt',
      previousRun: run,
      attempt: next.number,
      fields: {
        launchId: task.launchId!,
        pid: next.pid,
        pgid: task.pgid!,
        pidStart: info?.start ?? null,
        supervisorStart: task.supervisorStart,
        startedAt: next.startedAt ?? ctx.now(),
        logOffset: next.logOffset,
        tracking: task.tracking,
      },
    });
    run += 1;
    attempt += 1;
    ended = false;
    pid = next.pid;
    pidStart = info?.start ?? null;
  }
  if (!ended) {
    if (!options.supervisorGone) {
      healthStep(ctx, task, journal.attempts.find((entry) => entry.number === attempt), run, steps);
      return fold(true, false, false);
    }
    // The latest run's processes and its supervisor are gone, and it said nothing more.
    steps.push({ kind: 'end', run, end: unrecordedEnd(stopSignal, ctx.now()) });
    return fold(false, false, true);
  }
  if (journal.gaveUp) {
    steps.push({ kind: 'waiting', run, at: null, reason: END_REASONS.restartLimit });
    return fold(false, false, true);
  }
  const latest = journal.attempts.find((entry) => entry.number === attempt);
  if (latest && lastEnd && willRestart(task.policy.restart, journal, latest, lastEnd, stopSignal)) {
    if (options.supervisorGone) {
      steps.push({ kind: 'waiting', run, at: null, reason: END_REASONS.supervisorLost });
      return fold(false, false, true);
    }
    // Waiting out the backoff, or about to say so (due now). Written only when it changes.
    // The time is converted from the supervisor's clock afresh by each read, a few ms apart:
    // stored once, not again by every read while the task waits.
    const at = journal.restartAt ?? lastEnd.finishedAt;
    const stored = task.restartAt?.getTime();
    if (run !== task.run || stored === undefined || Math.abs(stored - at) > CLOCK_STEP_MS) steps.push({ kind: 'waiting', run, at, reason: null });
    return fold(false, true, false);
  }
  if (task.restartAt !== null) steps.push({ kind: 'waiting', run, at: null, reason: null });
  return fold(false, false, true);
}

/** What the supervisor does after an attempt ended, as the script decides it (see script.ts). */
function willRestart(
  restart: RestartSpec,
  journal: Journal,
  attempt: Journal['attempts'][number],
  end: JournalEnd,
  stopSignal: string | null,
): boolean {
  if (restart.policy === 'no' || stopSignal !== null || journal.aborted) return false;
  if (restart.policy === 'on-failure' && end.status === 'exited' && end.exitCode === 0) return false;
  return !(attempt.killed && end.status === 'killed');
}

function runEnd(task: StoredTask, journal: Journal, attempt: Attempt & { end: JournalEnd }): RunEnd {
  const { end } = attempt;
  if (attempt.number === 1 && journal.aborted) {
    return { status: 'unknown', exitCode: null, signal: null, reason: END_REASONS.launchAborted, finishedAt: end.finishedAt };
  }
  if (attempt.healthKilled) return { ...end, reason: END_REASONS.unhealthy };
  // A SIGKILL nobody sent but the kernel, at the memory limit.
  if (end.signal === 'SIGKILL' && task.policy.limits?.memoryBytes !== undefined && !attempt.stopped) {
    const tracking = decodeTracking(task.tracking);
    if (outOfMemory(task.launchId!, tracking?.mechanism === 'cgroup2' ? tracking.path : null)) {
      return { ...end, reason: END_REASONS.outOfMemory };
    }
  }
  return attempt.stopped ? { ...end, reason: END_REASONS.stopped } : end;
}

/**
 * The health of the running run `run` (the task's current one, or an attempt the journal shows
 * and no row has yet), if it changed: as the supervisor's probe last said, or, for a ready-log
 * check, healthy once a line of its output matches (looked for until it has).
 */
function healthStep(ctx: TaskContext, task: StoredTask, attempt: Attempt | undefined, run: number, steps: Step[]): void {
  const check = task.policy.health;
  if (!check) return;
  const known = run === task.run ? task.health : null;
  if (check.probe.kind === 'log') {
    if (known === 'healthy') return;
    if (logIsReady(task.logPath, run === task.run ? task.logOffset : null, check.probe.pattern)) {
      steps.push({ kind: 'health', run, health: 'healthy', at: ctx.now() });
    }
    return;
  }
  if (attempt?.health && attempt.healthAt !== null && attempt.health !== known) {
    steps.push({ kind: 'health', run, health: attempt.health, at: attempt.healthAt });
  }
}

/** Tasks started before journals: one exit record per task, no restarts. */
function legacyChange(ctx: TaskContext, task: StoredTask, gone: boolean, sentKill: boolean): ObservedChange | null {
  // `gone` was decided before this read: a supervisor that wrote its record and exited is seen.
  const recorded = readLegacyExitRecord(legacyExitRecordPath(ctx.paths.exits, task.id));
  const end = recorded ?? (gone ? unrecordedEnd(strongest(task.stopSignal, sentKill ? 'SIGKILL' : null), ctx.now()) : null);
  if (!end) return null;
  return { task, steps: [{ kind: 'end', run: task.run, end }], finished: true };
}

function strongest(...signals: (string | null)[]): string | null {
  if (signals.includes('SIGKILL')) return 'SIGKILL';
  return signals.find((signal) => signal !== null) ?? null;
}

/**
 * The end of a run whose processes are gone and whose supervisor recorded nothing: a stop's
 * SIGKILL (announced before it was sent) took the supervisor with the group; anything else
 * (the supervisor killed by someone else, a reboot) leaves no way to know.
 */
export function unrecordedEnd(stopSignal: string | null, now: number): RunEnd {
  return stopSignal === 'SIGKILL'
    ? { status: 'killed', exitCode: null, signal: 'SIGKILL', reason: END_REASONS.stopped, finishedAt: now }
    : { status: 'unknown', exitCode: null, signal: null, finishedAt: now };
}

/** `commitChanges`, false (changing nothing) when the disk refuses the write. */
function storeChanges(ctx: TaskContext, changes: readonly ObservedChange[]): boolean {
  try {
    commitChanges(ctx, changes);
    return true;
  } catch (error) {
    if (isStorageFailure(error)) return false;
    throw error;
  }
}

/**
 * Stores changes in one transaction (each write conditional on the run it names), then, for
 * launches that are over, removes their journals and settles their tracking.
 */
export function commitChanges(ctx: TaskContext, changes: readonly ObservedChange[]): void {
  ctx.store.transaction(() => {
    for (const { task, steps } of changes) {
      for (const step of steps) {
        if (step.kind === 'end') ctx.store.endRun(task.id, step.run, step.end);
        else if (step.kind === 'attempt') ctx.store.startAttempt(task.id, step.previousRun, step.fields, step.attempt);
        else if (step.kind === 'health') ctx.store.setHealth(task.id, step.run, step.health, step.at);
        else if (step.kind === 'rotated') ctx.store.applyRotations(task.id, step.total);
        else ctx.store.setRestartAt(task.id, step.run, step.at, step.reason);
      }
    }
  });
  const over = changes.filter((change) => change.finished);
  // Each launch's own evidence: never the journal of a launch started since.
  for (const { task } of over) {
    if (task.launchId) removeFile(journalPath(ctx.paths.journal, task.launchId));
    else removeLegacyExitRecord(legacyExitRecordPath(ctx.paths.exits, task.id));
    if (task.launchId && task.policy.limits) releaseLimits(limitCgroups(task.launchId));
  }
  // A launch whose processes all ended with its command leaves nothing to track.
  settleEnded(
    ctx,
    over.flatMap(({ task, steps }) => {
      const run = lastRun(task, steps);
      return task.tracking ? [{ id: task.id, run, tracking: task.tracking, pgid: task.pgid, supervisorStart: task.supervisorStart }] : [];
    }),
  );
}

function lastRun(task: StoredTask, steps: readonly Step[]): number {
  return steps.reduce((run, step) => (step.kind === 'attempt' ? step.previousRun + 1 : run), task.run);
}

/** The end of the task's current run in a change, if it has one (to show what could not be stored). */
export function shownEnd(change: ObservedChange): ObservedEnd[] {
  const end = change.steps.find((step): step is Extract<Step, { kind: 'end' }> => step.kind === 'end' && step.run === change.task.run);
  return end ? [{ id: change.task.id, end: end.end }] : [];
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
