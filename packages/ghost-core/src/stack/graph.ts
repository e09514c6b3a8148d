import { GhostError } from '../errors.js';
import { findCycles } from './dependencies.js';
import type { ServiceSpec, StackSpec } from './model.js';

/**
 * Checks a stack's dependency graph before anything is done with it: unique service names,
 * dependencies on services that exist (UNKNOWN_SERVICE), no cycle (DEPENDENCY_CYCLE, with the
 * cycle named in `details.cycle`, its first service repeated at the end). Returns the services
 * by name.
 */
export function checkGraph(stack: StackSpec): Map<string, ServiceSpec> {
  const byName = new Map<string, ServiceSpec>();
  for (const service of stack.services) {
    if (byName.has(service.name)) {
      throw new GhostError('INVALID_ARGUMENT', `service ${service.name} is defined twice`, {
        details: { argument: 'services', value: service.name, project: stack.project },
      });
    }
    byName.set(service.name, service);
  }
  for (const service of stack.services) {
    for (const dependency of Object.keys(service.dependsOn)) {
      if (!byName.has(dependency)) {
        throw new GhostError('UNKNOWN_SERVICE', `service ${service.name} depends on ${dependency}, which is not a service of project ${stack.project}`, {
          details: { project: stack.project, service: dependency, dependent: service.name },
        });
      }
    }
  }
  const [cycle] = findCycles(stack.services, { selfLoops: true });
  if (cycle) {
    throw new GhostError('DEPENDENCY_CYCLE', `the dependencies of project ${stack.project} form a cycle: ${cycle.join(' -> ')}`, {
      details: { project: stack.project, cycle },
    });
  }
  return byName;
}

/** Throws UNKNOWN_SERVICE for a name that is not a service of the stack. */
export function checkSelected(stack: StackSpec, byName: ReadonlyMap<string, ServiceSpec>, names: readonly string[]): void {
  const unknown = names.find((name) => !byName.has(name));
  if (unknown !== undefined) {
    throw new GhostError('UNKNOWN_SERVICE', `project ${stack.project} has no service ${unknown}`, {
      details: { project: stack.project, service: unknown, services: [...byName.keys()] },
    });
  }
}

/** The named services and everything they depend on, transitively (all, with no names). */
export function withDependencies(byName: ReadonlyMap<string, ServiceSpec>, names: readonly string[] | undefined): Set<string> {
  if (names === undefined || names.length === 0) return new Set(byName.keys());
  const selected = new Set<string>();
  const add = (name: string): void => {
    if (selected.has(name)) return;
    selected.add(name);
    for (const dependency of Object.keys(byName.get(name)!.dependsOn)) add(dependency);
  };
  names.forEach(add);
  return selected;
}

/** The named services and everything that depends on them, transitively (all, with no names). */
export function withDependents(byName: ReadonlyMap<string, ServiceSpec>, names: readonly string[] | undefined): Set<string> {
  if (names === undefined || names.length === 0) return new Set(byName.keys());
  const selected = new Set<string>();
  const add = (name: string): void => {
    if (selected.has(name)) return;
    selected.add(name);
    for (const service of byName.values()) if (name in service.dependsOn) add(service.name);
  };
  names.forEach(add);
  return selected;
}
