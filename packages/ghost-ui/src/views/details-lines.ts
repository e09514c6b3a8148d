import { type ListeningPort, type Run, type Task, type TaskHealth, taskDurationMs } from '@ghost/core';
import { commandText, formatAgo, formatBytes, formatDuration, formatPercent } from '@ghost/core/format';
import { healthColor, shownStatus, statusColor } from '../format/task-cells.js';
import { localTime } from '../format/time-text.js';
import { escapeTags } from '../text/tags.js';
import { displayWidth, oneLine, takeStart } from '../text/width.js';
import { paint } from '../text/colors.js';

/** What the details view knows about the task's listening ports right now. */
export type PortsInfo =
  | { state: 'loading' }
  | { state: 'ready'; ports: readonly ListeningPort[] }
  | { state: 'failed'; message: string }
  | { state: 'ended' };

export interface DetailsInput {
  task: Task;
  /** The recorded environment, or why it could not be read. */
  env: { values: Readonly<Record<string, string>> } | { error: string };
  revealEnv: boolean;
  ports: PortsInfo;
  /** The task's runs, newest first, or why they could not be read. */
  runs: readonly Run[] | { error: string };
  now: number;
  width: number;
}

const LABEL_WIDTH = 12;

/**
 * The details view's lines (blessed-tagged): every task field, then the listening ports, then
 * the environment's variable names (values only when revealed). Long values wrap under their
 * label rather than being cut, since the full command or path is the point of this view.
 */
export function detailsLines(input: DetailsInput): string[] {
  const { task, now } = input;
  const valueWidth = Math.max(10, input.width - LABEL_WIDTH - 3);
  const lines: string[] = [];
  const field = (label: string, value: string, color?: string) => {
    const chunks = wrap(oneLine(value), valueWidth);
    chunks.forEach((chunk, i) => {
      const text = paint(color, escapeTags(chunk));
      lines.push(` ${i === 0 ? `{bold}${label.padEnd(LABEL_WIDTH)}{/bold}` : ' '.repeat(LABEL_WIDTH)}  ${text}`);
    });
  };
  field('id', task.id);
  field('name', task.name ?? '-');
  // The health has a line of its own. It and the restarts show only where they apply (as in
  // `ghost status`), so the lines of a plain task stay as they were.
  field('status', shownStatus({ ...task, health: null }, now), statusColor(task));
  if (task.health !== null) field('health', healthText(task.health, task.healthAt, now), healthColor(task.health));
  if (task.restartPolicy !== 'no') field('restarts', restartsText(task, now));
  field('exit code', task.exitCode === null ? '-' : String(task.exitCode));
  field('signal', task.signal ?? '-');
  field('pid', task.pid === null ? '-' : String(task.pid));
  field('pgid', task.pgid === null ? '-' : String(task.pgid));
  field('cpu', task.cpuPercent === null ? '-' : `${formatPercent(task.cpuPercent)} of one core (whole process tree)`);
  field('memory', task.memoryBytes === null ? '-' : formatBytes(task.memoryBytes));
  field('command', commandText(task.command));
  field('argv', JSON.stringify(task.command));
  field('cwd', task.cwd);
  field('started', `${localTime(task.startedAt)} (${formatAgo(task.startedAt, now)})`);
  field('finished', task.finishedAt === null ? '-' : `${localTime(task.finishedAt)} (${formatAgo(task.finishedAt, now)})`);
  field(task.status === 'running' ? 'running for' : 'duration', formatDuration(taskDurationMs(task, now)));
  field('log', task.logPath);
  lines.push('');
  portLines(input.ports).forEach((text, i) => field(i === 0 ? 'ports' : '', text));
  lines.push('');
  runLines(input.runs, now).forEach((text, i) => field(i === 0 ? 'runs' : '', text));
  lines.push('');
  lines.push(...envLines(input, valueWidth));
  return lines;
}

/** "healthy since 2026-01-02 10:00:00 (3m ago)", or "starting" (no change yet). */
function healthText(health: TaskHealth, healthAt: Date | null, now: number): string {
  return healthAt === null ? health : `${health} since ${localTime(healthAt)} (${formatAgo(healthAt, now)})`;
}

/** "3 (policy on-failure)", with when the next run is due while waiting. */
function restartsText(task: Task, now: number): string {
  const next = task.status === 'restarting' && task.restartAt ? `, next run at ${localTime(task.restartAt)} (in ${formatDuration(Math.max(0, task.restartAt.getTime() - now))})` : '';
  return `${task.restarts} (policy ${task.restartPolicy}${next})`;
}

/** The most runs listed (the newest); `ghost runs` lists them all. */
const MAX_RUNS = 20;

/** One line per run, newest first: "3  running since 14:02:11 (2m ago)", "2  exited 1 · 14:01:00, ran 1m10s". */
function runLines(runs: DetailsInput['runs'], now: number): string[] {
  if ('error' in runs) return [`unknown: ${runs.error}`];
  const lines = runs.slice(0, MAX_RUNS).map((run) => {
    const status = shownStatus(run, now);
    if (run.finishedAt === null) return `${run.run}  ${status} since ${localTime(run.startedAt)} (${formatAgo(run.startedAt, now)})`;
    return `${run.run}  ${status} · ${localTime(run.startedAt)}, ran ${formatDuration(run.finishedAt.getTime() - run.startedAt.getTime())}`;
  });
  if (runs.length > MAX_RUNS) lines.push(`… ${runs.length - MAX_RUNS} older (ghost runs lists them all)`);
  return lines;
}

function portLines(ports: PortsInfo): string[] {
  switch (ports.state) {
    case 'loading':
      return ['looking…'];
    case 'ended':
      return ['- (not running)'];
    case 'failed':
      return [`unknown: ${ports.message}`];
    case 'ready':
      if (ports.ports.length === 0) return ['none listening'];
      return ports.ports.map((port) => `${port.protocol} ${port.address.includes(':') ? `[${port.address}]` : port.address}:${port.port}  (pid ${port.pid})`);
  }
}

function envLines(input: DetailsInput, valueWidth: number): string[] {
  if ('error' in input.env) {
    return [` {bold}${'environment'.padEnd(LABEL_WIDTH)}{/bold}  ${escapeTags(input.env.error)}`];
  }
  const env = input.env.values;
  const names = Object.keys(env).sort();
  const summary = `${names.length} variable${names.length === 1 ? '' : 's'}, values ${input.revealEnv ? 'shown (v hides them)' : 'hidden (v shows them)'}`;
  const lines = [` {bold}${'environment'.padEnd(LABEL_WIDTH)}{/bold}  ${summary}`];
  for (const name of names) {
    const shownName = oneLine(name);
    if (!input.revealEnv) {
      lines.push(`   ${escapeTags(shownName)}`);
      continue;
    }
    const text = `${shownName}=${oneLine(env[name]!)}`;
    wrap(text, valueWidth + LABEL_WIDTH).forEach((chunk, i) => lines.push(`${i === 0 ? '   ' : '     '}${escapeTags(chunk)}`));
  }
  return lines;
}

/** Splits text into pieces of at most `width` cells. */
export function wrap(text: string, width: number): string[] {
  if (displayWidth(text) <= width) return [text];
  const pieces: string[] = [];
  let rest = text;
  while (rest.length > 0) {
    const piece = takeStart(rest, width) || Array.from(rest)[0]!;
    pieces.push(piece);
    rest = rest.slice(piece.length);
  }
  return pieces;
}
