import { closeSync, openSync, statSync, unlinkSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type StoredTask, isUniqueViolation } from '../db/task-store.js';
import { GhostError, describeSystemError } from '../errors.js';
import { shortId } from '../format/task-text.js';
import { checkExecutable } from '../process/executable.js';
import { exitRecordPath, removeExitRecord } from '../supervisor/exit-record.js';
import { type PendingLaunch, launchSupervised } from '../supervisor/launch.js';
import type { TaskContext } from './context.js';
import { newTaskId } from './task-id.js';
import { reconcileTask } from './reconcile.js';
import { publicTask } from './terminate.js';
import type { Task } from './types.js';

export interface RunOptions {
  /** The argv to run, without a shell. With `shell`, the words are joined into one script. */
  command: readonly string[];
  /** Run the command as a script with `/bin/sh -c`. */
  shell?: boolean | undefined;
  /** A name to refer to the task by (names need not be unique; the newest wins). */
  name?: string | undefined;
  /** What the task is for (shown by list and status). */
  description?: string | undefined;
  /** Working directory (default: this process's). */
  cwd?: string | undefined;
  /** Variables added to (or overriding) the inherited environment. */
  env?: Readonly<Record<string, string>> | undefined;
  /** The environment to inherit (default: this process's). */
  baseEnv?: NodeJS.ProcessEnv | undefined;
  /**
   * Idempotent start, for scripts and agents: if a task with the same argv and working
   * directory is running, return it instead of starting a duplicate; if the newest such task
   * has ended, start it again (same id, a new run). Safe under concurrent calls.
   */
  reuse?: boolean | undefined;
}

const NAME_PATTERN = /^[^\s\p{Cc}\p{Bidi_C}][^\p{Cc}\p{Bidi_C}]{0,99}$/u;
const ENV_KEY_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Starts a task in the background and returns once it runs. Everything that can be checked
 * is checked before anything starts (cwd, executable, name, env), and the task is recorded
 * before its command is exec'd: a failure at any step leaves no process and no row behind.
 */
export async function runTask(ctx: TaskContext, options: RunOptions): Promise<Task> {
  const argv = commandArgv(options);
  const name = checkName(options.name);
  const description = checkDescription(options.description);
  const cwd = checkCwd(options.cwd);
  const env = buildEnv(options.baseEnv ?? process.env, options.env);
  checkExecutable(argv[0]!, env.PATH, cwd);
  if (!options.reuse) return startNew(ctx, { argv, name, description, cwd, env, reuseKey: null });
  // Concurrent idempotent starts all launch (parked) and let the database pick one winner: a
  // unique index allows one running task per reuse key. Losers abort, so their command never
  // runs, and look again. No lock is held across the launch.
  const reuseKey = JSON.stringify([cwd, argv]);
  for (let attempt = 0; ; attempt++) {
    const existing = ctx.store.sameCommand(argv, cwd);
    const current = existing && reconcileTask(ctx, existing);
    if (current?.status === 'running') return publicTask(current);
    try {
      return current ? await startAgain(ctx, current) : await startNew(ctx, { argv, name, description, cwd, env, reuseKey });
    } catch (error) {
      if (!(error instanceof GhostError && error.code === 'TASK_RUNNING') || attempt >= 10) throw error;
    }
  }
}

/** Starts an ended task again: same id, argv, cwd, recorded environment and log; a new run. */
export async function startAgain(ctx: TaskContext, task: StoredTask): Promise<Task> {
  const env = ctx.store.env(task.id) ?? {};
  checkCwd(task.cwd);
  checkExecutable(task.command[0]!, env.PATH, task.cwd);
  const launch = await launchInto(task.logPath, exitRecordPath(ctx.paths.exits, task.id), task.command, task.cwd, env, false);
  const startedAt = ctx.now();
  let recorded: boolean;
  try {
    recorded = ctx.store.restarted(task.id, { ...launch, startedAt });
  } catch (error) {
    await launch.abort();
    throw new GhostError('DATABASE_UNUSABLE', `cannot record the task: ${describeSystemError(error)}`, { cause: error });
  }
  if (!recorded) {
    await launch.abort();
    throw new GhostError('TASK_RUNNING', `task ${shortId(task.id)} was started meanwhile by another process`);
  }
  launch.go();
  return publicTask(ctx.store.get(task.id)!);
}

interface Checked {
  reuseKey: string | null;
  argv: string[];
  name: string | null;
  description: string | null;
  cwd: string;
  env: Record<string, string>;
}

async function startNew(ctx: TaskContext, { argv, name, description, cwd, env, reuseKey }: Checked): Promise<Task> {
  const id = newTaskId();
  const logPath = join(ctx.paths.logs, `${id}.log`);
  const recordPath = exitRecordPath(ctx.paths.exits, id);
  const launch = await launchInto(logPath, recordPath, argv, cwd, env, true);
  const startedAt = ctx.now();
  try {
    ctx.store.insert({
      id,
      name,
      description,
      reuseKey,
      pid: launch.pid,
      pgid: launch.pgid,
      command: argv,
      env,
      cwd,
      startedAt,
      logPath,
      pidStart: launch.pidStart,
      supervisorStart: launch.supervisorStart,
    });
  } catch (error) {
    await launch.abort();
    removeExitRecord(recordPath);
    removeQuietly(logPath);
    if (isUniqueViolation(error)) throw new GhostError('TASK_RUNNING', 'the same command was started meanwhile by another process');
    throw new GhostError('DATABASE_UNUSABLE', `cannot record the task: ${describeSystemError(error)}`, { cause: error });
  }
  launch.go();
  return {
    id,
    name,
    description,
    pid: launch.pid,
    pgid: launch.pgid,
    command: argv,
    cwd,
    status: 'running',
    exitCode: null,
    signal: null,
    startedAt: new Date(startedAt),
    finishedAt: null,
    logPath,
  };
}

/** Opens the log for appending and launches the supervisor with its command parked. */
async function launchInto(
  logPath: string,
  recordPath: string,
  argv: string[],
  cwd: string,
  env: Record<string, string>,
  newLog: boolean,
): Promise<PendingLaunch> {
  let logFd: number;
  try {
    logFd = openSync(logPath, 'a', 0o600);
  } catch (error) {
    throw new GhostError('DATA_DIR_UNUSABLE', `cannot open log ${logPath}: ${describeSystemError(error)}`);
  }
  try {
    return await launchSupervised({ argv, cwd, env, logFd, exitRecordPath: recordPath });
  } catch (error) {
    if (newLog) removeQuietly(logPath);
    throw error;
  } finally {
    // The supervisor has its own copy; this process no longer writes to the log.
    closeSync(logFd);
  }
}

function commandArgv(options: RunOptions): string[] {
  const words = [...options.command];
  if (words.length === 0 || words.every((word) => word === '')) {
    throw new GhostError('INVALID_ARGUMENT', 'no command given (usage: ghost run [options] -- command [args...])');
  }
  if (options.shell) return ['/bin/sh', '-c', words.join(' ')];
  if (words[0] === '') throw new GhostError('INVALID_ARGUMENT', 'the command name is empty');
  return words;
}

function checkName(name: string | undefined): string | null {
  if (name === undefined) return null;
  if (!NAME_PATTERN.test(name)) {
    throw new GhostError(
      'INVALID_ARGUMENT',
      `invalid task name ${JSON.stringify(name)}: use 1 to 100 printable characters (no control or bidi characters), not starting with a space`,
    );
  }
  return name;
}

function checkDescription(description: string | undefined): string | null {
  if (description === undefined || description === '') return null;
  // eslint-disable-next-line no-control-regex
  if (description.length > 1000 || /[\x00-\x08\x0b-\x1f\x7f-\x9f\p{Bidi_C}]/u.test(description)) {
    throw new GhostError('INVALID_ARGUMENT', 'invalid description: use up to 1000 printable characters (no control or bidi characters)');
  }
  return description;
}

function checkCwd(cwd: string | undefined): string {
  const dir = resolve(cwd ?? process.cwd());
  let isDirectory: boolean;
  try {
    isDirectory = statSync(dir).isDirectory();
  } catch (error) {
    throw new GhostError('CWD_NOT_FOUND', `working directory ${dir}: ${describeSystemError(error)}`);
  }
  if (!isDirectory) throw new GhostError('CWD_NOT_FOUND', `working directory ${dir}: not a directory`);
  return dir;
}

function buildEnv(base: NodeJS.ProcessEnv, extra: Readonly<Record<string, string>> | undefined): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(base)) if (value !== undefined) env[key] = value;
  for (const [key, value] of Object.entries(extra ?? {})) {
    if (!ENV_KEY_PATTERN.test(key)) {
      throw new GhostError('INVALID_ARGUMENT', `invalid environment variable name ${JSON.stringify(key)}`);
    }
    env[key] = value;
  }
  return env;
}

function removeQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // Nothing to remove.
  }
}
