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
  if (!Number.isInteger(run) || index < 0) {
    const latest = Math.max(0, ...runs.map((entry) => entry.run));
    throw new GhostError('RUN_NOT_FOUND', `task ${shortId(task.id)} has no run ${run} (its runs are 1 to ${latest})`, { details });
  }
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
