import type { StoredTask } from '../db/task-store.js';
import { GhostError, isStorageFailure, mention } from '../errors.js';
import { statusText, taskLabel } from '../format/task-text.js';
import { pollUntil } from '../process/poll.js';
import { type ProcessInfo, isSameProcess, listProcesses } from '../process/process-table.js';
import { aliveGroups, survivors } from '../process/process-tree.js';
import { type Signal, parseSignal } from '../process/signals.js';
import { KILL_WAIT_MS, decodeTracking, killTracked, runProcesses, trackedPopulated } from '../process/tracking/tracking.js';
import type { TaskContext } from './context.js';
import { appendEvent, journalPath } from '../supervisor/journal.js';
import { endLeftovers } from './leftovers.js';
import { commitChanges, endFields, isActive, observeChange, reconcileTask, shownEnd } from './reconcile.js';
import type { Task } from './types.js';

/** Default grace period between SIGTERM and SIGKILL. */
export const DEFAULT_STOP_TIMEOUT_MS = 10_000;

export interface StopOptions {
  /** Grace period after SIGTERM before SIGKILL (default 10 s). */
  timeoutMs?: number | undefined;
  /** Send SIGKILL at once. */
  force?: boolean | undefined;
  /** The signal that asks it to end (default SIGTERM); SIGKILL follows after the grace period. */
  signal?: string | undefined;
}

export interface StopResult {
  /** The task as it is now. */
  task: Task;
  /** False if the task had already ended: only its leftovers (if any) were signalled. */
  wasRunning: boolean;
  /** How many processes that had outlived the task's command (daemonized) this stop ended. */
  leftovers: number;
  /** True if SIGKILL was needed (or asked for with `force`). */
  killed: boolean;
  /**
   * False if the outcome could not be written (a full or read-only disk): the processes were
   * signalled all the same, `task` shows the outcome, and the next command records it.
   */
  recorded: boolean;
}

/**
 * Stops a task and everything it started: SIGTERM to its process group and to descendants
 * that left the group, then, after the grace period, SIGKILL. Returns as soon as every one of
 * those processes is gone, with the task's recorded outcome.
 */
export async function stopTask(ctx: TaskContext, task: StoredTask, options: StopOptions = {}): Promise<StopResult> {
  const [outcome] = await stopTasks(ctx, [task], options);
  if (outcome!.status === 'rejected') throw outcome!.reason;
  return outcome!.value;
}

/**
 * Stops several tasks at once, as stopTask stops one, each outcome in the order of `tasks`.
 * They share their waits: one look at the process table per poll for all of them, so stopping
 * hundreds costs about what stopping one does.
 */
export async function stopTasks(
  ctx: TaskContext,
  tasks: readonly StoredTask[],
  options: StopOptions = {},
): Promise<PromiseSettledResult<StopResult>[]> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_STOP_TIMEOUT_MS;
  if (!Number.isFinite(timeoutMs) || timeoutMs < 0) {
    throw new GhostError('INVALID_ARGUMENT', `invalid stop timeout: ${timeoutMs}`, { details: { argument: 'timeoutMs', value: timeoutMs } });
  }
  const first = options.signal === undefined ? SIGTERM : parseSignal(options.signal);
  const force = options.force ?? false;
  // What earlier runs (or this one, once ended) left running is the task's too.
  const endLeft = (id: string) => endLeftovers(ctx, id, { graceMs: timeoutMs, force });
  const looked = tasks.map((task): { running: StoredTask } | { ended: StoredTask } | { error: unknown } => {
    try {
      const current = reconcileTask(ctx, task);
      // A task waiting for its supervisor to start it again is stopped like a running one.
      // Its processes gone since it was looked at (it ended meanwhile): as it is recorded now.
      const live = isActive(current) && !isOwned(current) ? reconcileTask(ctx, current) : current;
      return isActive(live) && isOwned(live) ? { running: current } : { ended: live };
    } catch (error) {
      return { error };
    }
  });
  const stopped = stopRunning(ctx, looked.flatMap((look) => ('running' in look ? [look.running] : [])), timeoutMs, force, first);
  return Promise.allSettled(
    looked.map(async (look): Promise<StopResult> => {
      if ('error' in look) throw look.error;
      if ('ended' in look) {
        const leftovers = await endLeft(look.ended.id);
        return { task: publicTask(look.ended), wasRunning: false, killed: false, recorded: true, leftovers };
      }
      const result = (await stopped).get(look.running)!;
      if (result instanceof Error) throw result;
      return { ...result, leftovers: await endLeft(look.running.id) };
    }),
  );
}

/** A running task being stopped: the processes it had when last looked at, and whether its intents were written. */
interface Stopping {
  task: StoredTask;
  tree: ProcessInfo[];
  recorded: boolean;
}

/** Stops tasks that were running, and were still the processes ghost started, when the caller looked. */
async function stopRunning(
  ctx: TaskContext,
  tasks: readonly StoredTask[],
  timeoutMs: number,
  force: boolean,
  first: Signal,
): Promise<Map<StoredTask, Omit<StopResult, 'leftovers'> | Error>> {
  const results = new Map<StoredTask, Omit<StopResult, 'leftovers'> | Error>();
  const fail = (stopping: Stopping, error: unknown) => results.set(stopping.task, error instanceof Error ? error : new Error(String(error)));
  const done = (killed: boolean) => (stopping: Stopping) => {
    try {
      results.set(stopping.task, { ...finish(ctx, stopping.task, killed, stopping.recorded), wasRunning: true, killed });
    } catch (error) {
      fail(stopping, error);
    }
  };
  // Ownership was proven once, by the caller's look. Asking again would race the run's end: a
  // concurrent stop's signal may take the command and its supervisor in between, and then this
  // stop would fail for a task it only has to see gone. Later the group may outlive both; a
  // group id cannot be reused while it has members.
  let pending: Stopping[] = tasks.map((task) => ({ task, tree: [], recorded: true }));
  if (pending.length === 0) return results;
  const table = listProcesses();
  for (const stopping of pending) stopping.tree = snapshotTree(stopping.task, table);
  if (!force) {
    pending = await waitUntilGone(signalAll(ctx, pending, first, fail), timeoutMs, done(false));
    // Children started during the grace period count too.
    const later = pending.length > 0 ? listProcesses() : [];
    for (const stopping of pending) stopping.tree = [...survivors(stopping.tree), ...snapshotTree(stopping.task, later)];
  }
  for (const stopping of await waitUntilGone(signalAll(ctx, pending, SIGKILL, fail), KILL_WAIT_MS, done(true))) {
    results.set(stopping.task, stuck(stopping.task));
  }
  return results;
}

/**
 * Records each stop's intent, then signals its tree; returns those signalled. A failure is that
 * task's alone (`fail`).
 */
function signalAll(ctx: TaskContext, batch: readonly Stopping[], signal: Signal, fail: (stopping: Stopping, error: unknown) => void): Stopping[] {
  const alive = aliveGroups(batch.map(({ task }) => task.pgid!));
  return batch.filter((stopping) => {
    try {
      // The intent is recorded before each signal, so whoever finds the processes gone (a waiter,
      // a list) records the same outcome as this stop. If it cannot be written, signal anyway.
      stopping.recorded = recordIntent(ctx, stopping.task, signal) && stopping.recorded;
      signalTree(stopping.task, stopping.tree, signal, alive);
      return true;
    } catch (error) {
      fail(stopping, error);
      return false;
    }
  });
}

/**
 * Sends one signal to a running task's process group. For SIGKILL it also waits for the group
 * to disappear and records the outcome (the supervisor dies with the group, so nobody else can).
 */
export async function signalTask(ctx: TaskContext, task: StoredTask, signalInput: string | number = 'SIGKILL'): Promise<Task> {
  const signal = parseSignal(signalInput);
  const current = reconcileTask(ctx, task);
  if (!isActive(current)) {
    throw new GhostError('TASK_NOT_RUNNING', `task ${taskLabel(current)} is not running (${statusText(current)})`, { details: { ...mention(current), status: current.status } });
  }
  assertOwned(current);
  if (signal.name !== 'SIGKILL') {
    // Said in the journal first: a command this signal ends is not started again.
    if (current.launchId) appendEvent(journalPath(ctx.paths.journal, current.launchId), `kill ${signal.name}`);
    sendToGroup(current, signal);
    return publicTask(current);
  }
  // SIGKILL ends the run: everything of it goes, as with stop --force.
  const stopping = { task: current, tree: snapshotTree(current), recorded: true };
  signalAll(ctx, [stopping], signal, (_, error) => {
    throw error;
  });
  if ((await waitUntilGone([stopping], KILL_WAIT_MS, () => {})).length > 0) throw stuck(current);
  return finish(ctx, current, true, true).task;
}

/** Records that a stop sends `signal` to the run; false if that could not be written. */
function recordIntent(ctx: TaskContext, task: StoredTask, signal: Signal): boolean {
  // In the run's journal too: it is appended to in place, so it takes the word even when a full
  // disk refuses the database, and a supervisor can read it there.
  if (task.launchId) appendEvent(journalPath(ctx.paths.journal, task.launchId), `stop ${signal.name}`);
  return recordStopSignal(ctx, task, signal);
}

/** The database half of a stop's intent; false if the disk refused it. */
function recordStopSignal(ctx: TaskContext, task: StoredTask, signal: Signal): boolean {
  try {
    ctx.store.markStopping(task.id, task.run, signal.name);
    return true;
  } catch (error) {
    if (isStorageFailure(error)) return false;
    throw error;
  }
}

const SIGTERM = parseSignal('SIGTERM');
const SIGKILL = parseSignal('SIGKILL');

function isOwned(task: StoredTask): boolean {
  return isSameProcess(task.pid, task.pidStart) || isSameProcess(task.pgid, task.supervisorStart);
}

/** Only a task whose command or supervisor is still the process we started may be signalled. */
function assertOwned(task: StoredTask): void {
  if (!isOwned(task)) throw notRunning(task);
}

function notRunning(task: StoredTask): GhostError {
  return new GhostError('TASK_NOT_RUNNING', `task ${taskLabel(task)} is no longer running`, { details: mention(task) });
}

/** The task's processes, from `table` (one process table read for many tasks) when given. */
function snapshotTree(task: StoredTask, table?: readonly ProcessInfo[]): ProcessInfo[] {
  return runProcesses({ pid: task.pid, pgid: task.pgid, tracking: decodeTracking(task.tracking) }, table);
}

/** Signals the task's process group (whose ownership the caller has checked), if it has members. */
function sendToGroup(task: StoredTask, signal: Signal, alive = aliveGroups([task.pgid!])): void {
  if (!alive.has(task.pgid!)) return;
  try {
    process.kill(-task.pgid!, signal.number);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

function signalTree(task: StoredTask, tree: readonly ProcessInfo[], signal: Signal, alive: Set<number>): void {
  sendToGroup(task, signal, alive);
  // A cgroup's own SIGKILL also takes what was forked since the snapshot.
  if (signal.name === 'SIGKILL') killTracked(decodeTracking(task.tracking));
  for (const info of tree) {
    if (info.pgid === task.pgid || !isSameProcess(info.pid, info.start)) continue;
    try {
      // A descendant that made its own group takes its group with it.
      process.kill(info.pgid === info.pid ? -info.pid : info.pid, signal.number);
    } catch {
      // Gone meanwhile.
    }
  }
}

/**
 * Waits until each task's processes are gone (its group, what left it, its tracking), calling
 * `gone` for each as soon as it is; resolves to those still there when `timeoutMs` passes.
 */
async function waitUntilGone(batch: readonly Stopping[], timeoutMs: number, gone: (stopping: Stopping) => void): Promise<Stopping[]> {
  let left = batch.map((stopping) => ({
    stopping,
    outside: stopping.tree.filter((info) => info.pgid !== stopping.task.pgid),
    tracking: decodeTracking(stopping.task.tracking),
  }));
  await pollUntil(() => {
    const alive = aliveGroups(left.map(({ stopping }) => stopping.task.pgid!));
    left = left.filter((entry) => {
      const there = alive.has(entry.stopping.task.pgid!) || survivors(entry.outside).length > 0 || trackedPopulated(entry.tracking);
      if (!there) gone(entry.stopping);
      return there;
    });
    return left.length === 0;
  }, timeoutMs);
  return left.map(({ stopping }) => stopping);
}

/**
 * Records the outcome of the run the stop observed, once its processes are gone: what its
 * supervisor recorded (and any runs it started meanwhile), else a SIGKILL (ours, or another
 * stop's recorded intent) took the supervisor with the group, else nobody can know (unknown).
 * A wait for a restart ends with the supervisor. A newer run than the stop saw is never touched.
 */
function finish(ctx: TaskContext, task: StoredTask, sentKill: boolean, recordedSoFar: boolean): { task: Task; recorded: boolean } {
  const stored = ctx.store.get(task.id);
  // Another stop's announced SIGKILL counts; a newer launch's row does not.
  const current = stored && stored.run >= task.run && stored.launchId === task.launchId ? stored : task;
  const change = isActive(current) ? observeChange(ctx, current, { gone: true, sentKill }) : null;
  try {
    if (change) commitChanges(ctx, [change]);
    return { task: publicTask(ctx.store.get(task.id) ?? task), recorded: recordedSoFar };
  } catch (error) {
    if (!isStorageFailure(error)) throw error;
    const [shown] = change ? shownEnd(change) : [];
    return { task: publicTask(shown ? { ...current, ...endFields(shown.end) } : current), recorded: false };
  }
}

function stuck(task: StoredTask): GhostError {
  return new GhostError(
    'STOP_FAILED',
    `task ${taskLabel(task)} is still running after SIGKILL (a process may be stuck in the kernel); try again later`,
    { details: { ...mention(task), signal: 'SIGKILL' } },
  );
}

/** Drops internal fields so callers get exactly the public Task shape. */
export function publicTask(task: StoredTask): Task {
  const {
    pidStart: _pidStart,
    supervisorStart: _supervisorStart,
    launchId: _launchId,
    stopSignal: _stopSignal,
    tracking: _tracking,
    attempt: _attempt,
    policy: _policy,
    serviceDigest: _serviceDigest,
    ...rest
  } = task;
  return rest;
}
