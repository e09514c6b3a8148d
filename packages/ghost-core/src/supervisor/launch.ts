import type { ChildProcess, StdioOptions } from 'node:child_process';
import { closeSync, openSync, readFileSync, readdirSync } from 'node:fs';
import type { Readable, Writable } from 'node:stream';
import { GhostError, describeSystemError } from '../errors.js';
import { type ProcessInfo, processInfo } from '../process/process-table.js';
import { probeScript } from '../health/probe-command.js';
import type { HealthSpec, LogSpec, RestartSpec } from '../tasks/policy.js';
import { SUPERVISOR_NAME, SUPERVISOR_SCRIPT, supervisorArgs } from './script.js';

/** How long a supervisor may take to report the command's pid (a loaded machine is slow). */
const REPORT_TIMEOUT_MS = 15_000;

export interface LaunchRequest {
  argv: string[];
  cwd: string;
  env: Record<string, string>;
  /** An fd open for append on the task's log; it becomes the task's stdout and stderr. */
  logFd: number;
  /** The log's path, by which the supervisor measures it when it starts an attempt. */
  logPath: string;
  /** This launch's journal (see journal.ts); it must not exist yet. */
  journalPath: string;
  /** What the supervisor does when the command ends. */
  restart: RestartSpec;
  /** The task's health check, if it has one. */
  health: HealthSpec | null;
  /** The log's cap, which the supervisor keeps while the command runs. */
  logs: LogSpec;
}

/**
 * A supervised task whose command is parked just before exec: record it, then `go()`;
 * or `abort()` and it never runs.
 */
export interface PendingLaunch {
  /** The command's pid (the exec keeps it). */
  pid: number;
  /** The supervisor's pid, which is also the task's process group and session id. */
  pgid: number;
  pidStart: string | null;
  supervisorStart: string | null;
  /** Lets the command run; resolves once it is being exec'd. */
  go(): Promise<void>;
  abort(): Promise<void>;
}

/**
 * Starts the supervisor detached (a new session and process group, stdin from /dev/null,
 * output to the log) and waits until it reports the command's pid.
 */
export function launchSupervised(request: LaunchRequest): Promise<PendingLaunch> {
  try {
    // Private, and new: O_EXCL refuses a file (or symlink) someone put there first.
    closeSync(openSync(request.journalPath, 'wx', 0o600));
  } catch (error) {
    return Promise.reject(
      new GhostError('DATA_DIR_UNUSABLE', `cannot create the supervisor journal ${request.journalPath}: ${describeSystemError(error)}`, {
        cause: error,
      }),
    );
  }
  let child: ChildProcess;
  const stdio: StdioOptions = ['ignore', request.logFd, request.logFd, 'pipe', 'pipe'];
  const devNull = maskInheritedDescriptors(stdio);
  try {
    // Loaded here: only starting a task needs it, and every command pays for what it imports.
    const { spawn } = process.getBuiltinModule('node:child_process');
    child = spawn(
      '/bin/sh',
      [
        '-c',
        SUPERVISOR_SCRIPT,
        SUPERVISOR_NAME,
        ...supervisorArgs(request.journalPath, request.restart, request.logPath, request.logs, request.health, probeScript(request.health, request.env.PATH)),
        ...request.argv,
      ],
      {
      cwd: request.cwd,
      env: request.env,
      detached: true,
      stdio,
    });
  } catch (error) {
    return Promise.reject(startFailed(error));
  } finally {
    if (devNull !== undefined) closeSync(devNull);
  }
  const report = child.stdio[3] as Readable;
  const goPipe = child.stdio[4] as Writable;

  return new Promise<PendingLaunch>((resolve, reject) => {
    let received = '';
    let settled = false;
    const fail = (error: GhostError) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      closePipes(child);
      if (child.pid) killGroup(child.pid);
      reject(error);
    };
    const timer = setTimeout(
      () => fail(new GhostError('START_FAILED', 'the task supervisor did not report in time; the machine may be overloaded')),
      REPORT_TIMEOUT_MS,
    );
    child.once('error', (error) => fail(startFailed(error)));
    child.once('exit', (code, signal) =>
      fail(new GhostError('START_FAILED', `the task supervisor ended before the command started (${signal ?? `exit ${code}`})`)),
    );
    report.on('error', () => {});
    goPipe.on('error', () => {});
    report.setEncoding('latin1');
    // Two lines come back: the parked command's pid, then (after the go-ahead) "started", just
    // before the command is exec'd.
    let confirmStarted: (() => void) | undefined;
    const started = new Promise<void>((resolve) => {
      confirmStarted = resolve;
    });
    report.on('end', () => confirmStarted?.());
    report.on('data', (chunk: string) => {
      received += chunk;
      const lines = received.split('\n');
      if (lines.length > 2) confirmStarted?.();
      if (lines.length < 2 || settled) return;
      const pid = Number(lines[0]);
      if (!Number.isInteger(pid) || pid <= 0 || !child.pid) {
        fail(new GhostError('START_FAILED', `the task supervisor reported a bad pid: ${JSON.stringify(received)}`));
        return;
      }
      settled = true;
      clearTimeout(timer);
      child.removeAllListeners('exit');
      resolve(pending(child, pid, goPipe, started));
    });
  });
}

function pending(child: ChildProcess, pid: number, goPipe: Writable, started: Promise<void>): PendingLaunch {
  const supervisorPid = child.pid!;
  // Both processes are parked (the command waits for "go"), so their identities are readable.
  return {
    pid,
    pgid: supervisorPid,
    pidStart: identity(processInfo(pid)),
    supervisorStart: identity(processInfo(supervisorPid)),
    async go() {
      goPipe.write('go\n');
      // Return once the command is being exec'd, so that whoever gets the task next (a signal,
      // a look at its descriptors) meets the command, not the parked shell. The supervisor
      // ending first, or a machine too slow to answer, does not hold the launch.
      const slow = new Promise<void>((resolve) => setTimeout(resolve, REPORT_TIMEOUT_MS).unref());
      const exited = new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) resolve();
        else child.once('exit', () => resolve());
      });
      await Promise.race([started, slow, exited]);
      closePipes(child);
      // Neither the pipes nor the child may keep this process alive.
      child.unref();
      for (const stream of child.stdio) (stream as { unref?: () => void } | null)?.unref?.();
    },
    async abort() {
      const exited = new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) resolve();
        else child.once('exit', () => resolve());
      });
      // Closing the pipe makes the parked `read` fail: the command is never exec'd.
      closePipes(child);
      const timeout = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), 5_000).unref());
      if ((await Promise.race([exited, timeout])) === 'timeout') killGroup(supervisorPid);
    },
  };
}

const O_CLOEXEC = 0o2000000;

/**
 * A task must not inherit descriptors its launcher inherited (a caller's pipe held open by a
 * long-running task makes that caller wait forever). Node opens its own descriptors
 * close-on-exec, so any other open descriptor came from our parent; sh cannot close
 * descriptors above 9, so those slots are pointed at /dev/null in the child instead.
 * Linux only (elsewhere the flags are not readable). Returns the /dev/null fd to close.
 */
function maskInheritedDescriptors(stdio: unknown[]): number | undefined {
  if (process.platform !== 'linux') return undefined;
  let inherited: number[];
  try {
    inherited = readdirSync('/proc/self/fdinfo')
      .map(Number)
      .filter((fd) => fd >= stdio.length && !isCloseOnExec(fd));
  } catch {
    return undefined;
  }
  if (inherited.length === 0) return undefined;
  const devNull = openSync('/dev/null', 'r');
  for (const fd of inherited) {
    if (fd === devNull) continue;
    while (stdio.length < fd) stdio.push('ignore');
    stdio[fd] = devNull;
  }
  return devNull;
}

function isCloseOnExec(fd: number): boolean {
  try {
    const flags = /^flags:\s*([0-7]+)/m.exec(readFileSync(`/proc/self/fdinfo/${fd}`, 'utf8'));
    return flags ? (Number.parseInt(flags[1]!, 8) & O_CLOEXEC) !== 0 : true;
  } catch {
    return true; // Closed meanwhile (e.g. the descriptor readdir itself used).
  }
}

function identity(info: ProcessInfo | null): string | null {
  return info ? info.start : null;
}

function closePipes(child: ChildProcess): void {
  for (const index of [3, 4]) (child.stdio[index] as Readable | Writable | null)?.destroy();
}

function killGroup(pgid: number): void {
  try {
    process.kill(-pgid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

function startFailed(error: unknown): GhostError {
  return new GhostError('START_FAILED', `cannot start the task supervisor: ${describeSystemError(error)}`, {
    cause: error,
  });
}
