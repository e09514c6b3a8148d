// What part of a task's log the log and search tools read: one run's output (the current
// run's by default, so that output from before a restart is not taken for current output) or
// the whole log, and where in it a cursor from an earlier result goes on.
import { type Ghost, type Run, type RunLogRange, type Task, anchoredOffset, isGhostError, logAnchor } from '@ghost/core';
import { shortId, statusText } from '@ghost/core/format';
import { z } from 'zod';
import { decodeCursor, encodeCursor } from './cursor.js';
import { taskRef } from './tool.js';
import { taskSchema } from './wire-schemas.js';

export const scopeArgs = {
  task: taskRef,
  run: z
    .number()
    .int()
    .min(1)
    .optional()
    .describe("Only this run's output (1 is the first start; each restart is the next run). Default: the current run's, so that output from before a restart is not taken for current output"),
  all_runs: z.boolean().optional().describe("The whole log, every run's output oldest first, instead of one run's"),
  cursor: z
    .string()
    .min(1)
    .optional()
    .describe('Go on where an earlier result left off: its next_cursor (what follows, including output written since) or earlier_cursor (what came before). Give it alone: it says which run'),
  offset: z.number().int().min(0).optional().describe("Start at this byte offset of the log, e.g. a search match's offset"),
};

type ScopeArgs = Partial<z.output<z.ZodObject<typeof scopeArgs>>> & { task: string };

/** The fields that say what a result read, in both tools' results. */
export const scopeShape = {
  task: z.string().describe("The task's id"),
  name: z.string().nullable(),
  status: taskSchema.shape.status,
  run: z.number().int().nullable().describe("The run whose output this is; null: the whole log's"),
  current_run: z.number().int().describe("The task's current run"),
  output_start: z.number().int().describe('Where that output starts in the log, in bytes'),
  output_end: z.number().int().describe('Where it ends now'),
  next_cursor: z.string().describe('Pass as cursor to go on after this result, now or later (new output)'),
};

export interface LogScope {
  task: Task;
  /** The run whose output is read, or null for the whole log. */
  run: number | null;
  range: RunLogRange | undefined;
  /** The task's runs, with their offsets now. */
  runs: Run[];
  /** Where a cursor or an offset says to read, if one was given. */
  from: { offset: number; before: boolean } | undefined;
  /** What the reader should know about the scope (rotation, a run without offsets). */
  notes: string[];
}

export function logScope(ghost: Ghost, args: ScopeArgs): LogScope {
  const task = ghost.status(args.task);
  const cursor = args.cursor === undefined ? undefined : decodeCursor(args.cursor, task);
  if (cursor && (args.run !== undefined || args.all_runs || args.offset !== undefined)) {
    throw new Error('give cursor alone, without run, all_runs or offset: it says what to read');
  }
  if (args.run !== undefined && args.all_runs) throw new Error('give run or all_runs, not both');
  const notes: string[] = [];
  let run = cursor ? cursor.run : args.all_runs ? null : (args.run ?? task.run);
  let range: RunLogRange | undefined;
  if (run !== null) {
    try {
      range = ghost.runLogRange(task, run);
    } catch (error) {
      // A task from before ghost recorded where runs start: its whole log is all there is.
      if (cursor || args.run !== undefined || !isGhostError(error) || error.code !== 'LOG_NOT_KEPT') throw error;
      notes.push(`where run ${run} starts in the log was not recorded, so this is the whole log`);
      run = null;
    }
  }
  if (range && range.rotatedBytes > 0) notes.push(`the first ${range.rotatedBytes} bytes of run ${range.run}'s output were rotated out of the log (to ${task.logPath}.1)`);
  const runs = ghost.runs(task);
  let from: LogScope['from'];
  if (cursor) {
    const at = anchoredOffset(task, runs, cursor.at);
    if (at.rotatedBytes > 0) notes.push(`${at.rotatedBytes} bytes after the cursor were rotated out of the log before they were read`);
    from = { offset: at.offset, before: cursor.before };
  } else if (args.offset !== undefined) {
    from = { offset: args.offset, before: false };
  }
  return { task, run, range, runs, from, notes };
}

/** A cursor that goes on from byte `offset` of the scope's output (or, `before`, reads what precedes it). */
export function cursorAt(scope: LogScope, offset: number, before = false): string {
  return encodeCursor({ task: scope.task.id, run: scope.run, at: logAnchor(scope.runs, offset), before });
}

/** The scope fields of a result; `end`: the output's end when read. */
export function scopeJSON(scope: LogScope, end: number, next: number): z.output<z.ZodObject<typeof scopeShape>> {
  return {
    task: scope.task.id,
    name: scope.task.name,
    status: scope.task.status,
    run: scope.run,
    current_run: scope.task.run,
    output_start: scope.range?.start ?? 0,
    output_end: end,
    next_cursor: cursorAt(scope, next),
  };
}

/** What output a result is of, in words: "run 2's output", "the whole log". */
export function scopeText(scope: LogScope): string {
  if (scope.run === null) return 'the whole log';
  return `run ${scope.run}'s output${scope.run === scope.task.run ? ' (the current run)' : ` (the current run is ${scope.task.run})`}`;
}

export function statusNote(task: Task): string {
  return `task ${task.name ?? shortId(task.id)} is ${statusText(task)}`;
}
