import type { Ghost } from '../ghost.js';

/** How many lines of a failed service's log an error carries. */
export const LOG_TAIL_LINES = 20;

/** The last lines of a task's log, as text (empty if it cannot be read). */
export function logTail(ghost: Ghost, id: string): string[] {
  try {
    const lines = ghost.readLog({ id }, { tail: LOG_TAIL_LINES }).toString('utf8').split('\n');
    if (lines.at(-1) === '') lines.pop();
    return lines;
  } catch {
    return [];
  }
}
