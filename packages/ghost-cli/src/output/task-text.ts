import {
  type ListeningPort,
  type Task,
  type TaskStats,
  taskDurationMs,
} from '@ghost/core';
import {
  commandText,
  displayPath,
  escapeForTerminal,
  formatAgo,
  formatBytes,
  formatDuration,
  formatPercent,
  shortId,
  statusText,
} from '@ghost/core/format';
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

const SERVICE_COLUMN: Column = { header: 'SERVICE', shrink: true };

/** A stack's service as `project/service`, or "-" for a plain task. */
export function serviceText(task: Pick<Task, 'project' | 'service'>): string {
  return task.service === null ? '-' : escapeForTerminal(`${task.project}/${task.service}`);
}

const USAGE_COLUMNS: Column[] = [{ header: 'CPU', right: true }, { header: 'MEM', right: true }];

export function taskTable(tasks: readonly Task[], style: Style, now: number, width?: number): string {
  // A description column only when some task has one, CPU and memory only when some task runs:
  // a table of ended tasks stays as it was.
  const described = tasks.some((task) => task.description);
  // A SERVICE column (project/service) only when some task belongs to a stack.
  const stacked = tasks.some((task) => task.service !== null);
  const measured = tasks.some((task) => task.cpuPercent !== null || task.memoryBytes !== null);
  const rows = tasks.map((task) => [
    shortId(task.id),
    text(task.name),
    ...(stacked ? [serviceText(task)] : []),
    coloredStatus(task, style),
    task.pid === null ? '-' : String(task.pid),
    ...(measured ? usageCells(task) : []),
    formatAgo(task.startedAt, now),
    formatDuration(taskDurationMs(task, now)),
    commandText(task.command),
    displayPath(task.cwd),
    ...(described ? [text(task.description)] : []),
  ]);
  const base = stacked ? [...LIST_COLUMNS.slice(0, 2), SERVICE_COLUMN, ...LIST_COLUMNS.slice(2)] : LIST_COLUMNS;
  const split = stacked ? 5 : 4;
  const columns = measured ? [...base.slice(0, split), ...USAGE_COLUMNS, ...base.slice(split)] : base;
  return renderTable(described ? [...columns, { header: 'DESCRIPTION', shrink: true }] : columns, rows, width);
}

function usageCells(task: Pick<Task, 'cpuPercent' | 'memoryBytes'>): [string, string] {
  return [task.cpuPercent === null ? '-' : formatPercent(task.cpuPercent), task.memoryBytes === null ? '-' : formatBytes(task.memoryBytes)];
}

const SERVICE_COLUMNS: Column[] = [
  { header: 'SERVICE', shrink: true },
  { header: 'ID' },
  { header: 'STATUS' },
  { header: 'RESTARTS', right: true },
  { header: 'PORTS', shrink: true },
  { header: 'PID', right: true },
  { header: 'STARTED' },
  { header: 'COMMAND', shrink: true },
];

/**
 * `ghost ps`: one row per service task, its health in its status ("running (healthy)"), its
 * restarts (or "-" without a restart policy) and the ports its process tree listens on.
 */
export function serviceTable(services: readonly { task: Task; ports: readonly ListeningPort[] }[], style: Style, now: number, width?: number): string {
  const rows = services.map(({ task, ports }) => [
    text(task.service),
    shortId(task.id),
    coloredStatus(task, style),
    task.restartPolicy === 'no' ? '-' : String(task.restarts),
    ports.length === 0 ? '-' : [...new Set(ports.map((port) => (port.protocol === 'tcp' ? String(port.port) : `${port.port}/udp`)))].join(','),
    task.pid === null ? '-' : String(task.pid),
    formatAgo(task.startedAt, now),
    commandText(task.command),
  ]);
  return renderTable(SERVICE_COLUMNS, rows, width);
}

const STATS_COLUMNS: Column[] = [
  { header: 'ID' },
  { header: 'NAME', shrink: true },
  { header: 'PID', right: true },
  { header: 'CPU %', right: true },
  { header: 'MEM', right: true },
  { header: 'PSS', right: true },
  { header: 'PROCS', right: true },
  { header: 'THREADS', right: true },
];

/** `ghost stats`: one row per running task. */
export function statsTable(stats: readonly TaskStats[], width?: number): string {
  const rows = stats.map((each) => [
    shortId(each.id),
    text(each.name),
    each.pid === null ? '-' : String(each.pid),
    formatPercent(each.cpuPercent),
    formatBytes(each.memoryBytes),
    each.pssBytes === null ? '-' : formatBytes(each.pssBytes),
    String(each.processes),
    each.threads === null ? '-' : String(each.threads),
  ]);
  return renderTable(STATS_COLUMNS, rows, width);
}

/** `ghost status` as aligned "field  value" lines. */
export function taskDetails(task: Task, style: Style, now: number): string {
  const time = (date: Date) => `${date.toISOString()} (${formatAgo(date, now)})`;
  const fields: [string, string][] = [
    ['id', task.id],
    ['name', text(task.name)],
    ['description', text(task.description)],
    ...(task.service === null ? [] : ([['service', serviceText(task)]] as [string, string][])),
    ['status', coloredStatus(task, style)],
    ['run', task.restartPolicy === 'no' ? String(task.run) : `${task.run} (restart ${task.restartPolicy}; ${task.restarts} ${task.restarts === 1 ? 'restart' : 'restarts'} so far)`],
    ['pid', task.pid === null ? '-' : `${task.pid} (process group ${task.pgid ?? '-'})`],
    ...(task.cpuPercent === null ? [] : ([['cpu', `${formatPercent(task.cpuPercent)} of one core, on average since it started`]] as [string, string][])),
    ...(task.memoryBytes === null ? [] : ([['memory', `${formatBytes(task.memoryBytes)} (its whole process tree)`]] as [string, string][])),
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
