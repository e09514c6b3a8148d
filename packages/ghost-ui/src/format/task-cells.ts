import {
  type Task,
  type TaskHealth,
  END_REASONS,
  isActiveStatus,
  taskDurationMs,
} from '@ghost/core';
import {
  commandText,
  displayPath,
  formatAgo,
  formatBytes,
  formatDuration,
  formatPercent,
  shortId,
  statusText,
  taskLabel as coreTaskLabel,
} from '@ghost/core/format';
import { oneLine } from '../text/width.js';

// Presentation of task facts for the UI (the facts and their wording come from core).

/**
 * A status as the UI words it: core's words, except that a run ended by a stop reads as that,
 * calmly ("stopped (SIGTERM)", "stopped (exited 0)") rather than as a kill or a failure.
 */
export function shownStatus(
  task: Pick<Task, 'status' | 'exitCode' | 'signal'> & Partial<Pick<Task, 'leftoverProcesses' | 'reason' | 'restarts' | 'restartAt' | 'health'>>,
  now: number = Date.now(),
): string {
  if (task.reason !== END_REASONS.stopped || isActiveStatus(task.status)) return statusText(task, now);
  const how = task.signal ?? (task.exitCode === null ? 'unknown' : `exited ${task.exitCode}`);
  const left = task.leftoverProcesses ?? 0;
  return `stopped (${how})${left > 0 ? ` · ${left} ${left === 1 ? 'process' : 'processes'} left` : ''}`;
}

/** A blessed colour per status; exit codes other than 0 are failures, in red; a stop is not coloured. */
export function statusColor(task: Pick<Task, 'status' | 'exitCode'> & Partial<Pick<Task, 'reason'>>): string | undefined {
  if (task.reason === END_REASONS.stopped && !isActiveStatus(task.status)) return undefined;
  switch (task.status) {
    case 'running':
      return 'green';
    case 'exited':
      return task.exitCode === 0 ? 'cyan' : 'red';
    case 'killed':
      return 'yellow';
    case 'restarting':
      return 'blue';
    default:
      return 'magenta';
  }
}

/** A blessed colour per health: a probe that has not passed yet is a warning, not a failure. */
export function healthColor(health: TaskHealth | null): string | undefined {
  switch (health) {
    case 'healthy':
      return 'green';
    case 'unhealthy':
      return 'red';
    case 'starting':
      return 'yellow';
    default:
      return undefined;
  }
}

export interface TaskCells {
  id: string;
  name: string;
  /** The status without the health, for a row that shows the health in its own column. */
  status: string;
  /** The status with the health folded in ("running (healthy)"), for a row without that column. */
  statusWithHealth: string;
  /** Blank for a task without a health check, and for one that has ended. */
  health: string;
  restarts: string;
  pid: string;
  cpu: string;
  mem: string;
  started: string;
  duration: string;
  command: string;
  cwd: string;
}

/** The text of each cell of a task's row, one line each (control characters made visible). */
export function taskCells(task: Task, now: number): TaskCells {
  return {
    id: shortId(task.id),
    name: task.name === null ? '-' : oneLine(task.name),
    status: shownStatus({ ...task, health: null }, now),
    statusWithHealth: shownStatus(task, now),
    health: task.health ?? '',
    restarts: task.restartPolicy === 'no' ? '-' : String(task.restarts),
    pid: task.pid === null ? '-' : String(task.pid),
    cpu: task.cpuPercent === null ? '-' : formatPercent(task.cpuPercent),
    mem: task.memoryBytes === null ? '-' : formatBytes(task.memoryBytes),
    started: formatAgo(task.startedAt, now),
    duration: formatDuration(taskDurationMs(task, now)),
    command: oneLine(commandText(task.command)),
    cwd: oneLine(displayPath(task.cwd)),
  };
}

/** "3f2a9c1b (web)" or "3f2a9c1b": how status messages name a task. */
export function taskLabel(task: Pick<Task, 'id' | 'name'>): string {
  return coreTaskLabel({ id: task.id, name: task.name === null ? null : oneLine(task.name) });
}
