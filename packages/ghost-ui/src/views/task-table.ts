import type { ProjectSummary, StackState, Task } from '@ghost/core';
import { type TaskCells, healthColor, shownStatus, statusColor, taskCells } from '../format/task-cells.js';
import { escapeTags } from '../text/tags.js';
import { displayWidth, fitText, oneLine } from '../text/width.js';
import { paint } from '../text/colors.js';

// The task list's columns: widths that fit the terminal, and rows as blessed-tagged lines.
// Pure functions, so that layout is unit-tested and computed once per data refresh, not per key.

export const COLUMNS = ['id', 'name', 'status', 'health', 'restarts', 'pid', 'cpu', 'mem', 'started', 'duration', 'command', 'cwd'] as const;
export type Column = (typeof COLUMNS)[number];

const HEADERS: Record<Column, string> = {
  id: 'ID',
  name: 'NAME',
  status: 'STATUS',
  health: 'HEALTH',
  restarts: 'RESTARTS',
  pid: 'PID',
  cpu: 'CPU',
  mem: 'MEM',
  started: 'STARTED',
  duration: 'DURATION',
  command: 'COMMAND',
  cwd: 'CWD',
};

/** Numbers line up on the right, as in `ghost list`. */
const RIGHT_ALIGNED = new Set<Column>(['restarts', 'pid', 'cpu', 'mem', 'duration']);

/**
 * Columns a narrow terminal drops whole, first to last, while name, command and cwd would get
 * less than MIN_SHARED cells together: a cut-down figure would mislead, a missing one does not.
 * The health goes first, as nothing is lost with it: the status then says it ("running (healthy)").
 */
const DROPPABLE: readonly Column[] = ['health', 'started', 'mem', 'cpu', 'restarts'];
const MIN_SHARED = 36;
const MIN_CWD = 12;

export interface TableLayout {
  widths: Record<Column, number>;
  /** Spaces between columns: 1 on narrow terminals, 2 when there is room. */
  gap: number;
}

/** What an in-flight action shows in place of the status ("stopping…"). */
export type PendingActions = ReadonlyMap<string, string>;

/** What the columns' longest values need, in cells (0: the column is not shown): measured over the tasks once per data. */
export interface ColumnNeeds {
  status: number;
  /** The status with the health in it, for when the health column is dropped. */
  statusWithHealth: number;
  health: number;
  restarts: number;
  pid: number;
  name: number;
  command: number;
  cwd: number;
}

/**
 * Column widths for `tasks` in `width` cells. Short columns get what their longest value needs;
 * name, command and working directory share the rest, by need.
 */
export function computeLayout(tasks: readonly Task[], width: number): TableLayout {
  return fitColumns(measureColumns(tasks), width);
}

/** What `tasks` need of each column: a walk over all of them, so done when they change, not when the width does. */
export function measureColumns(tasks: readonly Task[]): ColumnNeeds {
  let status = 9; // fits "stopping…"
  let statusWithHealth = status;
  let pid = 3;
  let name = 4;
  let command = 7;
  let cwd = 3;
  // Shown only when some task has a restart policy: for everyone else it would be a column of dashes.
  let restarts = 0;
  // Likewise the health, when some task reports one (only running tasks with a check do).
  let health = 0;
  const now = Date.now();
  for (const task of tasks) {
    if (task.restartPolicy !== 'no') restarts = 8;
    const fixed = fixedWidths(task);
    if (task.health === null) status = Math.max(status, shownStatus(task, now).length);
    else {
      health = 9; // fits "unhealthy"
      status = Math.max(status, shownStatus({ ...task, health: null }, now).length);
      statusWithHealth = Math.max(statusWithHealth, shownStatus(task, now).length);
    }
    if (task.pid !== null) pid = Math.max(pid, String(task.pid).length);
    name = Math.max(name, fixed.name);
    command = Math.max(command, fixed.command);
    cwd = Math.max(cwd, fixed.cwd);
  }
  // Without the health column, the status says the health as well.
  statusWithHealth = Math.max(status, statusWithHealth);
  return { status, statusWithHealth, health, restarts, pid, name, command, cwd };
}

/** Column widths in `width` cells for what the tasks need: cheap, so done again whenever the width changes. */
export function fitColumns(needs: ColumnNeeds, width: number): TableLayout {
  const { status, statusWithHealth, health, restarts, pid, name, command, cwd } = needs;
  const gap = width >= 120 ? 2 : 1;
  // "100.0%" and "999.9 MiB" at most, as core formats them.
  const fixed: Record<'id' | 'status' | 'health' | 'restarts' | 'pid' | 'cpu' | 'mem' | 'started' | 'duration', number> = {
    id: 8,
    status,
    health,
    restarts,
    pid,
    cpu: 6,
    mem: 9,
    started: 8,
    duration: 8,
  };
  const restWith = () =>
    width - Object.values(fixed).reduce((sum, w) => sum + w, 0) - gap * (Object.values(fixed).filter((w) => w > 0).length + 3 - 1);
  for (const column of DROPPABLE) {
    if (restWith() >= MIN_SHARED) break;
    if (column === 'health' && fixed.health > 0) fixed.status = statusWithHealth;
    fixed[column as keyof typeof fixed] = 0;
  }
  let rest = restWith();
  // name, command and cwd each get at least a little, the rest by need.
  const nameWidth = Math.min(name, Math.max(8, Math.floor(rest * 0.35)), 24);
  rest -= nameWidth;
  let commandWidth: number;
  let cwdWidth: number;
  if (command + cwd <= rest) {
    commandWidth = command;
    cwdWidth = rest - command;
  } else {
    cwdWidth = Math.min(cwd, Math.max(3, Math.floor(rest * 0.4)));
    commandWidth = rest - cwdWidth;
    if (commandWidth > command) {
      cwdWidth += commandWidth - command;
      commandWidth = command;
    }
  }
  // A path cut to a few cells ("…al") says nothing: below MIN_CWD (or what it needs) the column
  // goes whole, and the command gets its cells.
  if (cwdWidth < Math.min(cwd, MIN_CWD)) {
    commandWidth += cwdWidth + gap;
    cwdWidth = 0;
  }
  return {
    widths: { ...fixed, name: nameWidth, command: Math.max(0, commandWidth), cwd: Math.max(0, cwdWidth) },
    gap,
  };
}

/**
 * A task's name, command and working directory never change, so their widths are measured
 * once per task: a refresh of a thousand tasks then costs a thousand map lookups.
 */
const widthCache = new Map<string, { name: number; command: number; cwd: number }>();

function fixedWidths(task: Task): { name: number; command: number; cwd: number } {
  let widths = widthCache.get(task.id);
  if (!widths) {
    const cells = taskCells(task, 0);
    widths = { name: displayWidth(cells.name), command: displayWidth(cells.command), cwd: displayWidth(cells.cwd) };
    if (widthCache.size > 50_000) widthCache.clear();
    widthCache.set(task.id, widths);
  }
  return widths;
}

export function headerLine(layout: TableLayout): string {
  return `{bold}${escapeTags(joinCells(layout, (column) => fitText(HEADERS[column], layout.widths[column], { align: RIGHT_ALIGNED.has(column) ? 'right' : 'left' })))}{/bold}`;
}

/** One task's row, as a tagged line exactly as wide as the layout. */
export function rowLine(task: Task, layout: TableLayout, now: number, options: { selected?: boolean; pending?: string | undefined } = {}): string {
  const cells: TaskCells = taskCells(task, now);
  const pieces = COLUMNS.map((column) => {
    const width = layout.widths[column];
    if (column === 'status') {
      const text = options.pending ?? (layout.widths.health > 0 ? cells.status : cells.statusWithHealth);
      const color = options.pending === undefined ? statusColor(task) : 'yellow';
      return paint(color, escapeTags(fitText(text, width)));
    }
    if (column === 'health') return paint(healthColor(task.health), escapeTags(fitText(cells.health, width)));
    const text = fitText(cells[column], width, { align: RIGHT_ALIGNED.has(column) ? 'right' : 'left', keep: column === 'cwd' ? 'end' : 'start' });
    return column === 'id' ? `{bold}${escapeTags(text)}{/bold}` : escapeTags(text);
  });
  const line = pieces.filter((_, i) => layout.widths[COLUMNS[i]!] > 0).join(' '.repeat(layout.gap));
  return options.selected ? `{inverse}${line}{/inverse}` : line;
}

function joinCells(layout: TableLayout, cell: (column: Column) => string): string {
  return COLUMNS.filter((column) => layout.widths[column] > 0)
    .map(cell)
    .join(' '.repeat(layout.gap));
}

const STACK_COLORS: Record<StackState, string | undefined> = { up: 'green', starting: 'yellow', degraded: 'red', partial: 'yellow', down: undefined };

/**
 * A project's head: fold marker, name, its stack's state (or the action in flight, "down…"),
 * and what its services are doing, cut to `width` (the counts go before the name does).
 */
export function projectLine(summary: ProjectSummary, width: number, options: { selected?: boolean; folded?: boolean; pending?: string | undefined } = {}): string {
  const services = summary.tasks.length;
  const counts = [`${services} ${services === 1 ? 'service' : 'services'}`, `${summary.active} running`];
  if (summary.completed > 0) counts.push(`${summary.completed} completed`);
  if (summary.failing > 0) counts.push(`${summary.failing} failing`);
  const head = `${options.folded ? '▸' : '▾'} ${oneLine(summary.project)}`;
  const state = options.pending ?? summary.state;
  const rest = `  ${counts.join(' · ')}`;
  const headWidth = Math.min(displayWidth(head), width);
  const stateWidth = Math.min(displayWidth(state) + 2, Math.max(0, width - headWidth));
  const restWidth = Math.max(0, width - headWidth - stateWidth);
  const color = options.pending === undefined ? STACK_COLORS[summary.state] : 'yellow';
  const line =
    `{bold}${escapeTags(fitText(head, headWidth))}{/bold}` +
    paint(color, escapeTags(fitText(`  ${state}`, stateWidth))) +
    escapeTags(fitText(rest, restWidth));
  return options.selected ? `{inverse}${line}{/inverse}` : line;
}
