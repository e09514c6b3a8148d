import { type ProjectSummary, type Task, endedInFailure, isActiveStatus, projectSummaries } from '@ghost/core';

/**
 * What `Tab` cycles through (Shift-Tab goes back). `running` includes tasks waiting to restart,
 * so a crash-looping task does not blink in and out of it; `failed` is core's `endedInFailure`
 * (a non-zero exit, an unknown end, out of memory, …), whatever the status.
 */
export const STATUS_FILTERS = ['all', 'running', 'failed', 'exited', 'killed', 'unknown'] as const;
export type StatusFilter = (typeof STATUS_FILTERS)[number];

/**
 * What `o` cycles through: `status` puts what runs (or waits to restart) above what has ended,
 * newest first within each; `started` is newest first; `name` by name (else command), A to Z;
 * `cpu` and `memory` the busiest first (tasks not measured last).
 */
export const SORT_ORDERS = ['status', 'started', 'name', 'cpu', 'memory'] as const;
export type SortOrder = (typeof SORT_ORDERS)[number];

/** What never changes about a task, lowercased, computed once per task: what `/` searches, and the name it sorts by (else its argv). */
interface TaskTexts {
  search: string;
  name: string;
}

/** Tasks in some order, with each one's texts at the same index. */
interface Ordered {
  tasks: readonly Task[];
  texts: readonly TaskTexts[];
}

/**
 * Each order as a key per task (compared with < and >, ascending), or undefined for core's
 * order. Keys are computed once per sort, not per comparison: 10,000 tasks sort in a few ms.
 */
const SORT_KEYS: Record<SortOrder, ((task: Task, texts: TaskTexts) => number | string) | undefined> = {
  status: (task) => (isActiveStatus(task.status) ? 0 : 1),
  // Core lists newest first already.
  started: undefined,
  name: (_task, texts) => texts.name,
  cpu: (task) => -(task.cpuPercent ?? -1),
  memory: (task) => -(task.memoryBytes ?? -1),
};

/** Orders whose keys never change for a task (its texts): kept while the same tasks come again with new values. */
const TEXT_ORDERS: ReadonlySet<SortOrder> = new Set(['name']);

/**
 * A line of the list: a task, or the head of a project's group (its stack's state, counted over
 * all its services whatever the filters; `folded` hides its tasks).
 */
export type ListRow =
  | { kind: 'task'; task: Task; /** Under a project's head (drawn indented). */ grouped: boolean }
  | { kind: 'project'; summary: ProjectSummary; folded: boolean };

/** What stays selected as rows come and go: a task by id, or a project's head by name. */
type Selection = { kind: 'task' | 'project'; id: string };

const selectionOf = (row: ListRow): Selection => (row.kind === 'task' ? { kind: 'task', id: row.task.id } : { kind: 'project', id: row.summary.project });
const isSelection = (row: ListRow, selection: Selection): boolean =>
  row.kind === selection.kind && (row.kind === 'task' ? row.task.id : row.summary.project) === selection.id;

/**
 * The task list's state, without any drawing: the tasks (as core lists them, newest first,
 * then in the sort order), the status and text filters, the grouping by project, the selected
 * row and the scroll position. A project's tasks are listed under its head, where its first task would be; tasks
 * of no project stay where they are. Selection follows the task (or project), not the row, so
 * a task arriving at the top does not move it to another task.
 *
 * Everything a keypress does here is O(1) or O(visible rows); only new data or a new filter
 * walks the whole list, so a thousand tasks stay instant.
 */
export class TaskListState {
  #all: readonly Task[] = [];
  /** `#all` in the sort order (sorted when the tasks or the order change, not per key). */
  #sorted: Ordered = { tasks: [], texts: [] };
  /** `#all` in each order it was sorted in since the tasks last changed: cycling through the orders sorts each once. */
  #sortedBy = new Map<SortOrder, Ordered>();
  /**
   * For the TEXT_ORDERS, the indexes of `#all` in that order: still right when the same tasks
   * come again in the same places (each tick refreshes their CPU and memory), so those orders
   * are sorted when tasks come or go, not every second.
   */
  #textOrders = new Map<SortOrder, number[]>();
  /** What `#textsOf` gives for each task of `#all`, by index: sorting and searching 10,000 tasks look up none. */
  #allTexts: TaskTexts[] = [];
  /** The last filtering: a query typed on from it narrows what it found instead of all the tasks. */
  #filtered: { from: Ordered; filter: StatusFilter; query: string; found: Ordered } | undefined;
  #sort: SortOrder = 'status';
  #visible: readonly Task[] = [];
  #rows: readonly ListRow[] = [];
  #counts = { running: 0, restarting: 0, projects: 0 };
  /** Whether some row is a project's head (its tasks are then drawn indented). */
  #hasHeads = false;
  #grouped = true;
  #folded = new Set<string>();
  /** Per task id, what never changes about it, lowercased: what `/` searches, and its name for sorting. */
  #texts = new Map<string, TaskTexts>();
  /** See `#rowOf`; a task object that is gone takes its row with it. */
  #rowsOf = new WeakMap<Task, ListRow>();
  #filter: StatusFilter = 'all';
  #query = '';
  #index = 0;
  #selection: Selection | null = null;
  #top = 0;
  #height = 1;

  get all(): readonly Task[] {
    return this.#all;
  }

  /** The tasks that pass the filters, in the sort order. */
  get visible(): readonly Task[] {
    return this.#visible;
  }

  /** What the list shows, in order: tasks, and project heads when grouped. */
  get rows(): readonly ListRow[] {
    return this.#rows;
  }

  /** How many tasks run, wait to restart, and how many projects there are: counted once per new data, not per key. */
  get counts(): Readonly<{ running: number; restarting: number; projects: number }> {
    return this.#counts;
  }

  get hasHeads(): boolean {
    return this.#hasHeads;
  }

  /** Whether the tasks are grouped by project (the default). */
  get grouped(): boolean {
    return this.#grouped;
  }

  get filter(): StatusFilter {
    return this.#filter;
  }

  get sort(): SortOrder {
    return this.#sort;
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
    const previous = this.#all;
    if (tasks.length !== previous.length || tasks.some((task, index) => task.id !== previous[index]!.id)) this.#textOrders.clear();
    this.#all = tasks;
    const projects = new Set<string>();
    const counts = { running: 0, restarting: 0, projects: 0 };
    for (const task of tasks) {
      if (task.status === 'running') counts.running++;
      else if (task.status === 'restarting') counts.restarting++;
      if (task.project !== null) projects.add(task.project);
    }
    counts.projects = projects.size;
    this.#counts = counts;
    // What `/` searches, for tasks not seen before (it never changes): computed with the data,
    // so that no keystroke pays for 10,000 of them. Forgotten tasks are dropped now and then.
    if (this.#texts.size > tasks.length * 2) this.#texts.clear();
    this.#allTexts = tasks.map((task) => this.#textsOf(task));
    this.#sortedBy.clear();
    this.#applySort();
  }

  setFilter(filter: StatusFilter): void {
    this.#filter = filter;
    this.#applyFilters();
  }

  /** The next filter of STATUS_FILTERS (`-1`: the previous), round. */
  cycleFilter(direction: 1 | -1 = 1): StatusFilter {
    this.setFilter(cycle(STATUS_FILTERS, this.#filter, direction));
    return this.#filter;
  }

  setSort(sort: SortOrder): void {
    this.#sort = sort;
    this.#applySort();
  }

  /**
   * Sorts the tasks in one more of the orders that last while the tasks stay the same (false
   * once each is sorted), for a caller to run between keys after tasks came or went: the next
   * `o` then finds its order ready. The other orders are quick to sort on the key.
   */
  presort(): boolean {
    const order = [...TEXT_ORDERS].find((sort) => !this.#textOrders.has(sort));
    if (order === undefined) return false;
    this.#textOrders.set(order, this.#orderBy(order));
    return true;
  }

  /** The next order of SORT_ORDERS, round. */
  cycleSort(): SortOrder {
    this.setSort(cycle(SORT_ORDERS, this.#sort, 1));
    return this.#sort;
  }

  setQuery(query: string): void {
    this.#query = query;
    this.#applyFilters();
  }

  /** Grouped by project ⇄ one flat list. */
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
    this.#selection = { kind: 'project', id: project };
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

  /** PageDown / PageUp: a whole view, keeping the selection on the same row of the screen. */
  page(direction: 1 | -1): void {
    const row = this.#index - this.#top;
    const top = this.#top;
    this.#top = clamp(top + direction * this.#height, 0, Math.max(0, this.#rows.length - this.#height));
    // At either end the view cannot move: the selection goes the page instead (to the first or last row).
    this.#select(this.#top === top ? this.#index + direction * this.#height : this.#top + row);
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
    this.#selection = row ? selectionOf(row) : null;
    this.#scrollToSelection();
  }

  #scrollToSelection(): void {
    const maxTop = Math.max(0, this.#rows.length - this.#height);
    if (this.#index < this.#top) this.#top = this.#index;
    else if (this.#index >= this.#top + this.#height) this.#top = this.#index - this.#height + 1;
    this.#top = clamp(this.#top, 0, maxTop);
  }

  #applySort(): void {
    let sorted = this.#sortedBy.get(this.#sort);
    if (!sorted) {
      sorted = this.#sortedIn(this.#sort);
      this.#sortedBy.set(this.#sort, sorted);
    }
    this.#sorted = sorted;
    this.#applyFilters();
  }

  #sortedIn(sort: SortOrder): Ordered {
    const texts = this.#allTexts;
    if (!SORT_KEYS[sort]) return { tasks: this.#all, texts };
    let order = this.#textOrders.get(sort);
    if (!order) {
      order = this.#orderBy(sort);
      if (TEXT_ORDERS.has(sort)) this.#textOrders.set(sort, order);
    }
    return { tasks: order.map((index) => this.#all[index]!), texts: order.map((index) => texts[index]!) };
  }

  /**
   * The indexes of `#all` in `sort`'s order. Sorted by a key array, with no object per task (a
   * sort of 10,000 leaves little for the GC), as a plain array, which V8 sorts (TimSort, quick
   * on runs already in order) faster than a typed one.
   */
  #orderBy(sort: SortOrder): number[] {
    const keyOf = SORT_KEYS[sort]!;
    const texts = this.#allTexts;
    const keys = this.#all.map((task, index) => keyOf(task, texts[index]!));
    const order: number[] = [];
    for (let i = 0; i < keys.length; i++) order.push(i);
    // Ties keep core's order, newest first.
    order.sort((a, b) => (keys[a]! < keys[b]! ? -1 : keys[a]! > keys[b]! ? 1 : a - b));
    return order;
  }

  #applyFilters(): void {
    const filter = this.#filter;
    const query = this.#query.trim().toLowerCase();
    this.#visible = this.#filterSorted(filter, query).tasks;
    const grouping = this.#grouped && this.#counts.projects > 0;
    this.#rows = grouping ? this.#groupRows() : this.#visible.map((task) => this.#rowOf(task));
    this.#hasHeads = grouping && this.#rows.some((row) => row.kind === 'project');
    // Keep the same row selected if it is still shown (a folded task: its project's head);
    // otherwise stay at the same row.
    const selection = this.#selection;
    let kept = selection === null ? -1 : this.#rows.findIndex((row) => isSelection(row, selection));
    if (kept < 0 && selection?.kind === 'task') {
      const project = this.#all.find((task) => task.id === selection.id)?.project;
      if (project) kept = this.#rows.findIndex((row) => row.kind === 'project' && row.summary.project === project);
    }
    this.#select(kept >= 0 ? kept : this.#index);
  }

  /** The tasks of `#sorted` that pass `filter` and `query`, in order. */
  #filterSorted(filter: StatusFilter, query: string): Ordered {
    if (filter === 'all' && query === '') return this.#sorted;
    // Whatever contains the longer query contains the shorter one: each key typed searches only
    // what the last one found.
    const last = this.#filtered;
    const from = last && last.from === this.#sorted && last.filter === filter && query.includes(last.query) ? last.found : this.#sorted;
    const tasks: Task[] = [];
    const texts: TaskTexts[] = [];
    for (let i = 0; i < from.tasks.length; i++) {
      const task = from.tasks[i]!;
      const text = from.texts[i]!;
      if (matchesFilter(task, filter) && (query === '' || text.search.includes(query))) {
        tasks.push(task);
        texts.push(text);
      }
    }
    const found = { tasks, texts };
    this.#filtered = { from: this.#sorted, filter, query, found };
    return found;
  }

  /** The visible tasks, each project's under its head where its first one is. */
  #groupRows(): ListRow[] {
    const summaries = new Map(projectSummaries(this.#all).map((summary) => [summary.project, summary]));
    const shown = new Set(this.#visible);
    const rows: ListRow[] = [];
    const placed = new Set<string>();
    for (const task of this.#visible) {
      if (task.project === null) {
        rows.push(this.#rowOf(task));
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

  /** A task's row when not under a project's head: one object per task, not one per key. */
  #rowOf(task: Task): ListRow {
    let row = this.#rowsOf.get(task);
    if (row === undefined) {
      row = { kind: 'task', task, grouped: false };
      this.#rowsOf.set(task, row);
    }
    return row;
  }

  #textsOf(task: Task): TaskTexts {
    let texts = this.#texts.get(task.id);
    if (texts === undefined) {
      // The argv as words (not quoted as a shell would): what people type, and cheap for 10,000.
      const command = task.command.join(' ');
      texts = { search: `${task.name ?? ''}\n${task.project ?? ''}\n${command}`.toLowerCase(), name: (task.name ?? command).toLowerCase() };
      this.#texts.set(task.id, texts);
    }
    return texts;
  }
}

function matchesFilter(task: Task, filter: StatusFilter): boolean {
  switch (filter) {
    case 'all':
      return true;
    case 'running':
      return isActiveStatus(task.status);
    case 'failed':
      return endedInFailure(task);
    default:
      return task.status === filter;
  }
}

function cycle<T>(values: readonly T[], current: T, direction: 1 | -1): T {
  return values[(values.indexOf(current) + direction + values.length) % values.length]!;
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(Math.max(value, min), max);
}
