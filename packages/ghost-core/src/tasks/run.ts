import { closeSync, fstatSync, openSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type NewRun, type StartOutcome, type StoredTask, isUniqueViolation } from '../db/task-store.js';
import { GhostError, describeSystemError, mention } from '../errors.js';
import { shortId } from '../format/task-text.js';
import { checkExecutable } from '../process/executable.js';
import { encodeTracking, markerEnv, prepareTracking, releaseTracking, startTracking } from '../process/tracking/tracking.js';
import { journalPath, removeFile } from '../supervisor/journal.js';
import { applyLimits, checkLimits } from '../process/limits/limits.js';
import {
  type HealthOptions,
  type LimitOptions,
  type LogCapOptions,
  type RestartOptions,
  type TaskPolicy,
  encodePolicy,
  healthSpec,
  limitSpec,
  logSpec,
  restartSpec,
} from './policy.js';
import { type PendingLaunch, launchSupervised } from '../supervisor/launch.js';
import type { TaskContext } from './context.js';
import { newTaskId } from './task-id.js';
import { isActive, reconcileTask } from './reconcile.js';
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
  /**
   * What the task's supervisor does when the command ends: `no` (the default), `on-failure`
   * or `always` start it again, waiting a backoff that doubles from `backoffMinMs` to
   * `backoffMaxMs` after each quick failure; a run that stays up `minUptimeMs` resets it, and
   * after `maxRestarts` quick failures in a row the task gives up (reason `restart_limit`).
   * Every restart is a run of its own. `start` and `restart` keep the policy.
   */
  restart?: RestartOptions | undefined;
  /**
   * Resource limits of the task's whole process tree: memory (killed when it is exceeded, and
   * recorded as `killed SIGKILL · out of memory`) and CPU through cgroups, open files through an
   * rlimit. A limit this machine cannot enforce is an error (LIMIT_UNAVAILABLE) unless `mode` is
   * `best-effort`. `start` and `restart` keep them.
   */
  limits?: LimitOptions | undefined;
  /**
   * The task's log cap: past `maxBytes` (default 100 MiB) the log is copied to `<log>.1` (older
   * ones move to `.2` … `.maxFiles`, default 1 kept) and truncated. `start` and `restart` keep it.
   */
  logs?: LogCapOptions | undefined;
  /**
   * A health check (see `HealthOptions`): the task's `health` is `starting`, then `healthy` or
   * `unhealthy` while it runs; with a restart policy an unhealthy run is ended and restarted
   * (reason `unhealthy`). `waitHealthy` waits until it is ready. `start` and `restart` keep it.
   */
  health?: HealthOptions | undefined;
  /**
   * A stack's service (give both or neither; checked like names): the task of a project's
   * service is unique. If it is running (or waiting to restart), it is returned as it is; if it
   * has ended, it gets these options as its new definition and starts again (same id, a new
   * run). Safe under concurrent calls. See `up`.
   */
  project?: string | undefined;
  service?: string | undefined;
}

/** What only core's stack engine passes to `runTask`. */
export interface ServiceStart {
  /** The digest of the service definition (stack/digest.ts), recorded with the task. */
  serviceDigest?: string | undefined;
}

const NAME_PATTERN = /^[^\s\p{Cc}\p{Bidi_C}][^\p{Cc}\p{Bidi_C}]{0,99}$/u;
const ENV_KEY_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Starts a task in the background and returns once it runs. Everything that can be checked
 * is checked before anything starts (cwd, executable, name, env), and the run is recorded
 * before its command is exec'd: a failure at any step leaves no process and no row behind.
 */
export async function runTask(ctx: TaskContext, options: RunOptions, internal: ServiceStart = {}): Promise<Task> {
  const argv = commandArgv(options);
  const name = checkName(options.name);
  const service = checkService(options.project, options.service);
  const description = checkDescription(options.description);
  const cwd = checkCwd(options.cwd);
  const env = buildEnv(options.baseEnv ?? process.env, options.env);
  checkExecutable(argv[0]!, env.PATH, cwd);
  const limits = limitSpec(options.limits);
  const policy: TaskPolicy = {
    restart: restartSpec(options.restart),
    logs: logSpec(options.logs),
    health: healthSpec(options.health),
    ...(limits ? { limits } : {}),
  };
  // Before anything starts: a limit that cannot be enforced fails here, not after the launch.
  if (limits) checkLimits(limits, limits.mode === 'best-effort');
  const checked: Checked = { argv, name, description, cwd, env, reuseKey: null, policy, service, serviceDigest: internal.serviceDigest ?? null };
  if (service) return startService(ctx, checked, service);
  // Without a reuse key there is nothing to take: startNew returns a task or throws.
  if (!options.reuse) return (await startNew(ctx, checked)) as Task;
  // Concurrent idempotent starts all launch (parked) and let the database pick one winner: one
  // task per reuse key, one run per (task, number), one running run per task. Losers abort, so
  // their command never runs, and look again. No lock is held across the launch.
  const reuseKey = JSON.stringify([cwd, argv]);
  for (let attempt = 0; attempt < 20; attempt++) {
    const existing = ctx.store.sameCommand(argv, cwd);
    const current = existing && reconcileTask(ctx, existing);
    if (current && isActive(current)) return publicTask(current);
    const started = current ? await startRun(ctx, current) : await startNew(ctx, { ...checked, reuseKey });
    if (typeof started !== 'string') return started;
  }
  throw new GhostError('START_FAILED', 'could not start or find the task: other processes kept starting and removing it', {
    details: { command: argv, cwd },
  });
}

/** `runTask` for a service: the one task of (project, service), started as a new task or run. */
async function startService(ctx: TaskContext, checked: Checked, service: { project: string; service: string }): Promise<Task> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const existing = ctx.store.ofService(service.project, service.service);
    const current = existing && reconcileTask(ctx, existing);
    if (current && isActive(current)) return publicTask(current);
    let started: Task | string;
    if (current) {
      const definition = {
        command: checked.argv,
        cwd: checked.cwd,
        env: checked.env,
        policy: encodePolicy(checked.policy),
        description: checked.description,
        serviceDigest: checked.serviceDigest ?? null,
      };
      // Another process redefined or started it meanwhile: look again.
      if (!ctx.store.redefine(current.id, current.run, definition)) continue;
      started = await startRun(ctx, { ...current, command: checked.argv, cwd: checked.cwd, policy: checked.policy });
    } else {
      started = await startNew(ctx, checked);
    }
    if (typeof started !== 'string') return started;
  }
  throw new GhostError('START_FAILED', `could not start or find service ${service.service} of project ${service.project}: other processes kept starting and removing it`, {
    details: { project: service.project, service: service.service },
  });
}

/**
 * Starts run `task.run + 1` of a task whose run `task.run` has ended: same id, argv, cwd,
 * recorded environment and log. Returns `taken` (aborting its own launch, so nothing of it
 * runs) if another process started a run first, `removed` if the task was removed meanwhile.
 */
export async function startRun(ctx: TaskContext, task: StoredTask): Promise<Task | Exclude<StartOutcome, 'started'>> {
  const env = ctx.store.env(task.id) ?? {};
  checkCwd(task.cwd);
  checkExecutable(task.command[0]!, env.PATH, task.cwd);
  const launch = await launchInto(ctx, task.logPath, task.command, task.cwd, env, false, task.policy);
  let outcome: StartOutcome;
  try {
    outcome = ctx.store.startRun(task.id, task.run, launch.run);
  } catch (error) {
    await launch.abort();
    throw new GhostError('DATABASE_UNUSABLE', `cannot record the run: ${describeSystemError(error)}`, { cause: error, details: mention(task) });
  }
  if (outcome !== 'started') {
    await launch.abort();
    return outcome;
  }
  await launch.go();
  return publicTask(ctx.store.get(task.id)!);
}

/** `startRun` for callers that want the race lost reported as an error. */
export async function startAgain(ctx: TaskContext, task: StoredTask): Promise<Task> {
  const started = await startRun(ctx, task);
  if (started === 'removed') throw removedMeanwhile(task);
  if (started === 'taken') {
    throw new GhostError('TASK_RUNNING', `task ${shortId(task.id)} is already running: another process started it meanwhile`, {
      details: { ...mention(task), status: 'running' },
    });
  }
  return started;
}

export function removedMeanwhile(task: Pick<Task, 'id' | 'name'>): GhostError {
  return new GhostError('TASK_NOT_FOUND', `task ${shortId(task.id)} was removed meanwhile by another process`, {
    details: mention(task),
  });
}

interface Checked {
  reuseKey: string | null;
  service?: { project: string; service: string } | null | undefined;
  serviceDigest?: string | null | undefined;
  policy: TaskPolicy;
  argv: string[];
  name: string | null;
  description: string | null;
  cwd: string;
  env: Record<string, string>;
}

/** Starts a new task; `taken` if its reuse key was taken meanwhile (its launch aborted). */
async function startNew(ctx: TaskContext, { argv, name, description, cwd, env, reuseKey, policy, service, serviceDigest }: Checked): Promise<Task | 'taken'> {
  const id = newTaskId();
  const logPath = join(ctx.paths.logs, `${id}.log`);
  const launch = await launchInto(ctx, logPath, argv, cwd, env, true, policy);
  try {
    ctx.store.insert({
      ...launch.run,
      id,
      name,
      description,
      reuseKey,
      project: service?.project ?? null,
      service: service?.service ?? null,
      serviceDigest: serviceDigest ?? null,
      command: argv,
      env,
      cwd,
      logPath,
      policy: encodePolicy(policy),
    });
  } catch (error) {
    await launch.abort();
    removeFile(logPath);
    if ((reuseKey !== null || service) && isUniqueViolation(error)) return 'taken';
    throw new GhostError('DATABASE_UNUSABLE', `cannot record the task: ${describeSystemError(error)}`, { cause: error, details: { id, name } });
  }
  await launch.go();
  return publicTask(ctx.store.get(id)!);
}

/** A launch whose run is ready to record: `go()` once it is, or `abort()` (which removes its journal). */
interface RunLaunch {
  run: NewRun;
  go(): Promise<void>;
  abort(): Promise<void>;
}

/** Opens the log for appending and launches the supervisor, with its own journal, command parked. */
async function launchInto(
  ctx: TaskContext,
  logPath: string,
  argv: string[],
  cwd: string,
  env: Record<string, string>,
  newLog: boolean,
  policy: TaskPolicy,
): Promise<RunLaunch> {
  let logFd: number;
  let logOffset: number;
  try {
    logFd = openSync(logPath, 'a', 0o600);
    logOffset = fstatSync(logFd).size;
  } catch (error) {
    throw new GhostError('DATA_DIR_UNUSABLE', `cannot open log ${logPath}: ${describeSystemError(error)}`, { cause: error, details: { path: logPath } });
  }
  const launchId = newTaskId();
  const journal = journalPath(ctx.paths.journal, launchId);
  let pending: PendingLaunch;
  prepareTracking();
  try {
    pending = await launchSupervised({
      argv,
      cwd,
      env: { ...env, ...markerEnv(launchId) },
      logFd,
      logPath,
      journalPath: journal,
      restart: policy.restart,
      health: policy.health,
      logs: policy.logs,
    });
  } catch (error) {
    if (newLog) removeFile(logPath);
    removeFile(journal);
    throw error;
  } finally {
    // The supervisor has its own copy; this process no longer writes to the log.
    closeSync(logFd);
  }
  // Both are parked: whatever the command starts later is born inside the tracking, and limited.
  const tracking = startTracking(launchId, [pending.pgid, pending.pid]);
  if (policy.limits) {
    try {
      const enforced = checkLimits(policy.limits, policy.limits.mode === 'best-effort');
      applyLimits(launchId, [pending.pgid, pending.pid], enforced, tracking.mechanism === 'cgroup2' ? tracking.path : null);
    } catch (error) {
      await pending.abort();
      removeFile(journal);
      releaseTracking(tracking);
      if (newLog) removeFile(logPath);
      throw error;
    }
  }
  return {
    run: {
      launchId,
      pid: pending.pid,
      pgid: pending.pgid,
      pidStart: pending.pidStart,
      supervisorStart: pending.supervisorStart,
      startedAt: ctx.now(),
      logOffset,
      tracking: encodeTracking(tracking),
    },
    go: () => pending.go(),
    async abort() {
      await pending.abort();
      // The supervisor has exited: nothing appends to the journal any more, nothing is in its cgroup.
      removeFile(journal);
      releaseTracking(tracking);
    },
  };
}

function commandArgv(options: RunOptions): string[] {
  const words = [...options.command];
  if (words.length === 0 || words.every((word) => word === '')) {
    throw new GhostError('INVALID_ARGUMENT', 'no command given', { details: { argument: 'command', value: words } });
  }
  if (options.shell) return ['/bin/sh', '-c', words.join(' ')];
  if (words[0] === '') throw new GhostError('INVALID_ARGUMENT', 'the command name is empty', { details: { argument: 'command', value: words } });
  return words;
}

export function checkName(name: string | undefined, what: 'name' | 'project' | 'service' = 'name'): string | null {
  if (name === undefined) return null;
  if (!NAME_PATTERN.test(name)) {
    throw new GhostError(
      'INVALID_ARGUMENT',
      `invalid ${what === 'name' ? 'task name' : `${what} name`} ${JSON.stringify(name)}: use 1 to 100 printable characters (no control or bidi characters), not starting with a space`,
      { details: { argument: what, value: name } },
    );
  }
  return name;
}

function checkService(project: string | undefined, service: string | undefined): { project: string; service: string } | null {
  if (project === undefined && service === undefined) return null;
  if (project === undefined || service === undefined) {
    const missing = project === undefined ? 'project' : 'service';
    throw new GhostError('INVALID_ARGUMENT', `a ${missing} is required with a ${missing === 'project' ? 'service' : 'project'}`, {
      details: { argument: missing, value: undefined },
    });
  }
  return { project: checkName(project, 'project')!, service: checkName(service, 'service')! };
}

function checkDescription(description: string | undefined): string | null {
  if (description === undefined || description === '') return null;
  // eslint-disable-next-line no-control-regex
  if (description.length > 1000 || /[\x00-\x08\x0b-\x1f\x7f-\x9f\p{Bidi_C}]/u.test(description)) {
    throw new GhostError('INVALID_ARGUMENT', 'invalid description: use up to 1000 printable characters (no control or bidi characters)', {
      details: { argument: 'description', value: description },
    });
  }
  return description;
}

function checkCwd(cwd: string | undefined): string {
  const dir = resolve(cwd ?? process.cwd());
  let isDirectory: boolean;
  try {
    isDirectory = statSync(dir).isDirectory();
  } catch (error) {
    throw new GhostError('CWD_NOT_FOUND', `working directory ${dir}: ${describeSystemError(error)}`, { cause: error, details: { path: dir } });
  }
  if (!isDirectory) throw new GhostError('CWD_NOT_FOUND', `working directory ${dir}: not a directory`, { details: { path: dir } });
  return dir;
}

function buildEnv(base: NodeJS.ProcessEnv, extra: Readonly<Record<string, string>> | undefined): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(base)) if (value !== undefined) env[key] = value;
  for (const [key, value] of Object.entries(extra ?? {})) {
    if (!ENV_KEY_PATTERN.test(key)) {
      throw new GhostError('INVALID_ARGUMENT', `invalid environment variable name ${JSON.stringify(key)}`, { details: { argument: 'env', value: key } });
    }
    env[key] = value;
  }
  return env;
}

