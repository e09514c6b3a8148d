import { closeSync, constants, fstatSync, openSync, readFileSync, readSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { signalName } from '../process/signals.js';

/**
 * The supervisor protocol. Every launch gets a journal of its own, `journal/<launch-id>`, named
 * by a fresh random id before the supervisor starts: a launch that is aborted, loses a race or
 * whose launcher is SIGKILLed writes only to a journal no run refers to, never to a live run's.
 * The launcher creates the file (0600, O_EXCL) and the supervisor appends one line per event;
 * the next ghost command that reads state folds the events into the runs. The supervisor never
 * touches SQLite. A launch makes one or more attempts (restarts); each is a run.
 *
 *   ghost-supervisor <version> <pid> [clock]   first: the protocol version, who writes, and the
 *                                              clock of the times below (`uptime`: ms since boot;
 *                                              `epoch`: ms since 1970; version 1 had none)
 *   started <pid>                              the current attempt's command was exec'd
 *   exited <status> [time]                     the shell's $? for it
 *   restarting <delay-ms> <time>               the next attempt is due after the delay
 *   attempt <n> <time> [offset]                attempt n (2, 3, ...) begins, the log this big
 *                                              (where its output starts; older ones had none)
 *   gave-up <time>                             the restart limit was reached: no more attempts
 *   stop <signal>                              a stop is about to send this signal (written by
 *                                              the stopping ghost process, before it signals)
 *   kill <signal>                              `ghost kill` is about to send it
 *   rotated <bytes> [time]                     the log's first <bytes> were rotated away
 *                                              (by ghost, see logs/rotate.ts, or from v4 by
 *                                              the supervisor): the offsets above are that
 *                                              much smaller now
 *   healthy <time>                             the current attempt's probe passed (v3)
 *   unhealthy <time>                           it failed `retries` times in a row (v3)
 *   health-kill <signal> <time>                the supervisor ends the unhealthy attempt (v3)
 *
 * Lines are short single writes with O_APPEND, so they land whole and in order; a reader
 * ignores an unterminated last line (a write in progress). Unknown events are skipped, so a
 * newer supervisor (healthy, unhealthy, limit …) can be read by this code. Without times
 * (version 1), an end time is the journal's mtime: the append that recorded it set it.
 */
export const JOURNAL_VERSION = 4;

/** What the parked child exits with when the launcher closes the go-ahead pipe instead. */
export const LAUNCH_ABORTED_STATUS = 125;

export interface JournalEnd {
  status: 'exited' | 'killed';
  exitCode: number | null;
  signal: string | null;
  finishedAt: number;
}

/** One start of the command by the supervisor. */
export interface Attempt {
  /** 1 for the launch's first, then 2, 3, ... */
  number: number;
  /** When it began (ms since the epoch); null for the first, whose launcher knows. */
  startedAt: number | null;
  /** The command's pid once it was exec'd. */
  pid: number | null;
  /**
   * Where its output starts in the log (less what rotation has removed since: negative when
   * its start was rotated away); null for the first (the launcher knows) and for old supervisors.
   */
  logOffset: number | null;
  /** How it ended, once it has. */
  end: JournalEnd | null;
  /** `ghost kill` signalled it (a command a user's signal ended is not started again). */
  killed: boolean;
  /** What its probe said last, and when (null: nothing yet). */
  health: Health | null;
  healthAt: number | null;
  /** The supervisor ended it for being unhealthy. */
  healthKilled: boolean;
  /** A stop was announced while it ran (`stop` before its `exited`): it ended because it was asked to. */
  stopped: boolean;
}

/** A running task's health, once its probe has said something. */
export type Health = 'healthy' | 'unhealthy';

export interface Journal {
  version: number;
  /** The supervisor that wrote it, by pid (its identity is checked against the run's). */
  supervisorPid: number;
  /** Every attempt so far, in order; the first is always there. */
  attempts: Attempt[];
  /** When the next attempt is due, while the supervisor waits out a backoff; else null. */
  restartAt: number | null;
  /** The supervisor reached its restart limit. */
  gaveUp: boolean;
  /** The launch ended before the command ran (no go-ahead): `exited 125` with no `started`. */
  aborted: boolean;
  /** The strongest signal a stop announced (SIGKILL over anything else), or null. */
  stopSignal: string | null;
  /** The bytes all its `rotated` lines moved out of the log. */
  rotated: number;
}

export function journalPath(journalDir: string, launchId: string): string {
  return join(journalDir, launchId);
}

/**
 * A journal grows by a few lines per restart; one this big is not one of ours (or a task that
 * restarted tens of thousands of times) and is not read whole.
 */
const MAX_JOURNAL_BYTES = 4 * 1024 * 1024;

/** Reads a launch's journal, or null if there is none or it is not one (yet). */
export function readJournal(path: string): Journal | null {
  let text: string;
  let mtimeMs: number;
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return null;
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) return null;
    const buffer = Buffer.alloc(Math.min(stat.size, MAX_JOURNAL_BYTES));
    const length = readSync(fd, buffer, 0, buffer.length, 0);
    text = buffer.subarray(0, length).toString('latin1');
    mtimeMs = stat.mtimeMs;
  } catch {
    return null;
  } finally {
    closeSync(fd);
  }
  return parseJournal(text, Math.round(mtimeMs), clocks());
}

/**
 * How far apart two reads may put one time a supervisor recorded on the uptime clock:
 * /proc/uptime counts in 10 ms steps, and is read a moment apart from Date.now(). Times closer
 * than this are the same time.
 */
export const CLOCK_STEP_MS = 20;

/** Now, on each clock a supervisor may use, to turn its times into times since the epoch. */
export interface Clocks {
  epochMs: number;
  uptimeMs: number | null;
}

export function clocks(): Clocks {
  let uptimeMs: number | null = null;
  try {
    uptimeMs = Number.parseFloat(readFileSync('/proc/uptime', 'latin1')) * 1000;
  } catch {
    // Not Linux: supervisors there use the epoch.
  }
  return { epochMs: Date.now(), uptimeMs };
}

export function parseJournal(text: string, mtimeMs: number, now: Clocks = { epochMs: Date.now(), uptimeMs: null }): Journal | null {
  const complete = text.slice(0, text.lastIndexOf('\n') + 1);
  const lines = complete.split('\n').slice(0, -1);
  const header = /^ghost-supervisor (\d+) (\d+)(?: (uptime|epoch))?$/.exec(lines[0] ?? '');
  if (!header) return null;
  const clock = header[3];
  // A time as the supervisor wrote it, in ms since the epoch; null if it wrote none.
  const when = (value: string | undefined): number | null => {
    if (value === undefined || !/^\d+$/.test(value)) return null;
    if (clock === 'epoch') return Number(value);
    if (clock === 'uptime' && now.uptimeMs !== null) return Math.round(now.epochMs - (now.uptimeMs - Number(value)));
    return null;
  };
  const first: Attempt = newAttempt(1, null);
  const journal: Journal = {
    version: Number(header[1]),
    supervisorPid: Number(header[2]),
    attempts: [first],
    restartAt: null,
    gaveUp: false,
    aborted: false,
    stopSignal: null,
    rotated: 0,
  };
  let current = first;
  for (const line of lines.slice(1)) {
    const [event, value, time, extra] = line.split(' ');
    const number = value !== undefined && /^\d+$/.test(value) ? Number(value) : null;
    if (event === 'started' && number !== null) current.pid = number;
    else if (event === 'exited' && number !== null) {
      current.end = { ...decodeShellStatus(number), finishedAt: when(time) ?? mtimeMs };
    } else if (event === 'restarting' && number !== null) {
      const at = when(time);
      journal.restartAt = at === null ? null : at + number;
    } else if (event === 'attempt' && number !== null) {
      const logOffset = extra !== undefined && /^\d+$/.test(extra) ? Number(extra) : null;
      current = { ...newAttempt(number, when(time)), logOffset };
      journal.attempts.push(current);
      journal.restartAt = null;
    } else if (event === 'gave-up') journal.gaveUp = true;
    else if (event === 'kill') current.killed = true;
    else if (event === 'rotated' && number !== null) {
      journal.rotated += number;
      for (const attempt of journal.attempts) if (attempt.logOffset !== null) attempt.logOffset -= number;
    } else if (event === 'healthy' || event === 'unhealthy') {
      current.health = event;
      current.healthAt = when(value) ?? mtimeMs;
    } else if (event === 'health-kill') current.healthKilled = true;
    else if (event === 'stop' && value !== undefined && /^SIG[A-Z0-9]+$/.test(value)) {
      if (journal.stopSignal !== 'SIGKILL') journal.stopSignal = value;
      if (!current.end) current.stopped = true;
    }
  }
  // `read || exit 125` in the parked child: the go-ahead never came. Any other status with no
  // start is a signal that reached the child while parked (the user's, so it is reported).
  if (first.end && first.pid === null && first.end.exitCode === LAUNCH_ABORTED_STATUS) journal.aborted = true;
  return journal;
}

function newAttempt(number: number, startedAt: number | null): Attempt {
  return { number, startedAt, pid: null, logOffset: null, end: null, killed: false, health: null, healthAt: null, healthKilled: false, stopped: false };
}

/**
 * Turns a shell's `$?` into an outcome: above 128 is death by signal ($? - 128) when such a
 * signal exists; otherwise it is an exit code (so 255 stays exit code 255).
 * A command that itself exits with 128+n is indistinguishable from one killed by signal n:
 * every shell has this ambiguity.
 */
export function decodeShellStatus(value: number): Omit<JournalEnd, 'finishedAt'> {
  if (value > 128 && value < 256) {
    const name = signalName(value - 128);
    if (name) return { status: 'killed', exitCode: null, signal: name };
  }
  return { status: 'exited', exitCode: value, signal: null };
}

/**
 * Appends an event to an existing journal (never creating one: a consumed journal stays gone).
 * False if it could not be written. One short write with O_APPEND lands whole, even on a full
 * disk as long as the journal's last block has room, which a few dozen bytes always leave.
 */
export function appendEvent(path: string, line: string): boolean {
  try {
    const fd = openSync(path, constants.O_WRONLY | constants.O_APPEND | constants.O_NOFOLLOW);
    try {
      writeSync(fd, `${line}\n`);
    } finally {
      closeSync(fd);
    }
    return true;
  } catch {
    return false;
  }
}

export function removeFile(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // Already removed by another ghost process.
  }
}
