// What a viewer that holds many tasks reads each time (Ghost.listChanges), and how it folds that
// into what it holds: one merge, so that every viewer keeps the same order as `list`.
import type { Task } from './types.js';

/** What `Ghost.listChanges` returns. */
export interface TaskChanges {
  /** Pass it to the next call. */
  cursor: number;
  /** `tasks` is every task: replace what you hold (else merge: see `mergeTaskChanges`). */
  full: boolean;
  /** Added or changed tasks, newest first (as `list` orders them). */
  tasks: Task[];
  /** Ids of the tasks removed since the cursor. */
  removed: string[];
}

/**
 * `held` (a list, newest first) with `changes` applied: removed and changed tasks leave their
 * places, changed ones take theirs by start time (a restart moves a task up). Linear in the
 * number held; the result is a new array, `held` is left as it was.
 */
export function mergeTaskChanges(held: readonly Task[], changes: TaskChanges): Task[] {
  if (changes.full) return changes.tasks;
  if (changes.tasks.length === 0 && changes.removed.length === 0) return [...held];
  const gone = new Set(changes.removed);
  for (const task of changes.tasks) gone.add(task.id);
  const incoming = [...changes.tasks].sort((a, b) => b.startedAt.getTime() - a.startedAt.getTime());
  const merged: Task[] = [];
  let next = 0;
  for (const task of held) {
    if (gone.has(task.id)) continue;
    while (next < incoming.length && incoming[next]!.startedAt.getTime() >= task.startedAt.getTime()) merged.push(incoming[next++]!);
    merged.push(task);
  }
  while (next < incoming.length) merged.push(incoming[next++]!);
  return merged;
}
