import type { StoredTask, TaskEnd } from '../db/task-store.js';
import { GhostError } from '../errors.js';
import { statusText, taskLabel } from '../format/task-text.js';
import { type ProcessInfo, isSameProcess } from '../process/process-table.js';
import { groupAlive, survivors, taskProcesses } from '../process/process-tree.js';
import { type Signal, parseSignal } from '../process/signals.js';
import { exitRecordPath, readExitRecord } from '../supervisor/exit-record.js';
import type { TaskContext } from './context.js';
import { commitEnds, reconcileTask } from './reconcile.js';
import type { Task } from './types.js';

/** Default grace period between SIGTERM and SIGKILL. */
export const DEFAULT_STOP_TIMEOUT_MS = 10_000;
/** How long a SIGKILLed tree may take to disappear before we call it stuck. */
const KILL_WAIT_MS = 5_000;

export interface StopOptions {
  /** Grace period after SIGTERM before SIGKILL (default 10 s). */
  timeoutMs?: number | undefined;
  /** Send SIGKILL at once. */
  force?: boolean | undefined;
}

export interface StopResult {
  /** The task as it is now. */
  task: Task;
  /** False if the task had already ended: nothing was signalled. */
  wasRunning: boolean;
  /** True if SIGKILL was needed (or asked for with `force`). */
  killed: boolean;
}

/**
 * Stops a task and everything it started: SIGTERM to its process group and to descendants
 * that left the group, then, after the grace period, SIGKILL. Returns as soon as every one of
 * those processes is gone, with the task's recorded outcome.
 */
export async function stopTask(ctx: TaskContext, task: StoredTask, options: StopOptions = {}): Promise<StopResult> {
  const current = reconcileTask(ctx, task);
  if (current.status !== 'running') return { task: publicTask(current), wasRunning: false, killed: false };
  const timeoutMs = options.timeoutMs ?? DEFAULT_STOP_TIMEOUT_MS;
  if (!Number.isFinite(timeoutMs) || timeoutMs < 0) {
    throw new GhostError('INVALID_ARGUMENT', `invalid stop timeout: ${timeoutMs}`);
  }

  // Ownership is proven once, up front. Later the command and the supervisor may be gone while
  // other members keep the group alive; a group id cannot be reused while it has members.
  assertOwned(current);
  let tree = snapshotTree(current);
  if (!options.force) {
    signalTree(current, tree, SIGTERM);
    if (await waitUntilGone(current, tree, timeoutMs)) {
      return { task: await finish(ctx, current, false), wasRunning: true, killed: false };
    }
    // Children started during the grace period count too.
    tree = [...survivors(tree), ...snapshotTree(current)];
  }
  signalTree(current, tree, SIGKILL);
  if (!(await waitUntilGone(current, tree, KILL_WAIT_MS))) throw stuck(current);
  return { task: await finish(ctx, current, true), wasRunning: true, killed: true };
}

/**
 * Sends one signal to a running task's process group. For SIGKILL it also waits for the group
 * to disappear and records the outcome (the supervisor dies with the group, so nobody else can).
 */
export async function signalTask(ctx: TaskContext, task: StoredTask, signalInput: string | number = 'SIGKILL'): Promise<Task> {
  const signal = parseSignal(signalInput);
  const current = reconcileTask(ctx, task);
  if (current.status !== 'running') {
    throw new GhostError('TASK_NOT_RUNNING', `task ${taskLabel(current)} is not running (${statusText(current)})`);
  }
  assertOwned(current);
  sendToGroup(current, signal);
  if (signal.name !== 'SIGKILL') return publicTask(current);
  if (!(await waitUntilGone(current, [], KILL_WAIT_MS))) throw stuck(current);
  return await finish(ctx, current, true);
}

const SIGTERM = parseSignal('SIGTERM');
const SIGKILL = parseSignal('SIGKILL');

/** Only a task whose command or supervisor is still the process we started may be signalled. */
function assertOwned(task: StoredTask): void {
  if (!isSameProcess(task.pid, task.pidStart) && !isSameProcess(task.pgid, task.supervisorStart)) {
    throw new GhostError('TASK_NOT_RUNNING', `task ${taskLabel(task)} is no longer running`);
  }
}

function snapshotTree(task: StoredTask): ProcessInfo[] {
  const roots = [task.pgid, task.pid].filter((pid): pid is number => pid !== null);
  return task.pgid === null ? [] : taskProcesses(task.pgid, roots);
}

/** Signals the task's process group (whose ownership the caller has checked), if it has members. */
function sendToGroup(task: StoredTask, signal: Signal): void {
  if (!groupAlive(task.pgid!)) return;
  try {
    process.kill(-task.pgid!, signal.number);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

function signalTree(task: StoredTask, tree: readonly ProcessInfo[], signal: Signal): void {
  sendToGroup(task, signal);
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

async function waitUntilGone(task: StoredTask, tree: readonly ProcessInfo[], timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  const outside = tree.filter((info) => info.pgid !== task.pgid);
  for (let delay = 2; ; delay = Math.min(delay * 2, 50)) {
    if (!groupAlive(task.pgid!) && survivors(outside).length === 0) return true;
    const left = deadline - Date.now();
    if (left <= 0) return false;
    await new Promise((resolve) => setTimeout(resolve, Math.min(delay, left)));
  }
}

/** How long a stop that found no exit record waits for another process to record the end. */
const OTHER_RECORD_WAIT_MS = 500;

/** Records the outcome once the task's processes are gone. */
async function finish(ctx: TaskContext, task: StoredTask, sentKill: boolean): Promise<Task> {
  const recorded = readExitRecord(exitRecordPath(ctx.paths.exits, task.id));
  if (!recorded && !sentKill) {
    // Only SIGTERM was sent, yet the supervisor left no record: someone else ended the task
    // (e.g. `ghost kill` sent SIGKILL meanwhile) and is about to record it, or the supervisor was
    // killed earlier. Give the first case a moment to say what it knows before saying "unknown".
    const deadline = Date.now() + OTHER_RECORD_WAIT_MS;
    while (Date.now() < deadline) {
      const stored = ctx.store.get(task.id);
      if (stored && stored.status !== 'running') return publicTask(stored);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
  // SIGKILL to the group takes the supervisor too, so no record: the outcome is ours to write.
  // Without a record after only SIGTERM, the supervisor had been killed earlier: unknown.
  const end: TaskEnd = recorded ?? {
    status: sentKill ? 'killed' : 'unknown',
    exitCode: null,
    signal: sentKill ? 'SIGKILL' : null,
    finishedAt: ctx.now(),
  };
  commitEnds(ctx, new Map([[task.id, end]]));
  return publicTask(ctx.store.get(task.id) ?? task);
}

function stuck(task: StoredTask): GhostError {
  return new GhostError(
    'STOP_FAILED',
    `task ${taskLabel(task)} is still running after SIGKILL (a process may be stuck in the kernel); try again later`,
  );
}

/** Drops internal fields so callers get exactly the public Task shape. */
export function publicTask(task: StoredTask): Task {
  const { pidStart: _pidStart, supervisorStart: _supervisorStart, run: _run, ...rest } = task;
  return rest;
}
