import { type LogAnchor, type Task } from '@ghost/core';
import { shortId } from '@ghost/core/format';

/**
 * Where a log or search result leaves off, for the next call to go on from: the task, the
 * output it reads (one run's, or with `run` null the whole log), and a position in the log
 * that rotation does not move (core's LogAnchor). `before`: read the lines before it instead.
 * Handed to the agent as an opaque string.
 */
export interface LogCursor {
  task: string;
  run: number | null;
  at: LogAnchor;
  before: boolean;
}

const VERSION = 1;

export function encodeCursor(cursor: LogCursor): string {
  const fields = [VERSION, cursor.task, cursor.run, cursor.at.run, cursor.at.delta, cursor.before ? 1 : 0];
  return Buffer.from(JSON.stringify(fields)).toString('base64url');
}

/** The cursor a result gave, for `task`; an error in one line for anything else. */
export function decodeCursor(text: string, task: Pick<Task, 'id' | 'name'>): LogCursor {
  let fields: unknown;
  try {
    fields = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    fields = undefined;
  }
  if (!isCursorFields(fields)) throw new Error('invalid cursor: pass a next_cursor or earlier_cursor from a log or search result as it is');
  const [, id, run, anchorRun, delta, before] = fields;
  if (id !== task.id) throw new Error(`that cursor is for another task (${shortId(id)}), not ${task.name ?? shortId(task.id)}`);
  return { task: id, run, at: { run: anchorRun, delta }, before: before === 1 };
}

function isCursorFields(value: unknown): value is [number, string, number | null, number | null, number, 0 | 1] {
  if (!Array.isArray(value) || value.length !== 6 || value[0] !== VERSION || typeof value[1] !== 'string') return false;
  const [, , run, anchorRun, delta, before] = value as unknown[];
  const runNumber = (field: unknown) => field === null || (Number.isInteger(field) && (field as number) >= 1);
  return runNumber(run) && runNumber(anchorRun) && Number.isInteger(delta) && (before === 0 || before === 1);
}
