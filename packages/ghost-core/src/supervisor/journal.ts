import { closeSync, constants, fstatSync, openSync, readSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { signalName } from '../process/signals.js';

/**
 * The supervisor protocol. Every launch gets a journal of its own, `journal/<launch-id>`, named
 * by a fresh random id before the supervisor starts: a launch that is aborted, loses a race or
 * whose launcher is SIGKILLed writes only to a journal no run refers to, never to a live run's.
 * The launcher creates the file (0600, O_EXCL) and the supervisor appends one line per event;
 * the next ghost command that reads state folds the events into the run's row. The supervisor
 * never touches SQLite.
 *
 *   ghost-supervisor <version> <supervisor-pid>   first: the protocol version and who writes
 *   started <pid>                                 the command was exec'd (the go-ahead came)
 *   exited <status>                               the shell's $? for the command
 *   stop <signal>                                 a stop is about to send this signal (written by
 *                                                 the stopping ghost process, before it signals)
 *
 * Lines are short single writes with O_APPEND, so they land whole and in order; a reader
 * ignores an unterminated last line (a write in progress). Unknown events are skipped, so a
 * newer supervisor (restarting, healthy, unhealthy, limit …) can be read by this code.
 * The end time is the journal's mtime once `exited` is its last event: the append sets it.
 */
export const JOURNAL_VERSION = 1;

/** What the parked child exits with when the launcher closes the go-ahead pipe instead. */
export const LAUNCH_ABORTED_STATUS = 125;

export interface JournalEnd {
  status: 'exited' | 'killed';
  exitCode: number | null;
  signal: string | null;
  finishedAt: number;
}

export interface Journal {
  version: number;
  /** The supervisor that wrote it, by pid (its identity is checked against the run's). */
  supervisorPid: number;
  /** The command's pid once it was exec'd; null if the launch never got the go-ahead. */
  startedPid: number | null;
  /** How the command ended, once it has; null while it runs. */
  end: JournalEnd | null;
  /** The launch ended before the command ran (no go-ahead): `exited 125` with no `started`. */
  aborted: boolean;
  /** The strongest signal a stop announced (SIGKILL over anything else), or null. */
  stopSignal: string | null;
}

export function journalPath(journalDir: string, launchId: string): string {
  return join(journalDir, launchId);
}

/** Journals are tiny; anything bigger than this is not one of ours and is not read whole. */
const MAX_JOURNAL_BYTES = 64 * 1024;

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
  return parseJournal(text, Math.round(mtimeMs));
}

export function parseJournal(text: string, mtimeMs: number): Journal | null {
  const complete = text.slice(0, text.lastIndexOf('\n') + 1);
  const lines = complete.split('\n').slice(0, -1);
  const header = /^ghost-supervisor (\d+) (\d+)$/.exec(lines[0] ?? '');
  if (!header) return null;
  const journal: Journal = {
    version: Number(header[1]),
    supervisorPid: Number(header[2]),
    startedPid: null,
    end: null,
    aborted: false,
    stopSignal: null,
  };
  for (const line of lines.slice(1)) {
    const [event, value] = line.split(' ');
    if (event === 'started' && value !== undefined && /^\d+$/.test(value)) journal.startedPid = Number(value);
    else if (event === 'exited' && value !== undefined && /^\d+$/.test(value)) {
      journal.end = { ...decodeShellStatus(Number(value)), finishedAt: mtimeMs };
    } else if (event === 'stop' && value !== undefined && /^SIG[A-Z0-9]+$/.test(value) && journal.stopSignal !== 'SIGKILL') {
      journal.stopSignal = value;
    }
  }
  // `read || exit 125` in the parked child: the go-ahead never came. Any other status with no
  // start is a signal that reached the child while parked (the user's, so it is reported).
  if (journal.end && journal.startedPid === null && journal.end.exitCode === LAUNCH_ABORTED_STATUS) journal.aborted = true;
  return journal;
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
