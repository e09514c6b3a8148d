import {
  type Task,
  commandText,
  displayPath,
  escapeForTerminal,
  formatAgo,
  formatDuration,
  shortId,
  statusText,
  taskDurationMs,
} from '@ghost/core';
import type { Style } from './style.js';
import { type Column, renderTable } from './table.js';

/** How a task is referred to in hints: its name if it has one, else its short id. */
export function taskRef(task: Pick<Task, 'id' | 'name'>): string {
  return task.name === null ? shortId(task.id) : escapeForTerminal(task.name);
}

export function coloredStatus(task: Task, style: Style): string {
  return style.status(task.status, statusText(task));
}

const LIST_COLUMNS: Column[] = [
  { header: 'ID' },
  { header: 'NAME', shrink: true },
  { header: 'STATUS' },
  { header: 'PID', right: true },
  { header: 'STARTED' },
  { header: 'DURATION', right: true },
  { header: 'COMMAND', shrink: true },
  { header: 'CWD', shrink: true },
];

export function taskTable(tasks: readonly Task[], style: Style, now: number, width?: number): string {
  // A description column only when some task has one: the usual table stays as it was.
  const described = tasks.some((task) => task.description);
  const rows = tasks.map((task) => [
    shortId(task.id),
    text(task.name),
    coloredStatus(task, style),
    task.pid === null ? '-' : String(task.pid),
    formatAgo(task.startedAt, now),
    formatDuration(taskDurationMs(task, now)),
    commandText(task.command),
    displayPath(task.cwd),
    ...(described ? [text(task.description)] : []),
  ]);
  return renderTable(described ? [...LIST_COLUMNS, { header: 'DESCRIPTION', shrink: true }] : LIST_COLUMNS, rows, width);
}

/** `ghost status` as aligned "field  value" lines. */
export function taskDetails(task: Task, style: Style, now: number): string {
  const time = (date: Date) => `${date.toISOString()} (${formatAgo(date, now)})`;
  const fields: [string, string][] = [
    ['id', task.id],
    ['name', text(task.name)],
    ['description', text(task.description)],
    ['status', coloredStatus(task, style)],
    ['run', task.restartPolicy === 'no' ? String(task.run) : `${task.run} (restart ${task.restartPolicy}; ${task.restarts} ${task.restarts === 1 ? 'restart' : 'restarts'} so far)`],
    ['pid', task.pid === null ? '-' : `${task.pid} (process group ${task.pgid ?? '-'})`],
    ['command', commandText(task.command)],
    ['cwd', escapeForTerminal(task.cwd)],
    ['started', time(task.startedAt)],
    ['finished', task.finishedAt ? time(task.finishedAt) : '-'],
    ['duration', formatDuration(taskDurationMs(task, now))],
    ['log', escapeForTerminal(task.logPath)],
  ];
  return fields.map(([key, value]) => `${style.dim(key.padEnd(13))}${value}`).join('\n') + '\n';
}

/** A task-supplied text as a table shows it: escaped (see escapeForTerminal), or "-" if absent. */
function text(value: string | null): string {
  return value === null ? '-' : escapeForTerminal(value);
}
