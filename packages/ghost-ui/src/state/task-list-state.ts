import { type ProjectSummary, type Task, commandText, isActiveStatus, projectSummaries } from '@ghost/core';

/**
 * What `Tab` cycles through. `running` includes tasks waiting to restart, so a crash-looping
 * task does not blink in and out of it. `unknown` tasks show under `all` only.
 */
export const STATUS_FILTERS = ['all', 'running', 'exited', 'killed'] as const;
export type StatusFilter = (typeof STATUS_FILTERS)[number];

/**
 * A line of the list: a task, or the head of a project's group (its stack's state, counted over
 * all its services whatever the filters; `folded` hides its tasks).
 */
export type ListRow =
  | { kind: 'task'; task: Task; /** Under a project's head (drawn indented). */ grouped: boolean }
  | { kind: 'project'; summary: ProjectSummary; folded: boolean };

const rowKey = (row: ListRow): string => (row.kind === 'task' ? `t:${row.task.id}` : `p:${row.summary.project}`);

/**
 * The task list's state, without any drawing: the tasks (newest first, as core lists them),
 * the status and text filters, the grouping by project, the selected row and the scroll
 * position. A project's tasks are listed under its head, where its first task would be; tasks
 * of no project stay where they are. Selection follows the task (or project), not the row, so
 * a task arriving at the top does not move it to another task.
 *
 * Everything a keypress does here is O(1) or O(visible rows); only new data or a new filter
 * walks the whole list, so a thousand tasks stay instant.
 */
export class TaskListState {
  #all: readonly Task[] = [];
  #visible: readonly Task[] = [];
  #rows: readonly ListRow[] = [];
  #grouped = true;
  #folded = new Set<string>();
  /** Lower-cased "name command" per task id: what `/` searches, computed once per task. */
  #searchText = new Map<string, string>();
  #filter: StatusFilter = 'all';
  #query = '';
  #index = 0;
  #selectedKey: string | null = null;
  #top = 0;
  #height = 1;

  get all(): readonly Task[] {
    return this.#all;
  }

  /** The tasks that pass the filters, newest first. */
  get visible(): readonly Task[] {
    return this.#visible;
  }

  /** What the list shows, in order: tasks, and project heads when grouped. */
  get rows(): readonly ListRow[] {
    return this.#rows;
  }

  /** Whether the tasks are grouped by project (the default). */
  get grouped(): boolean {
    return this.#grouped;
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

  get selectedRow(): ListRow | undefined {
    return this.#rows[this.#index];
  }

  /** The selected task (none while a project's head is selected). */
  get selected(): Task | undefined {
    const row = this.#rows[this.#index];
    return row?.kind === 'task' ? row.task : undefined;
  }

  /** The project of the selected row: its head's, or its task's. */
  get selectedProject(): string | undefined {
    const row = this.#rows[this.#index];
    return row === undefined ? undefined : row.kind === 'project' ? row.summary.project : (row.task.project ?? undefined);
  }

  /** Index of the row drawn at the top of the list. */
  get top(): number {
    return this.#top;
  }

  get height(): number {
    return this.#height;
  }

  /** The rows that fit in the view, from `top`. */
  get window(): readonly ListRow[] {
    return this.#rows.slice(this.#top, this.#top + this.#height);
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

  /** Grouped by project ⇄ one flat list, newest first. */
  toggleGrouping(): boolean {
    this.#grouped = !this.#grouped;
    this.#applyFilters();
    return this.#grouped;
  }

  /** Folds or unfolds the selected row's project (its head stays, and is selected). */
  toggleFold(): void {
    const project = this.selectedProject;
    if (project === undefined || !this.#grouped) return;
    if (!this.#folded.delete(project)) this.#folded.add(project);
    this.#selectedKey = `p:${project}`;
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
    this.#select(this.#rows.length - 1);
  }

  /** Ctrl-d / Ctrl-u: half a view, the way vi and less do. */
  halfPage(direction: 1 | -1): void {
    const step = Math.max(1, Math.floor(this.#height / 2));
    this.#top = clamp(this.#top + direction * step, 0, Math.max(0, this.#rows.length - this.#height));
    this.#select(this.#index + direction * step);
  }

  /** Selects the task shown on row `row` of the view (a mouse click); false if there is none. */
  selectRow(row: number): boolean {
    const index = this.#top + row;
    if (row < 0 || row >= this.#height || index >= this.#rows.length) return false;
    this.#select(index);
    return true;
  }

  /** Selects a task by id if it is shown (a rerun selects its new task). */
  selectId(id: string): boolean {
    const index = this.#rows.findIndex((row) => row.kind === 'task' && row.task.id === id);
    if (index < 0) return false;
    this.#select(index);
    return true;
  }

  #select(index: number): void {
    this.#index = clamp(index, 0, Math.max(0, this.#rows.length - 1));
    const row = this.#rows[this.#index];
    this.#selectedKey = row ? rowKey(row) : null;
    this.#scrollToSelection();
  }

  #scrollToSelection(): void {
    const maxTop = Math.max(0, this.#rows.length - this.#height);
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
    const grouping = this.#grouped && this.#all.some((task) => task.project !== null);
    this.#rows = grouping ? this.#groupRows() : this.#visible.map((task) => ({ kind: 'task', task, grouped: false }));
    // Keep the same row selected if it is still shown (a folded task: its project's head);
    // otherwise stay at the same row.
    const key = this.#selectedKey;
    let kept = key === null ? -1 : this.#rows.findIndex((row) => rowKey(row) === key);
    if (kept < 0 && key?.startsWith('t:')) {
      const project = this.#all.find((task) => task.id === key.slice(2))?.project;
      if (project) kept = this.#rows.findIndex((row) => row.kind === 'project' && row.summary.project === project);
    }
    this.#select(kept >= 0 ? kept : this.#index);
  }

  /** The visible tasks, each project's under its head where its first one is. */
  #groupRows(): ListRow[] {
    const summaries = new Map(projectSummaries(this.#all).map((summary) => [summary.project, summary]));
    const shown = new Set(this.#visible);
    const rows: ListRow[] = [];
    const placed = new Set<string>();
    for (const task of this.#visible) {
      if (task.project === null) {
        rows.push({ kind: 'task', task, grouped: false });
        continue;
      }
      if (placed.has(task.project)) continue;
      placed.add(task.project);
      const summary = summaries.get(task.project)!;
      const folded = this.#folded.has(task.project);
      rows.push({ kind: 'project', summary, folded });
      if (folded) continue;
      for (const member of summary.tasks) if (shown.has(member)) rows.push({ kind: 'task', task: member, grouped: true });
    }
    return rows;
  }

  #search(task: Task): string {
    let text = this.#searchText.get(task.id);
    if (text === undefined) {
      text = `${task.name ?? ''}\n${task.project ?? ''}\n${commandText(task.command)}`.toLowerCase();
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
