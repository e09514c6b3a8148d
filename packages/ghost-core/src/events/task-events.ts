import type { Task, TaskJSON, TaskStatus } from '../tasks/types.js';
import { taskToJSON } from '../tasks/types.js';

/** What happened to a task, as seen by a watcher. */
export type TaskEventType = 'started' | 'exited' | 'killed' | 'unknown' | 'restarting' | 'healthy' | 'unhealthy' | 'removed';

export interface TaskEvent {
  type: TaskEventType;
  /** When the event was seen (ISO 8601 UTC); the task's own times say when it happened. */
  at: string;
  task: TaskJSON;
}

interface Seen {
  status: TaskStatus;
  startedAt: number;
  health: Task['health'];
  task: Task;
}

/**
 * Turns successive snapshots of the task list into events: a new task or a new run of one is
 * `started`; a running task that ended is `exited`, `killed` or `unknown`, followed by
 * `restarting` when its supervisor will start it again; a running task whose health check now
 * passes or fails is `healthy` or `unhealthy`; a task that is gone is `removed`. The first
 * snapshot only sets the baseline.
 */
export class TaskEventDiff {
  #seen: Map<string, Seen> | undefined;

  next(tasks: readonly Task[], now: Date = new Date()): TaskEvent[] {
    const at = now.toISOString();
    const current = new Map(
      tasks.map((task) => [task.id, { status: task.status, startedAt: task.startedAt.getTime(), health: task.health, task }]),
    );
    const previous = this.#seen;
    this.#seen = current;
    if (!previous) return [];
    const events: TaskEvent[] = [];
    // Oldest first, so that a start precedes the end of the same task within one batch.
    for (const { task, status, startedAt, health } of [...current.values()].reverse()) {
      const before = previous.get(task.id);
      const newRun = !before || before.startedAt !== startedAt;
      if (newRun) events.push({ type: 'started', at, task: taskToJSON(task) });
      if (status === 'running' && (health === 'healthy' || health === 'unhealthy') && (newRun || before.health !== health)) {
        events.push({ type: health, at, task: taskToJSON(task) });
      }
      if (status !== 'running' && (newRun || before.status === 'running')) {
        events.push({ type: status === 'restarting' ? runEnd(task) : status, at, task: taskToJSON(task) });
        if (status === 'restarting') events.push({ type: 'restarting', at, task: taskToJSON(task) });
      }
    }
    for (const [id, before] of previous) {
      if (!current.has(id)) events.push({ type: 'removed', at, task: taskToJSON(before.task) });
    }
    return events;
  }
}

/** How the run of a task waiting to restart ended. */
function runEnd(task: Task): TaskEventType {
  if (task.signal !== null) return 'killed';
  return task.exitCode !== null ? 'exited' : 'unknown';
}
