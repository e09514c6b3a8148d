import { GhostError } from '../errors.js';
import type { Ghost } from '../ghost.js';
import { checkName } from '../tasks/run.js';
import type { StopResult } from '../tasks/terminate.js';
import type { Task } from '../tasks/types.js';
import { checkGraph, checkSelected, withDependents } from './graph.js';
import type { ServiceSpec, StackSpec } from './model.js';
import { serviceStopOptions } from './service-options.js';
import type { StackProgress } from './up.js';

export interface DownOptions {
  /** Only these services, and every service that depends on them (default: all). */
  services?: readonly string[] | undefined;
  /** Also remove the tasks (and their logs) once stopped. */
  remove?: boolean | undefined;
  onProgress?: ((progress: StackProgress) => void) | undefined;
}

export interface DownResult {
  project: string;
  /** One per service task stopped (including those that had already ended), in the order they ended. */
  stopped: StopResult[];
  /** The tasks removed (with `remove`). */
  removed: Task[];
}

/**
 * Stops a stack's services in reverse dependency order: a service is stopped once every
 * service that depends on it has stopped (independent ones in parallel), each with its own
 * stop signal and timeout. Given a project name instead of a stack, there is no file to read
 * dependencies from: its tasks are stopped all at once. Tasks of the project whose service is
 * not in the stack are left alone (see `up`'s `removeOrphans`).
 */
export async function down(ghost: Ghost, target: StackSpec | string, options: DownOptions = {}): Promise<DownResult> {
  const stack = typeof target === 'string' ? undefined : target;
  const project = typeof target === 'string' ? checkName(target, 'project')! : target.project;
  const byName = stack ? checkGraph(stack) : new Map<string, ServiceSpec>();
  const tasks = new Map(ghost.list({ project }).filter((task) => task.service !== null).map((task) => [task.service!, task]));
  let selected: Set<string>;
  if (stack) {
    checkSelected(stack, byName, options.services ?? []);
    selected = withDependents(byName, options.services);
  } else {
    const unknown = (options.services ?? []).find((name) => !tasks.has(name));
    if (unknown !== undefined) {
      throw new GhostError('UNKNOWN_SERVICE', `project ${project} has no service ${unknown}`, { details: { project, service: unknown, services: [...tasks.keys()] } });
    }
    selected = new Set(options.services?.length ? options.services : tasks.keys());
  }
  const report = (progress: Omit<StackProgress, 'project'>) => options.onProgress?.({ project, ...progress });
  const stopped: StopResult[] = [];
  const done = new Map<string, Promise<void>>();
  const stopService = (name: string): Promise<void> => {
    let promise = done.get(name);
    if (promise) return promise;
    promise = (async () => {
      // Its selected dependents go first.
      const dependents = [...byName.values()].filter((service) => selected.has(service.name) && name in service.dependsOn);
      await Promise.all(dependents.map((service) => stopService(service.name)));
      const task = tasks.get(name);
      if (!task) return;
      const result = await ghost.stop({ id: task.id }, serviceStopOptions(byName.get(name)));
      stopped.push(result);
      report({ service: name, state: 'stopped', task: result.task });
    })();
    done.set(name, promise);
    return promise;
  };
  await Promise.all([...selected].map(stopService));
  const removed: Task[] = [];
  if (options.remove) {
    const ids = [...selected].flatMap((name) => (tasks.has(name) ? [{ id: tasks.get(name)!.id }] : []));
    if (ids.length > 0) removed.push(...ghost.removeMany(ids));
    for (const task of removed) report({ service: task.service!, state: 'removed', task });
  }
  return { project, stopped, removed };
}
