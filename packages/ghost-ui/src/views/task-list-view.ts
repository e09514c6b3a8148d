import type { TaskListState } from '../state/task-list-state.js';
import { escapeTags, taggedWidth } from '../text/tags.js';
import { displayWidth } from '../text/width.js';
import { type Blessed, type Box, type Screen, sizeOf, setText } from './blessed-types.js';
import { type ColumnNeeds, type PendingActions, type TableLayout, fitColumns, headerLine, measureColumns, projectLine, rowLine } from './task-table.js';
import { formatCount } from '../format/count-text.js';

export const NO_TASKS_MESSAGE = 'No tasks yet. Start one from a shell with:  ghost run -- <command>';

/**
 * The task list: a title line with counts and filters, a column header, and the rows. Only the
 * rows in view are formatted (a screenful, whatever the number of tasks); the column layout is
 * recomputed only when the tasks or the width change.
 */
export class TaskListView {
  readonly container: Box;
  readonly #title: Box;
  readonly #header: Box;
  readonly #body: Box;
  readonly #scrollbar: Box;
  /** The columns' layout, with what it was fitted to: the tasks' measures and the cells left after the indent. */
  #fitted: { needs: ColumnNeeds; width: number; layout: TableLayout } | undefined;
  #needs: ColumnNeeds | undefined;
  #needsFor: readonly unknown[] | undefined;

  constructor(blessed: Blessed, screen: Screen, handlers: { onRowClick(row: number): void; onWheel(delta: number): void }) {
    this.container = blessed.box({ parent: screen, top: 0, left: 0, width: '100%', height: '100%-2' });
    this.#title = blessed.box({ parent: this.container, top: 0, left: 0, width: '100%', height: 1, tags: true, wrap: false });
    this.#header = blessed.box({ parent: this.container, top: 1, left: 0, width: '100%', height: 1, tags: true, wrap: false });
    this.#body = blessed.box({ parent: this.container, top: 2, left: 0, width: '100%', height: '100%-2', tags: true, wrap: false });
    // Shown only while the rows overflow the view (the body then gives up its last column).
    this.#scrollbar = blessed.box({ parent: this.container, top: 2, right: 0, width: 1, height: '100%-2', tags: false, wrap: false, hidden: true });
    this.#body.on('wheeldown', () => handlers.onWheel(3));
    this.#body.on('wheelup', () => handlers.onWheel(-3));
    this.#body.on('click', (data: { y: number }) => handlers.onRowClick(data.y - (this.#body as unknown as { atop: number }).atop));
  }

  /** Rows the list can show at the current screen size. */
  get rowCapacity(): number {
    return sizeOf(this.#body).height;
  }

  /**
   * `pending` maps task ids to what their status shows meanwhile ("stopping…"), and project
   * names to what their head shows ("down…").
   */
  render(state: TaskListState, now: number, pending: { tasks: PendingActions; projects: PendingActions }): void {
    const overflows = state.rows.length > state.height;
    if (this.#scrollbar.hidden === overflows) {
      this.#scrollbar.hidden = !overflows;
      this.#body.width = overflows ? '100%-1' : '100%';
    }
    if (overflows) setText(this.#scrollbar, scrollbarCells(state.rows.length, state.top, state.height).join('\n'));
    const { width } = sizeOf(this.#body);
    // Cells before each task row and the header: 2 while some project's tasks are grouped under its head.
    const indent = state.hasHeads ? 2 : 0;
    // The tasks are measured when they change; a new width (the scrollbar coming or going
    // with a filter, a resize) only fits those measures again.
    if (this.#needs === undefined || this.#needsFor !== state.all) {
      this.#needs = measureColumns(state.all);
      this.#needsFor = state.all;
    }
    const cells = width - indent;
    if (this.#fitted?.needs !== this.#needs || this.#fitted.width !== cells) {
      this.#fitted = { needs: this.#needs, width: cells, layout: fitColumns(this.#needs, cells) };
    }
    const { layout } = this.#fitted;
    const margin = ' '.repeat(indent);
    setText(this.#title, titleLine(state, sizeOf(this.#title).width));
    setText(this.#header, margin + headerLine(layout));
    if (state.rows.length === 0) {
      setText(this.#body, `\n  ${escapeTags(emptyMessage(state))}`);
      return;
    }
    const lines = state.window.map((row, i) => {
      const selected = state.top + i === state.selectedIndex;
      if (row.kind === 'project') {
        return projectLine(row.summary, width, { selected, folded: row.folded, pending: pending.projects.get(row.summary.project) });
      }
      // Tasks of no project get the margin too, so that every row lines up with the header.
      return margin + rowLine(row.task, layout, now, { selected, pending: pending.tasks.get(row.task.id) });
    });
    setText(this.#body, lines.join('\n'));
  }
}

/**
 * The scrollbar's cells, top to bottom: a thumb as tall as the share of rows in view (at least
 * one cell), placed as `top` is among the positions the view can take.
 */
export function scrollbarCells(rows: number, top: number, height: number): string[] {
  if (height <= 0) return [];
  const thumb = Math.max(1, Math.round((height * height) / Math.max(rows, 1)));
  const maxTop = Math.max(1, rows - height);
  const start = Math.round((Math.min(top, maxTop) / maxTop) * (height - thumb));
  return Array.from({ length: height }, (_, i) => (i >= start && i < start + thumb ? '█' : '│'));
}

function titleLine(state: TaskListState, width: number): string {
  const { running, restarting, projects } = state.counts;
  const total = state.all.length;
  const waiting = restarting > 0 ? `, ${restarting} waiting to restart` : '';
  const grouped = projects > 0 ? `, ${projects} project${projects === 1 ? '' : 's'}` : '';
  const parts = [`{bold}ghost{/bold}  ${total} task${total === 1 ? '' : 's'}, ${running} running${waiting}${grouped}`];
  if (state.filter !== 'all' || state.query !== '') {
    parts.push(`showing ${state.visible.length}`);
    if (state.filter !== 'all') parts.push(`filter: {bold}${state.filter}{/bold}`);
    if (state.query !== '') parts.push(`search: {bold}${escapeTags(state.query)}{/bold}`);
  }
  if (state.sort !== 'status') parts.push(`sort: {bold}${state.sort}{/bold}`);
  const left = ` ${parts.join('  ·  ')}`;
  // Where the selection is, at the right: "row 3 of 1,000".
  const position = state.rows.length === 0 ? '' : `row ${formatCount(state.selectedIndex + 1)} of ${formatCount(state.rows.length)} `;
  const room = width - taggedWidth(left) - displayWidth(position);
  return room >= 2 ? `${left}${' '.repeat(room)}${position}` : left;
}


function emptyMessage(state: TaskListState): string {
  if (state.all.length === 0) return NO_TASKS_MESSAGE;
  const what = state.filter === 'all' ? 'tasks' : `${state.filter} tasks`;
  const search = state.query === '' ? '' : ` matching "${state.query}"`;
  const undo = state.query === '' ? 'Tab changes the filter.' : '/ then Esc clears the search; Tab changes the filter.';
  return `No ${what}${search}. ${undo}`;
}
