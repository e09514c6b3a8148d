// Checks on the dependency graph, the same for every file format: each dependency exists,
// `healthy` is asked only of a service with a health check, and there is no cycle.
import type { ServiceSpec } from './model.js';
import type { Problem } from './problems.js';

/** Where to report a problem with `service`'s dependency on `dependency`. */
export type DependencyLocator = (service: string, dependency: string, message: string) => Problem;

/** `names`: every service the file names, including malformed ones left out of `services`. */
export function checkDependencies(services: readonly ServiceSpec[], at: DependencyLocator, names?: readonly string[]): Problem[] {
  const problems: Problem[] = [];
  const byName = new Map(services.map((service) => [service.name, service]));
  const known = new Set(names ?? byName.keys());
  for (const service of services) {
    for (const [dependency, condition] of Object.entries(service.dependsOn)) {
      const target = byName.get(dependency);
      if (!known.has(dependency)) problems.push(at(service.name, dependency, `${service.name} depends on "${dependency}", which is not a service here`));
      else if (dependency === service.name) problems.push(at(service.name, dependency, `${service.name} depends on itself`));
      else if (condition === 'healthy' && target && !target.health) {
        problems.push(at(service.name, dependency, `${service.name} waits for ${dependency} to be healthy, but ${dependency} has no health check`));
      }
    }
  }
  for (const cycle of findCycles(services)) {
    problems.push(at(cycle[0]!, cycle[1]!, `dependency cycle: ${cycle.join(' -> ')}`));
  }
  return problems;
}

/**
 * Each cycle once, from its first service in file order, closed (`a -> b -> a`). A service that
 * depends on itself is a cycle only with `selfLoops` (a file's check reports it in its own words).
 */
export function findCycles(services: readonly ServiceSpec[], { selfLoops = false } = {}): string[][] {
  const byName = new Map(services.map((service) => [service.name, service]));
  const done = new Set<string>();
  const cycles: string[][] = [];
  const visit = (name: string, path: string[]): void => {
    const at = path.indexOf(name);
    if (at >= 0) {
      if (selfLoops || at < path.length - 1) cycles.push([...path.slice(at), name]);
      return;
    }
    if (done.has(name)) return;
    const service = byName.get(name);
    if (!service) return;
    for (const dependency of Object.keys(service.dependsOn)) visit(dependency, [...path, name]);
    done.add(name);
  };
  for (const service of services) visit(service.name, []);
  return cycles;
}
