import type { RunOptions } from '../tasks/run.js';
import type { StopOptions } from '../tasks/terminate.js';
import type { ServiceSpec } from './model.js';

/** What a service runs, as the options of its task. */
export function serviceRunOptions(project: string, service: ServiceSpec): RunOptions {
  return {
    command: service.command,
    shell: service.shell,
    name: service.name,
    description: service.description,
    cwd: service.cwd,
    env: service.env,
    restart: service.restart,
    limits: service.limits,
    logs: service.logs,
    health: service.health,
    project,
    service: service.name,
  };
}

/** How a service is stopped (by `down`, or to restart it with a changed definition). */
export function serviceStopOptions(service: ServiceSpec | undefined): StopOptions {
  return { signal: service?.stop?.signal, timeoutMs: service?.stop?.timeoutMs };
}
