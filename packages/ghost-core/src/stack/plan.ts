import type { StoredTask } from '../db/task-store.js';
import type { Ghost } from '../ghost.js';
import { isActive, reconcileTask } from '../tasks/reconcile.js';
import { publicTask } from '../tasks/terminate.js';
import type { Task } from '../tasks/types.js';
import { contextOf } from './context.js';
import { serviceDigest } from './digest.js';
import { checkGraph } from './graph.js';
import type { StackSpec } from './model.js';

/**
 * What `up` does to a service:
 * - `start`: there is no task for it, or its task has ended (it starts again: same task, a new run);
 * - `restart`: its task runs a definition that differs from the file's (it is stopped and started again);
 * - `unchanged`: its task runs (or waits to restart) the file's definition, or, for a one-shot
 *   that a dependent needs `completed_successfully`, has completed it with exit code 0.
 */
export type ServiceAction = 'start' | 'restart' | 'unchanged';

export interface ServicePlan {
  service: string;
  action: ServiceAction;
  /** Why: no task yet (`missing`), its task `ended`, its definition `changed`, it is `running`, or it `completed`. */
  reason: 'missing' | 'ended' | 'changed' | 'running' | 'completed';
  /** Its task as it is now (null when missing). */
  task: Task | null;
  /** The digest of the file's definition (see `serviceDigest`). */
  digest: string;
}

/** The difference between a stack's file and the recorded tasks of its project. */
export interface StackPlan {
  project: string;
  /** One per service of the file, in file order. */
  services: ServicePlan[];
  /** Tasks of the project whose service is no longer in the file (`removeOrphans` removes them). */
  orphans: Task[];
  /** False when applying it would change nothing (every service unchanged, no orphans). */
  changes: boolean;
}

/** Internal: the plan with the stored tasks it was computed from. */
export interface StoredPlan extends StackPlan {
  stored: Map<string, StoredTask>;
}

/**
 * The plan for a stack, from the state as it is now (running tasks reconciled first). Refuses
 * a stack whose graph is broken (UNKNOWN_SERVICE, DEPENDENCY_CYCLE) before looking at anything.
 */
export function plan(ghost: Ghost, stack: StackSpec): StackPlan {
  const { stored: _stored, ...data } = planStored(ghost, stack);
  return data;
}

export function planStored(ghost: Ghost, stack: StackSpec): StoredPlan {
  const byName = checkGraph(stack);
  const ctx = contextOf(ghost);
  const stored = new Map(ctx.store.ofProject(stack.project).map((task) => [task.service!, reconcileTask(ctx, task)]));
  const oneShots = new Set(stack.services.flatMap((service) => Object.entries(service.dependsOn).filter(([, c]) => c === 'completed_successfully').map(([name]) => name)));
  const services = stack.services.map((service): ServicePlan => {
    const digest = serviceDigest(service);
    const task = stored.get(service.name);
    const shown = task ? publicTask(task) : null;
    if (!task) return { service: service.name, action: 'start', reason: 'missing', task: null, digest };
    const same = task.serviceDigest === digest;
    if (isActive(task)) return { service: service.name, action: same ? 'unchanged' : 'restart', reason: same ? 'running' : 'changed', task: shown, digest };
    if (same && oneShots.has(service.name) && task.status === 'exited' && task.exitCode === 0) {
      return { service: service.name, action: 'unchanged', reason: 'completed', task: shown, digest };
    }
    return { service: service.name, action: 'start', reason: 'ended', task: shown, digest };
  });
  const orphans = [...stored.values()].filter((task) => !byName.has(task.service!)).map(publicTask);
  return {
    project: stack.project,
    services,
    orphans,
    changes: orphans.length > 0 || services.some((service) => service.action !== 'unchanged'),
    stored,
  };
}
