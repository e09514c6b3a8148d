import { type Task, commandText, isActiveStatus } from '@ghost/core';

/**
 * What `Tab` cycles through. `running` includes tasks waiting to restart, so a crash-looping
 * task does not blink in and out of it. `unknown` tasks show under `all` only.
 */
export const STATUS_FILTERS = ['all', 'running', 'exited', 'killed'] as const;
export type StatusFilter = (typeof STATUS_FILTERS)[number];

/**
 * The task list's state, without any drawing: the tasks (newest first, as core lists them),
 * the status and text filters, the selected task and the scroll position. Selection follows
 * the task, not the row, so a task arriving at the top does not move it to another task.
 *
 * Everything a keypress does here is O(1) or O(visible rows); only new data or a new filter
 * walks the whole list, so a thousand tasks stay instant.
 */
export class TaskListState {
  #all: readonly Task[] = [];
  #visible: readonly Task[] = [];
  /** Lower-cased "name command" per task id: what `/` searches, computed once per task. */
  #searchText = new Map<string, string>();
  #filter: StatusFilter = 'all';
  #query = '';
  #index = 0;
  #selectedId: string | null = null;
  #top = 0;
  #height = 1;

  get all(): readonly Task[] {
    return this.#all;
  }

  /** The tasks that pass the filters, in display order. */
  get visible(): readonly Task[] {
    return this.#visible;
  }

  get filter(): StatusFilter {
    return this.#filter;
  }

  get query(): string {
    return this.#query;
  }

  get selectedIndex(): number {
    return this.#index;
  }

  get selected(): Task | undefined {
    return this.#visible[this.#index];
  }

  /** Index of the first visible task drawn at the top of the list. */
  get top(): number {
    return this.#top;
  }

  get height(): number {
    return this.#height;
  }

  /** The visible tasks that fit in the view, from `top`. */
  get window(): readonly Task[] {
    return this.#visible.slice(this.#top, this.#top + this.#height);
  }

  setTasks(tasks: readonly Task[]): void {
    this.#all = tasks;
    if (this.#searchText.size > tasks.length * 2) this.#searchText.clear();
    this.#applyFilters();
  }

  setFilter(filter: StatusFilter): void {
    this.#filter = filter;
    this.#applyFilters();
  }

  /** all → running → exited → killed → all. */
  cycleFilter(): StatusFilter {
    this.setFilter(STATUS_FILTERS[(STATUS_FILTERS.indexOf(this.#filter) + 1) % STATUS_FILTERS.length]!);
    return this.#filter;
  }

  setQuery(query: string): void {
    this.#query = query;
    this.#applyFilters();
  }

  /** Rows the list has room for; keeps the selection in view. */
  setHeight(height: number): void {
    this.#height = Math.max(1, height);
    this.#scrollToSelection();
  }

  moveBy(delta: number): void {
    this.#select(this.#index + delta);
  }

  moveToStart(): void {
    this.#select(0);
  }

  moveToEnd(): void {
    this.#select(this.#visible.length - 1);
  }

  /** Ctrl-d / Ctrl-u: half a view, the way vi and less do. */
  halfPage(direction: 1 | -1): void {
    const step = Math.max(1, Math.floor(this.#height / 2));
    this.#top = clamp(this.#top + direction * step, 0, Math.max(0, this.#visible.length - this.#height));
    this.#select(this.#index + direction * step);
  }

  /** Selects the task shown on row `row` of the view (a mouse click); false if there is none. */
  selectRow(row: number): boolean {
    const index = this.#top + row;
    if (row < 0 || row >= this.#height || index >= this.#visible.length) return false;
    this.#select(index);
    return true;
  }

  /** Selects a task by id if it is visible (a rerun selects its new task). */
  selectId(id: string): boolean {
    const index = this.#visible.findIndex((task) => task.id === id);
    if (index < 0) return false;
    this.#select(index);
    return true;
  }

  #select(index: number): void {
    this.#index = clamp(index, 0, Math.max(0, this.#visible.length - 1));
    this.#selectedId = this.#visible[this.#index]?.id ?? null;
    this.#scrollToSelection();
  }

  #scrollToSelection(): void {
    const maxTop = Math.max(0, this.#visible.length - this.#height);
    if (this.#index < this.#top) this.#top = this.#index;
    else if (this.#index >= this.#top + this.#height) this.#top = this.#index - this.#height + 1;
    this.#top = clamp(this.#top, 0, maxTop);
  }

  #applyFilters(): void {
    const filter = this.#filter;
    const query = this.#query.trim().toLowerCase();
    this.#visible =
      filter === 'all' && query === ''
        ? this.#all
        : this.#all.filter((task) => matchesFilter(task, filter) && (query === '' || this.#search(task).includes(query)));
    // Keep the same task selected if it is still shown; otherwise stay at the same row.
    const kept = this.#selectedId === null ? -1 : this.#visible.findIndex((task) => task.id === this.#selectedId);
    this.#select(kept >= 0 ? kept : this.#index);
  }

  #search(task: Task): string {
    let text = this.#searchText.get(task.id);
    if (text === undefined) {
      text = `${task.name ?? ''}\n${commandText(task.command)}`.toLowerCase();
      this.#searchText.set(task.id, text);
    }
    return text;
  }
}

function matchesFilter(task: Task, filter: StatusFilter): boolean {
  if (filter === 'all') return true;
  return filter === 'running' ? isActiveStatus(task.status) : task.status === filter;
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(Math.max(value, min), max);
}
