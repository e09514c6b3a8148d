import type { Ghost } from '../ghost.js';
import { GHOST_CONTEXTS, type TaskContext } from '../tasks/context.js';

/** The task context of an open Ghost. */
export function contextOf(ghost: Ghost): TaskContext {
  const ctx = GHOST_CONTEXTS.get(ghost);
  if (!ctx) throw new TypeError('not an open Ghost');
  return ctx;
}
