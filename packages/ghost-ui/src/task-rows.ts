import { type Task, commandText, formatAgo, formatDuration, shortId, statusText, taskDurationMs } from '@ghost/core';

export const HEADER = ['ID', 'NAME', 'STATUS', 'PID', 'STARTED', 'DURATION', 'COMMAND'];

/** The task list's cells, one row per task (presentation only; the facts come from core). */
export function taskRows(tasks: readonly Task[], now: number): string[][] {
  return tasks.map((task) => [
    shortId(task.id),
    task.name ?? '-',
    statusText(task),
    task.pid === null ? '-' : String(task.pid),
    formatAgo(task.startedAt, now),
    formatDuration(taskDurationMs(task, now)),
    commandText(task.command),
  ]);
}

export const EMPTY_MESSAGE = 'No tasks yet. Start one with: ghost run -- <command>';
