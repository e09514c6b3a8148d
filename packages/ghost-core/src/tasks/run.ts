import { closeSync, openSync, statSync, unlinkSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { GhostError, describeSystemError } from '../errors.js';
import { checkExecutable } from '../process/executable.js';
import { exitRecordPath, removeExitRecord } from '../supervisor/exit-record.js';
import { launchSupervised } from '../supervisor/launch.js';
import { newTaskId } from './task-id.js';
import type { TaskContext } from './context.js';
import type { Task } from './types.js';

export interface RunOptions {
  /** The argv to run, without a shell. With `shell`, the words are joined into one script. */
  command: readonly string[];
  /** Run the command as a script with `/bin/sh -c`. */
  shell?: boolean | undefined;
  /** A name to refer to the task by (names need not be unique; the newest wins). */
  name?: string | undefined;
  /** Working directory (default: this process's). */
  cwd?: string | undefined;
  /** Variables added to (or overriding) the inherited environment. */
  env?: Readonly<Record<string, string>> | undefined;
  /** The environment to inherit (default: this process's). */
  baseEnv?: NodeJS.ProcessEnv | undefined;
}

const NAME_PATTERN = /^[^\s\p{Cc}][^\p{Cc}]{0,99}$/u;
const ENV_KEY_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Starts a task in the background and returns once it runs. Everything that can be checked
 * is checked before anything starts (cwd, executable, name, env), and the task is recorded
 * before its command is exec'd: a failure at any step leaves no process and no row behind.
 */
export async function runTask(ctx: TaskContext, options: RunOptions): Promise<Task> {
  const argv = commandArgv(options);
  const name = checkName(options.name);
  const cwd = checkCwd(options.cwd);
  const env = buildEnv(options.baseEnv ?? process.env, options.env);
  checkExecutable(argv[0]!, env.PATH, cwd);

  const id = newTaskId();
  const logPath = join(ctx.paths.logs, `${id}.log`);
  const recordPath = exitRecordPath(ctx.paths.exits, id);
  let logFd: number;
  try {
    logFd = openSync(logPath, 'a', 0o600);
  } catch (error) {
    throw new GhostError('DATA_DIR_UNUSABLE', `cannot create log ${logPath}: ${describeSystemError(error)}`);
  }
  let launch;
  try {
    launch = await launchSupervised({ argv, cwd, env, logFd, exitRecordPath: recordPath });
  } catch (error) {
    removeQuietly(logPath);
    throw error;
  } finally {
    // The supervisor has its own copy; this process no longer writes to the log.
    closeSync(logFd);
  }

  const startedAt = ctx.now();
  try {
    ctx.store.insert({
      id,
      name,
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
    throw new GhostError('DATABASE_UNUSABLE', `cannot record the task: ${describeSystemError(error)}`, { cause: error });
  }
  launch.go();
  return {
    id,
    name,
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
      `invalid task name ${JSON.stringify(name)}: use 1 to 100 printable characters, not starting with a space`,
    );
  }
  return name;
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
