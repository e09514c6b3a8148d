import { GhostError, isGhostError } from '../errors.js';
import type { Ghost } from '../ghost.js';
import { hasHealthCheck } from '../tasks/policy.js';
import { reconcileTask } from '../tasks/reconcile.js';
import { runTask } from '../tasks/run.js';
import { stopTask } from '../tasks/terminate.js';
import { type Task, isActiveStatus } from '../tasks/types.js';
import { contextOf } from './context.js';
import { checkSelected, withDependencies } from './graph.js';
import { recordRevision } from './history.js';
import { logTail } from './log-tail.js';
import type { DependencyCondition, ServiceSpec, StackSpec } from './model.js';
import { type ServiceAction, type StackPlan, planStored } from './plan.js';
import { serviceRunOptions, serviceStopOptions } from './service-options.js';

/** How long `up` waits for the dependencies' conditions, in all, unless told otherwise. */
export const DEFAULT_UP_TIMEOUT_MS = 120_000;

/**
 * Where a service is in an `up` (or `down`):
 * - `waiting-for`: its dependencies' conditions are awaited (`dependencies` names them);
 * - `starting`, then `started` (running) or `restarted` (its changed definition runs now);
 * - `healthy` / `completed`: a condition a dependent waited for was met;
 * - `unchanged`: left as it was; `failed`: see the error; `stopped` / `removed`: by down or removeOrphans.
 */
export type ServiceState =
  | 'waiting-for'
  | 'starting'
  | 'started'
  | 'restarted'
  | 'healthy'
  | 'completed'
  | 'unchanged'
  | 'failed'
  | 'stopped'
  | 'removed';

/** One step of an `up` or `down`, as it happens. */
export interface StackProgress {
  project: string;
  service: string;
  state: ServiceState;
  /** For `waiting-for`: the dependencies still awaited. */
  dependencies?: string[] | undefined;
  /** The service's task, once there is one. */
  task?: Task | undefined;
}

export interface UpOptions {
  /** Only these services, and what they depend on (default: all). Unknown names: UNKNOWN_SERVICE. */
  services?: readonly string[] | undefined;
  /** Also stop and remove the tasks of the project whose service is no longer in the stack. */
  removeOrphans?: boolean | undefined;
  /** How long to wait for the dependencies' conditions in all (default `DEFAULT_UP_TIMEOUT_MS`): then STACK_TIMEOUT. */
  timeoutMs?: number | undefined;
  onProgress?: ((progress: StackProgress) => void) | undefined;
  /** Aborting stops the up (STACK_CANCELLED); what was started is left running. */
  signal?: AbortSignal | undefined;
}

/** What `up` did to a service. */
export interface UpService {
  service: string;
  /** What the plan said (see `ServiceAction`). */
  action: ServiceAction;
  /** Its task as the up left it. */
  task: Task;
}

export interface UpResult {
  project: string;
  /** The plan applied (as computed before anything was done). */
  plan: StackPlan;
  /** The selected services, in file order. */
  services: UpService[];
  /** Orphans stopped and removed (with `removeOrphans`). */
  removed: Task[];
  /** False: nothing was started, restarted or removed (a second `up` with no change). */
  changed: boolean;
}

/**
 * Details of STACK_SERVICE_FAILED (a service could not start, or ended or failed before a
 * dependent's condition was met) and STACK_TIMEOUT (a condition was not met in time).
 */
export interface StackFailureDetails {
  project: string;
  /** The service that failed (or whose condition timed out). */
  service: string;
  /** The condition a dependent waited for, if it was waiting. */
  condition?: DependencyCondition | undefined;
  /** `start_failed` (see `cause`), `ended` (its task ended: see status and exitCode), `timeout`. */
  reason: 'start_failed' | 'ended' | 'timeout';
  /** The code of the error that kept it from starting (start_failed). */
  cause?: string | undefined;
  id?: string | undefined;
  status?: string | undefined;
  exitCode?: number | null | undefined;
  signal?: string | undefined;
  /** The last lines of its log (about 20). */
  logTail: string[];
}

/**
 * The details of an error that says a service of an `up` failed or timed out (STACK_SERVICE_FAILED,
 * STACK_TIMEOUT), for a front end to show with its log tail; undefined for any other error.
 */
export function stackFailure(error: unknown): StackFailureDetails | undefined {
  if (!isGhostError(error) || (error.code !== 'STACK_SERVICE_FAILED' && error.code !== 'STACK_TIMEOUT')) return undefined;
  return error.details as unknown as StackFailureDetails;
}

/** Thrown to stop the other branches of an up once one has failed; never escapes. */
const ABANDONED = Symbol('abandoned');

/**
 * Brings a stack to its file's state: computes the plan, then, in dependency order with
 * independent services in parallel, starts what is missing or ended (an existing task starts
 * again: same id, a new run), restarts what changed (stopped by its stop options, then started
 * with the new definition), and leaves unchanged services alone. Each service starts once its
 * dependencies' conditions hold: `started` (running), `healthy` (its health check passed) or
 * `completed_successfully` (ended with exit code 0).
 *
 * Refuses a broken graph (UNKNOWN_SERVICE, DEPENDENCY_CYCLE) or a `healthy` condition on a
 * service without a health check (INVALID_ARGUMENT) before anything starts. A service that
 * fails, or a condition not met in time, ends the up with STACK_SERVICE_FAILED or STACK_TIMEOUT
 * (details: `StackFailureDetails`); what is up already is left as it is. Concurrent ups of one
 * stack leave one task per service. A successful up records the file it applied in the
 * project's history (see `recordRevision`).
 */
export async function up(ghost: Ghost, stack: StackSpec, options: UpOptions = {}): Promise<UpResult> {
  const ctx = contextOf(ghost);
  const planned = planStored(ghost, stack);
  const byName = new Map(stack.services.map((service) => [service.name, service]));
  checkSelected(stack, byName, options.services ?? []);
  const selected = withDependencies(byName, options.services);
  for (const service of stack.services) {
    for (const [dependency, condition] of Object.entries(service.dependsOn)) {
      if (condition === 'healthy' && selected.has(service.name) && !hasHealthCheck(byName.get(dependency)!.health)) {
        throw new GhostError('INVALID_ARGUMENT', `service ${service.name} waits for ${dependency} to be healthy, but ${dependency} has no health check`, {
          details: { argument: 'dependsOn', value: dependency, project: stack.project, service: service.name },
        });
      }
    }
  }
  // With nothing to change, only that each service is unchanged is news: not the waits that
  // find their dependencies as they were.
  const report = (progress: Omit<StackProgress, 'project'>) => {
    if (planned.changes || progress.state === 'unchanged') options.onProgress?.({ project: stack.project, ...progress });
  };
  const timeoutMs = options.timeoutMs ?? DEFAULT_UP_TIMEOUT_MS;
  const deadline = Date.now() + timeoutMs;
  const stop = new AbortController();
  const abandon = () => stop.abort();
  options.signal?.addEventListener('abort', abandon, { once: true });
  if (options.signal?.aborted) stop.abort();
  const actions = new Map(planned.services.map((service) => [service.service, service]));
  const brought = new Map<string, Promise<Task>>();
  const ready = new Map<string, Promise<void>>();
  let failure: unknown;
  let changed = false;

  const fail = (error: unknown): never => {
    failure ??= error;
    stop.abort();
    throw ABANDONED;
  };
  const failed = (service: ServiceSpec, reason: StackFailureDetails['reason'], task: Task | null, extra: Partial<StackFailureDetails>, message: string): never => {
    report({ service: service.name, state: 'failed', task: task ?? undefined });
    const details: StackFailureDetails = {
      project: stack.project,
      service: service.name,
      reason,
      ...extra,
      ...(task ? { id: task.id, status: task.status, exitCode: task.exitCode, signal: task.signal ?? undefined } : {}),
      logTail: task ? logTail(ghost, task.id) : [],
    };
    return fail(new GhostError(reason === 'timeout' ? 'STACK_TIMEOUT' : 'STACK_SERVICE_FAILED', message, { details: { ...details } }));
  };
  const checkCancelled = () => {
    if (stop.signal.aborted) {
      if (failure === undefined && options.signal?.aborted) {
        failure = new GhostError('STACK_CANCELLED', `up of project ${stack.project} was cancelled`, { details: { project: stack.project } });
      }
      throw ABANDONED;
    }
  };

  /** Starts (or leaves) one service once its dependencies are ready. */
  const bring = (service: ServiceSpec): Promise<Task> => {
    let promise = brought.get(service.name);
    if (promise) return promise;
    promise = (async () => {
      const dependencies = Object.entries(service.dependsOn);
      if (dependencies.length > 0) {
        report({ service: service.name, state: 'waiting-for', dependencies: dependencies.map(([name]) => name) });
        await Promise.all(dependencies.map(([name, condition]) => meet(byName.get(name)!, condition)));
      }
      checkCancelled();
      const step = actions.get(service.name)!;
      const current = planned.stored.get(service.name);
      if (step.action === 'unchanged') {
        const task = ghost.status({ id: step.task!.id });
        report({ service: service.name, state: 'unchanged', task });
        return task;
      }
      report({ service: service.name, state: 'starting', task: step.task ?? undefined });
      let task: Task;
      try {
        if (step.action === 'restart' && current) await stopTask(ctx, reconcileTask(ctx, current), serviceStopOptions(byName.get(service.name)));
        task = await runTask(ctx, serviceRunOptions(stack.project, service), { serviceDigest: step.digest });
      } catch (error) {
        if (!isGhostError(error)) throw error;
        return failed(service, 'start_failed', step.task, { cause: error.code }, `service ${service.name} of project ${stack.project} could not start: ${error.message}`);
      }
      changed = true;
      report({ service: service.name, state: step.action === 'restart' ? 'restarted' : 'started', task });
      return task;
    })();
    brought.set(service.name, promise);
    return promise;
  };

  /** Waits until a dependency's condition holds (once per dependency and condition). */
  const meet = (service: ServiceSpec, condition: DependencyCondition): Promise<void> => {
    const key = `${service.name}\0${condition}`;
    let promise = ready.get(key);
    if (promise) return promise;
    promise = (async () => {
      const task = await bring(service);
      if (condition === 'started') {
        const now = ghost.status({ id: task.id });
        if (!isActiveStatus(now.status) && !(now.status === 'exited' && now.exitCode === 0)) {
          failed(service, 'ended', now, { condition }, `service ${service.name} of project ${stack.project} ended (${now.status}) before its dependents started`);
        }
        return;
      }
      const waited = await ghost.wait([{ id: task.id }], {
        healthy: condition === 'healthy',
        timeoutMs: Math.max(0, deadline - Date.now()),
        signal: stop.signal,
      });
      checkCancelled();
      const now = waited.tasks[0]!;
      if (waited.timedOut) {
        failed(service, 'timeout', now, { condition }, `service ${service.name} of project ${stack.project} was not ${condition === 'healthy' ? 'healthy' : 'completed'} within ${timeoutMs} ms`);
      }
      if (condition === 'healthy' && now.health !== 'healthy') {
        failed(service, 'ended', now, { condition }, `service ${service.name} of project ${stack.project} ended (${now.status}) before it was healthy`);
      }
      if (condition === 'completed_successfully' && !(now.status === 'exited' && now.exitCode === 0)) {
        failed(service, 'ended', now, { condition }, `service ${service.name} of project ${stack.project} did not complete successfully (${now.status}${now.exitCode === null ? '' : ` ${now.exitCode}`})`);
      }
      report({ service: service.name, state: condition === 'healthy' ? 'healthy' : 'completed', task: now });
    })();
    ready.set(key, promise);
    return promise;
  };

  try {
    const order = stack.services.filter((service) => selected.has(service.name));
    const settled = await Promise.allSettled(order.map(bring));
    // An error that is not a branch abandoning the up is a bug or an unexpected failure: the first one wins.
    for (const result of settled) if (result.status === 'rejected' && result.reason !== ABANDONED) failure ??= result.reason;
    // Conditions someone waits for were met, or the up failed.
    await Promise.allSettled([...ready.values()]);
    if (failure !== undefined) throw failure;
    checkCancelled();
    if (failure !== undefined) throw failure;
    const removed: Task[] = [];
    if (options.removeOrphans) {
      for (const orphan of planned.orphans) {
        await ghost.stop({ id: orphan.id });
        removed.push(ghost.remove({ id: orphan.id }));
        changed = true;
        report({ service: orphan.service!, state: 'removed', task: orphan });
      }
    }
    recordRevision(ghost, stack);
    const { stored: _stored, ...plan } = planned;
    const services = order.map((service) => ({ service: service.name, action: actions.get(service.name)!.action, task: ghost.status({ id: (settled[order.indexOf(service)] as PromiseFulfilledResult<Task>).value.id }) }));
    return { project: stack.project, plan, services, removed, changed };
  } catch (error) {
    if (error === ABANDONED) throw failure;
    throw error;
  } finally {
    options.signal?.removeEventListener('abort', abandon);
  }
}
