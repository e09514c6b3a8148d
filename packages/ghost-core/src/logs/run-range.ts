import { GhostError, type TaskMention, mention } from '../errors.js';
import { shortId } from '../format/task-text.js';
import type { Run } from '../tasks/types.js';
import type { LogRange } from './read.js';

/** Where run `run`'s output is in the task's log, with how much of its start was rotated away. */
export interface RunLogRange extends LogRange {
  run: number;
  /** Bytes of its output (from its start) that rotation removed from the log: in `<log>.1` … or gone. */
  rotatedBytes: number;
}

/**
 * One run's bytes in its task's log: from its recorded offset to the next run's, or to the end.
 * Offsets shrink as the log is rotated (see rotate.ts), so a negative start means the run's
 * beginning was rotated away. Throws RUN_NOT_FOUND for a run the task never had, LOG_NOT_KEPT
 * for one whose output is no longer in the log (rotated away, or its start never recorded).
 */
export function runLogRange(task: TaskMention, runs: readonly Pick<Run, 'run' | 'logOffset'>[], run: number): RunLogRange {
  const index = runs.findIndex((entry) => entry.run === run);
  const details = { ...mention(task), run };
  if (!Number.isInteger(run) || index < 0) throw noSuchRun(task, runs, run);
  const start = runs[index]!.logOffset;
  // The next run's start ends this one; `runs` may come in either order.
  const next = runs.filter((entry) => entry.run > run).sort((a, b) => a.run - b.run)[0];
  if (start === null || (next && next.logOffset === null)) {
    throw new GhostError('LOG_NOT_KEPT', `where run ${run} of task ${shortId(task.id)} starts in its log was not recorded`, { details });
  }
  const end = next ? next.logOffset : null;
  if (end !== null && end <= 0) {
    throw new GhostError('LOG_NOT_KEPT', `the output of run ${run} of task ${shortId(task.id)} was rotated out of its log`, { details });
  }
  return { run, start: Math.max(0, start), end, rotatedBytes: Math.max(0, -start) };
}

/**
 * A byte of a task's log, named so that rotation does not move it: its distance from where a
 * run's output starts (rotation shifts every run's offset by the bytes it removed, so the
 * distance stays). `run` is null for a log whose runs' offsets were never recorded: then
 * `delta` is the plain offset.
 */
export interface LogAnchor {
  run: number | null;
  delta: number;
}

/** The anchor of byte `offset` of the log now: counted from the newest run whose start is recorded. */
export function logAnchor(runs: readonly Pick<Run, 'run' | 'logOffset'>[], offset: number): LogAnchor {
  const base = newestRecorded(runs);
  return base ? { run: base.run, delta: offset - base.logOffset } : { run: null, delta: offset };
}

/**
 * Where an anchor's byte is in the log now, and how many bytes from it on rotation has removed
 * since (then `offset` is 0: the oldest byte kept). A run the task no longer has (it cannot
 * lose one) gives RUN_NOT_FOUND.
 */
export function anchoredOffset(task: TaskMention, runs: readonly Pick<Run, 'run' | 'logOffset'>[], anchor: LogAnchor): { offset: number; rotatedBytes: number } {
  if (anchor.run === null) return { offset: Math.max(0, anchor.delta), rotatedBytes: 0 };
  const base = runs.find((entry) => entry.run === anchor.run);
  if (!base) throw noSuchRun(task, runs, anchor.run);
  const offset = (base.logOffset ?? 0) + anchor.delta;
  return offset < 0 ? { offset: 0, rotatedBytes: -offset } : { offset, rotatedBytes: 0 };
}

function noSuchRun(task: TaskMention, runs: readonly Pick<Run, 'run'>[], run: number): GhostError {
  const latest = Math.max(0, ...runs.map((entry) => entry.run));
  return new GhostError('RUN_NOT_FOUND', `task ${shortId(task.id)} has no run ${run} (its runs are 1 to ${latest})`, { details: { ...mention(task), run } });
}

function newestRecorded(runs: readonly Pick<Run, 'run' | 'logOffset'>[]): { run: number; logOffset: number } | undefined {
  let newest: { run: number; logOffset: number } | undefined;
  for (const entry of runs) {
    if (entry.logOffset !== null && (!newest || entry.run > newest.run)) newest = { run: entry.run, logOffset: entry.logOffset };
  }
  return newest;
}
