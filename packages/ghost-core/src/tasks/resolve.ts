import type { StoredTask } from '../db/task-store.js';
import { GhostError, type UnresolvedRef, isGhostError } from '../errors.js';
import { shortId } from '../format/task-text.js';
import type { TaskContext } from './context.js';

const MAX_CANDIDATES = 5;

/**
 * What names a task to an operation: a reference as a person types it (a full id, a unique id
 * prefix or a name), or a task already resolved (from `resolve` or `list`), which is looked up
 * by its id alone and never read as a name or prefix again, or a reference typed within a
 * project (`{ref, project}`): the project's service of that name if it has one, else as a
 * plain reference.
 */
export type TaskTarget = string | { readonly id: string } | ProjectRef;

/** A reference typed within a project (say, in its directory): its service first. */
export interface ProjectRef {
  readonly ref: string;
  readonly project: string;
}

/**
 * Finds the task a person means by `ref`: a full id, a task name (the newest task with that
 * name), or a unique prefix of an id, in that order. Throws TASK_NOT_FOUND, or TASK_AMBIGUOUS
 * with the candidates in its details.
 */
export function resolveTask(ctx: TaskContext, ref: string): StoredTask {
  const wanted = ref.trim();
  if (wanted === '') throw new GhostError('INVALID_ARGUMENT', 'a task id or name is required', { details: { argument: 'task', value: ref, ref } });
  const exact = ctx.store.get(wanted);
  if (exact) return exact;
  const named = ctx.store.newestNamed(wanted);
  if (named) return named;
  if (/^[0-9a-f-]+$/i.test(wanted)) {
    const matches = ctx.store.withIdPrefix(wanted.toLowerCase(), MAX_CANDIDATES + 1);
    if (matches.length === 1) return matches[0]!;
    if (matches.length > 1) {
      const candidates = matches.slice(0, MAX_CANDIDATES).map((task) => ({ id: task.id, name: task.name }));
      throw new GhostError('TASK_AMBIGUOUS', `"${wanted}" matches several tasks`, {
        details: { ref: wanted, candidates, more: matches.length > MAX_CANDIDATES },
      });
    }
  }
  throw new GhostError('TASK_NOT_FOUND', `no task matches "${wanted}"`, { details: { ref: wanted } });
}

/** The stored task a target names (see TaskTarget). */
export function resolveTarget(ctx: TaskContext, target: TaskTarget): StoredTask {
  if (typeof target === 'string') return resolveTask(ctx, target);
  if ('ref' in target) return ctx.store.ofService(target.project, target.ref.trim()) ?? resolveTask(ctx, target.ref);
  const stored = ctx.store.get(target.id);
  if (!stored) throw new GhostError('TASK_NOT_FOUND', `task ${shortId(target.id)} no longer exists`, { details: { id: target.id } });
  return stored;
}

/**
 * Resolves every target before anything acts on one, so a typo cannot leave the others half
 * done: the tasks in the order given, each once. If any does not resolve, throws the first
 * one's error with every failure in `details.unresolved` (and, for several, in its message).
 */
export function resolveTasks(ctx: TaskContext, targets: readonly TaskTarget[]): StoredTask[] {
  const found = new Map<string, StoredTask>();
  const failures: { error: GhostError; unresolved: UnresolvedRef }[] = [];
  for (const target of targets) {
    try {
      const task = resolveTarget(ctx, target);
      if (!found.has(task.id)) found.set(task.id, task);
    } catch (error) {
      if (!isGhostError(error)) throw error;
      const ref = typeof target === 'string' ? target : 'ref' in target ? target.ref : target.id;
      const { candidates, more } = error.details;
      failures.push({ error, unresolved: { ref, code: error.code, message: error.message, ...(candidates && { candidates, more: more === true }) } });
    }
  }
  const first = failures[0];
  if (!first) return [...found.values()];
  const unresolved = failures.map((failure) => failure.unresolved);
  const message = failures.length === 1 ? first.error.message : unresolved.map((entry) => entry.message).join('; ');
  throw new GhostError(first.error.code, message, { details: { ...first.error.details, unresolved } });
}
