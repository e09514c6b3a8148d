// What each project's stack looks like from its tasks alone: the state a dashboard shows per
// project, without reading any project file (the tasks carry their project and service).
import { type Task, endedInFailure, isActiveStatus } from '../tasks/types.js';

/**
 * A stack's state, from its services' tasks:
 * - `up`: every service runs (healthy, where it has a check) or completed (exited 0: a one-shot setup);
 * - `starting`: as `up`, but some health check has not passed yet;
 * - `degraded`: something runs, and some service is unhealthy, waiting to restart after a
 *   crash, or ended in failure (see `endedInFailure`);
 * - `partial`: something runs, and some service was stopped (ended by a signal, as `down SERVICE` leaves it);
 * - `down`: nothing runs (every service ended, or completed).
 */
export type StackState = 'up' | 'starting' | 'degraded' | 'partial' | 'down';

/** What the state is read from: a task's status, exit code and health. */
type Facts = Pick<Task, 'status' | 'exitCode' | 'health' | 'reason'>;

export interface ProjectSummary<T extends Facts = Task> {
  project: string;
  /** Its service tasks, by service name. */
  tasks: T[];
  state: StackState;
  /** How many services run (or wait to restart). */
  active: number;
  /** How many ended with exit status 0. */
  completed: number;
  /** Unhealthy, waiting to restart, or ended with a non-zero status or unknown: what makes it `degraded`. */
  failing: number;
}

/** Whether a service's task counts as done rather than stopped or failed: it exited 0. */
function completed(task: Facts): boolean {
  return task.status === 'exited' && task.exitCode === 0;
}

function failing(task: Facts): boolean {
  if (task.status === 'running') return task.health === 'unhealthy';
  return task.status === 'restarting' || endedInFailure(task);
}

/** The state of one project's stack from its service tasks (see `StackState`). */
export function stackState(tasks: readonly Facts[]): Omit<ProjectSummary, 'project' | 'tasks'> {
  let active = 0;
  let done = 0;
  let failed = 0;
  let starting = false;
  for (const task of tasks) {
    if (isActiveStatus(task.status)) active++;
    if (completed(task)) done++;
    if (failing(task)) failed++;
    if (task.status === 'running' && task.health === 'starting') starting = true;
  }
  let state: StackState;
  if (active === 0) state = 'down';
  else if (failed > 0) state = 'degraded';
  else if (active + done < tasks.length) state = 'partial';
  else state = starting ? 'starting' : 'up';
  return { state, active, completed: done, failing: failed };
}

/**
 * The projects among `tasks` (tasks without a project are not in any), by name, each with its
 * service tasks sorted by service name and its stack's state.
 */
export function projectSummaries<T extends Facts & Pick<Task, 'project' | 'service'>>(tasks: readonly T[]): ProjectSummary<T>[] {
  const byProject = new Map<string, T[]>();
  for (const task of tasks) {
    if (task.project === null) continue;
    let list = byProject.get(task.project);
    if (!list) byProject.set(task.project, (list = []));
    list.push(task);
  }
  return [...byProject.entries()]
    .sort(([a], [b]) => compare(a, b))
    .map(([project, list]) => {
      list.sort((a, b) => compare(a.service ?? '', b.service ?? ''));
      return { project, tasks: list, ...stackState(list) };
    });
}

/** By code point, as the names are ASCII (see PROJECT_NAME and service names). */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
