import type { StoredTask } from '../db/task-store.js';
import { GhostError } from '../errors.js';
import { taskLabel } from '../format/task-text.js';
import type { TaskContext } from './context.js';

const MAX_CANDIDATES = 5;

/**
 * Finds the task a person means by `ref`: a full id, a task name (the newest task with that
 * name), or a unique prefix of an id, in that order. Throws TASK_NOT_FOUND, or TASK_AMBIGUOUS
 * listing the candidates.
 */
export function resolveTask(ctx: TaskContext, ref: string): StoredTask {
  const wanted = ref.trim();
  if (wanted === '') throw new GhostError('INVALID_ARGUMENT', 'a task id or name is required');
  const exact = ctx.store.get(wanted);
  if (exact) return exact;
  const named = ctx.store.newestNamed(wanted);
  if (named) return named;
  if (/^[0-9a-f-]+$/i.test(wanted)) {
    const matches = ctx.store.withIdPrefix(wanted.toLowerCase(), MAX_CANDIDATES + 1);
    if (matches.length === 1) return matches[0]!;
    if (matches.length > 1) {
      const listed = matches
        .slice(0, MAX_CANDIDATES)
        .map(taskLabel);
      const more = matches.length > MAX_CANDIDATES ? ', …' : '';
      throw new GhostError('TASK_AMBIGUOUS', `"${wanted}" matches several tasks: ${listed.join(', ')}${more}; use more of the id`);
    }
  }
  throw new GhostError('TASK_NOT_FOUND', `no task matches "${wanted}" (see ghost list)`);
}
