import { type Run, type Task, type TaskChanges, type TaskStats, mergeTaskChanges, processAlive } from '@ghost/core';
import { shortId } from '@ghost/core/format';
import { StackActions, type StackApi } from './actions/stack-actions.js';
import { TaskActions } from './actions/task-actions.js';
import { errorText } from './format/error-text.js';
import type { GhostApi } from './ghost-api.js';
import { taskLabel } from './format/task-cells.js';
import { oneLine } from './text/width.js';
import { type Command, type View, commandFor } from './keys/keymap.js';
import { type Prompt, editPrompt } from './keys/prompt.js';
import { LogSession } from './live/log-session.js';
import { PortsCache } from './live/ports-cache.js';
import { TaskListState } from './state/task-list-state.js';
import { type Blessed, type Screen, takeChanged } from './views/blessed-types.js';
import { DetailsView } from './views/details-view.js';
import { Footer, type MessageKind } from './views/footer.js';
import { LogView } from './views/log-view.js';
import { ConfirmDialog, HelpOverlay } from './views/overlays.js';
import { TaskListView } from './views/task-list-view.js';

export interface AppOptions {
  /** The slow tick that redraws durations and "started … ago" (default 1 s). */
  tickMs?: number;
  /** How often the tasks are read again without a change notification (default 5 s). */
  rereadMs?: number;
  /** How often an open log is read besides change notifications (default 500 ms). */
  logPollMs?: number;
  /** Up and down of projects (see `stackApi`); without it the UI offers neither. */
  stacks?: StackApi;
  /** Ask before stopping, killing or restarting a running task (default true; `a` in the question turns it off). */
  confirm?: boolean;
}

type Overlay = 'help' | 'confirm' | 'search' | undefined;

const NONE_PENDING: ReadonlyMap<string, string> = new Map();
/** How long after new data the list's slow orders are sorted ahead: once a burst of changes has settled. */
const PRESORT_DELAY_MS = 200;

/** The keys that scroll a help overlay taller than the screen (any other key closes it). */
const HELP_SCROLL: Readonly<Record<string, number | 'page' | '-page'>> = {
  j: 1,
  down: 1,
  k: -1,
  up: -1,
  pagedown: 'page',
  'C-d': 'page',
  pageup: '-page',
  'C-u': '-page',
  g: -Infinity,
  home: -Infinity,
  'S-g': Infinity,
  end: Infinity,
};

interface KeyEvent {
  full: string;
  name?: string;
  ctrl?: boolean;
  meta?: boolean;
}

/**
 * The terminal UI's controller: it owns the views and their state, turns keys into state
 * changes or core calls, and redraws. Everything slow (stopping a task, finding its ports)
 * runs as a promise while the screen keeps answering keys; every failure ends up in the
 * status line, never as a crash.
 */
export class App {
  readonly #screen: Screen;
  readonly #ghost: GhostApi;
  readonly #options: Required<Omit<AppOptions, 'stacks' | 'confirm'>>;
  /** Whether stop, kill and restart of a running task ask first. */
  #confirmActions: boolean;

  readonly #list = new TaskListState();
  readonly #listView: TaskListView;
  readonly #detailsView: DetailsView;
  readonly #logView: LogView;
  /** The split layout's lower pane: the selected task's log, live (see `L`). */
  readonly #paneView: LogView;
  readonly #footer: Footer;
  readonly #help: HelpOverlay;
  readonly #confirm: ConfirmDialog;
  readonly #ports: PortsCache;
  readonly #actions: TaskActions;
  readonly #stackActions: StackActions | undefined;

  #tasksById = new Map<string, Task>();
  /** The tasks as core lists them (newest first, without the UI's own CPU and memory figures), and where listChanges left off. */
  #held: Task[] = [];
  #cursor: number | undefined;
  /** The running tasks' CPU and memory as last measured, by task id (see #measure). */
  #usage = new Map<string, TaskStats>();
  /** Views below the current one: Esc goes back to the last. */
  #viewStack: View[] = [];
  #view: View = 'list';
  #overlay: Overlay;
  #onConfirm: { yes: () => void; no: string; always: boolean } | undefined;
  /** Task shown in details or log view. */
  #focusId: string | undefined;
  #env: { taskId: string; env: { values: Record<string, string> } | { error: string } } | undefined;
  /** The focused task's runs, read again when its run or status changes. */
  #runs: { key: string; runs: readonly Run[] | { error: string } } | undefined;
  #revealEnv = false;
  #log: LogSession | undefined;
  #quitArmed = false;

  #watcher: { close(): void } | undefined;
  #tick: NodeJS.Timeout | undefined;
  #logTimer: NodeJS.Timeout | undefined;
  /** The split layout: the list above, the selected task's log below. */
  #split = false;
  #pane: LogSession | undefined;
  #paneTimer: NodeJS.Timeout | undefined;
  #closed = false;
  #presortTimer: NodeJS.Timeout | undefined;
  /** When the tasks were last read (Date.now()). */
  #lastRead = 0;
  #resolveDone!: () => void;
  readonly done: Promise<void>;

  constructor(blessed: Blessed, screen: Screen, ghost: GhostApi, options: AppOptions = {}) {
    this.#screen = screen;
    this.#ghost = ghost;
    this.#options = { tickMs: options.tickMs ?? 1_000, rereadMs: options.rereadMs ?? 5_000, logPollMs: options.logPollMs ?? 500 };
    this.#confirmActions = options.confirm ?? true;
    this.done = new Promise((resolve) => (this.#resolveDone = resolve));

    this.#listView = new TaskListView(blessed, screen, {
      onRowClick: (row) => this.#guard(() => this.#list.selectRow(row) && this.#render()),
      onWheel: (delta) => this.#guard(() => this.#overlay === undefined && (this.#list.moveBy(delta), this.#render())),
    });
    this.#detailsView = new DetailsView(blessed, screen, {
      onWheel: (delta) => this.#guard(() => (this.#detailsView.scrollBy(delta), this.#render())),
    });
    this.#logView = new LogView(blessed, screen, {
      onWheel: (delta) => this.#guard(() => this.#log && (this.#log.state.scrollBy(delta), this.#render())),
    });
    this.#paneView = new LogView(blessed, screen, {
      onWheel: (delta) => this.#guard(() => this.#pane && (this.#pane.state.scrollBy(delta), this.#render())),
    });
    this.#footer = new Footer(blessed, screen);
    this.#help = new HelpOverlay(blessed, screen);
    this.#confirm = new ConfirmDialog(blessed, screen);
    const host = {
      message: (text: string, kind: MessageKind) => this.#message(text, kind),
      changed: () => this.#refresh(),
      started: (task: Task) => {
        if (this.#view === 'list' && this.#list.selectId(task.id)) this.#render();
      },
      live: () => !this.#closed,
    };
    this.#actions = new TaskActions(ghost, host);
    this.#stackActions = options.stacks && new StackActions(options.stacks, host);
    this.#ports = new PortsCache(
      (id) => this.#ghost.ports(id),
      (id) => this.#view === 'details' && this.#focusId === id && this.#render(),
    );
  }

  /** Shows the list and starts listening; `done` resolves when the person quits. */
  start(): Promise<void> {
    this.#screen.on('keypress', (ch: string | undefined, key: KeyEvent | undefined) => this.#guard(() => this.#onKey(ch, key)));
    this.#screen.on('resize', () =>
      this.#guard(() => {
        if (this.#overlay === 'help') this.#help.show(this.#screen.width as number, this.#screen.height as number);
        this.#render();
      }),
    );
    // Whoever destroys the screen ends the app with it (timers and watchers included).
    this.#screen.on('destroy', () => this.stop());
    this.#watcher = this.#ghost.watch(() =>
      this.#guard(() => {
        this.#pollLog(false);
        this.#pane?.poll();
        this.#refresh();
      }),
    );
    // Times move on by themselves; the tasks are re-read only now and then (changes arrive
    // through the watcher), so at rest the UI costs one small redraw a second. A task whose
    // supervisor was killed ends without any file changing: nothing notifies that, so each
    // tick also looks whether the processes of running tasks are still there (a /proc read
    // per running task; nothing when none runs), and measures their CPU and memory.
    this.#tick = setInterval(
      () =>
        this.#guard(() => {
          if (Date.now() - this.#lastRead >= this.#options.rereadMs || this.#runningTaskGone()) {
            this.#measure();
            this.#refresh();
          } else if (this.#measure()) {
            this.#setTasks(this.#held);
            this.#render();
          } else this.#render({ onlyIfChanged: true });
        }),
      this.#options.tickMs,
    );
    this.#refresh();
    return this.done;
  }

  /** Reads the tasks again and redraws (change notifications and the slow tick call this). */
  refresh(): void {
    this.#refresh();
  }

  stop(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#watcher?.close();
    clearInterval(this.#tick);
    clearTimeout(this.#presortTimer);
    this.#closeLog();
    this.#setSplit(false);
    this.#ports.close();
    this.#resolveDone();
  }

  // ---- data

  #refresh(): void {
    if (this.#closed) return;
    let changes: TaskChanges;
    this.#lastRead = Date.now();
    try {
      // Only what changed since the last read: over thousands of tasks a refresh costs what changed.
      changes = this.#ghost.listChanges(this.#cursor);
    } catch (error) {
      this.#message(`cannot list tasks: ${errorText(error)}`, 'error');
      this.#render();
      return;
    }
    this.#cursor = changes.cursor;
    if (changes.full || changes.tasks.length > 0 || changes.removed.length > 0) {
      this.#held = mergeTaskChanges(this.#held, changes);
      this.#setTasks(this.#held);
    }
    if (this.#view !== 'list' && this.#focusId !== undefined && !this.#tasksById.has(this.#focusId)) {
      this.#message(`task ${shortId(this.#focusId)} was deleted`, 'info');
      this.#backToList();
    }
    this.#render();
  }

  /** Shows `tasks`, with the CPU and memory last measured of those running the same run. */
  #setTasks(tasks: readonly Task[]): void {
    const shown = this.#usage.size === 0 ? tasks : tasks.map((task) => {
      const usage = task.status === 'running' ? this.#usage.get(task.id) : undefined;
      return usage && usage.run === task.run ? { ...task, cpuPercent: usage.cpuPercent, memoryBytes: usage.memoryBytes } : task;
    });
    this.#tasksById = new Map(shown.map((task) => [task.id, task]));
    this.#list.setTasks(shown);
    this.#schedulePresort();
  }

  /** Sorts, a little after new data and one order per turn, what a key would otherwise sort (see TaskListState.presort). */
  #schedulePresort(): void {
    if (this.#presortTimer !== undefined) return;
    this.#presortTimer = setTimeout(() => {
      this.#presortTimer = undefined;
      if (!this.#closed && this.#list.presort()) this.#schedulePresort();
    }, PRESORT_DELAY_MS);
  }

  /**
   * Measures the running tasks' CPU and memory (true if any run). Each tick's CPU % is over the
   * time since the last one, as `ghost stats --watch` shows it; when none runs, this costs nothing.
   */
  #measure(): boolean {
    const running = this.#list.all.filter((task) => task.status === 'running');
    if (running.length === 0) {
      this.#usage.clear();
      return false;
    }
    try {
      this.#usage = new Map(this.#ghost.stats(running, { previous: [...this.#usage.values()] }).map((stats) => [stats.id, stats]));
    } catch {
      // A task removed meanwhile: the next read of the list shows that.
      return false;
    }
    return true;
  }

  /** Whether a task shown as running has no process any more (reading again records how). */
  #runningTaskGone(): boolean {
    for (const task of this.#tasksById.values()) {
      if (task.status === 'running' && task.pid !== null && !processAlive(task.pid)) return true;
    }
    return false;
  }

  get #focused(): Task | undefined {
    return this.#view === 'list' ? this.#list.selected : this.#focusId === undefined ? undefined : this.#tasksById.get(this.#focusId);
  }

  // ---- drawing

  /**
   * Draws the current view. `onlyIfChanged` (the slow tick): leaves the screen alone when the
   * list's text came out the same (nothing an age or a duration shows moved), which is what
   * keeps an idle UI over thousands of tasks near zero CPU.
   */
  #render(options: { onlyIfChanged?: boolean } = {}): void {
    if (this.#closed) return;
    const now = Date.now();
    this.#listView.container.hidden = this.#view !== 'list';
    this.#layoutSplit();
    this.#detailsView.container.hidden = this.#view !== 'details';
    this.#logView.container.hidden = this.#view !== 'log';
    const task = this.#focused;
    if (this.#view === 'list') {
      this.#list.setHeight(this.#listView.rowCapacity);
      this.#listView.render(this.#list, now, { tasks: this.#actions.pending, projects: this.#stackActions?.pending ?? NONE_PENDING });
      const pane = this.#syncPane();
      const paneTask = pane && this.#tasksById.get(pane.taskId);
      if (pane && paneTask) this.#drawLog(this.#paneView, paneTask, pane);
    } else if (this.#view === 'details' && task) {
      this.#detailsView.render(task, {
        env: this.#envOf(task),
        revealEnv: this.#revealEnv,
        ports: task.status === 'running' ? this.#ports.get(task.id) : { state: 'ended' },
        runs: this.#runsOf(task),
        now,
      });
    } else if (this.#view === 'log' && task && this.#log) {
      this.#drawLog(this.#logView, task, this.#log);
    }
    const prompt = this.#overlay === 'search' ? this.#prompt() : undefined;
    if (prompt) this.#footer.showPrompt(prompt);
    this.#footer.showKeys(this.#view, (command) => this.#applies(command), this.#overlay, this.#help.scrolls, prompt);
    const changed = takeChanged();
    if (options.onlyIfChanged && !changed && this.#view === 'list' && this.#overlay === undefined) return;
    this.#screen.render();
  }

  #runsOf(task: Task): readonly Run[] | { error: string } {
    const key = `${task.id}:${task.run}:${task.status}`;
    if (this.#runs?.key !== key) {
      let runs: readonly Run[] | { error: string };
      try {
        runs = this.#ghost.runs(task.id);
      } catch (error) {
        runs = { error: errorText(error) };
      }
      this.#runs = { key, runs };
    }
    return this.#runs.runs;
  }

  #envOf(task: Task): { values: Record<string, string> } | { error: string } {
    if (this.#env?.taskId !== task.id) {
      let env: { values: Record<string, string> } | { error: string };
      try {
        env = { values: this.#ghost.taskEnv(task.id) };
      } catch (error) {
        env = { error: errorText(error) };
      }
      this.#env = { taskId: task.id, env };
    }
    return this.#env.env;
  }

  /** Whether a command does something now (the footer shows only those). */
  #applies(command: Command): boolean {
    const task = this.#focused;
    switch (command) {
      case 'stop':
      case 'kill':
        return task?.status === 'running' && !this.#actions.pending.has(task.id);
      case 'delete':
        return task !== undefined && task.status !== 'running';
      case 'details':
      case 'log':
      case 'rerun':
        return task !== undefined;
      case 'restart':
        return task !== undefined && !this.#actions.pending.has(task.id);
      case 'fold':
        return this.#view === 'list' && this.#list.grouped && this.#list.selectedProject !== undefined;
      case 'stackUp':
      case 'stackDown': {
        const project = this.#view === 'list' ? this.#list.selectedProject : undefined;
        return this.#stackActions !== undefined && project !== undefined && !this.#stackActions.pending.has(project);
      }
      default:
        return true;
    }
  }

  #message(text: string, kind: MessageKind): void {
    if (this.#overlay === 'search') return;
    this.#footer.showMessage(text, kind);
  }

  // ---- keys

  #onKey(ch: string | undefined, key: KeyEvent | undefined): void {
    if (this.#closed || !key) return;
    // blessed reports Enter twice ("return", then "enter"): act on one.
    if (key.full === 'return') return;
    // A terminal sends Alt+key as Esc and the key: an Esc typed just before another key arrives
    // in the same read and is parsed as Alt+key. The UI binds no Alt key, so it is both keys.
    const alt = key.ctrl ? null : /^M-(?:S-)?(.+)$/.exec(key.full);
    if (alt) {
      const shifted = key.full.startsWith('M-S-');
      const name = alt[1]!;
      this.#onKey(undefined, { full: 'escape', name: 'escape' });
      const char = name.length === 1 ? (shifted ? name.toUpperCase() : name) : undefined;
      return this.#onKey(char, { full: shifted ? `S-${name}` : name, name });
    }
    if (key.full !== 'q' && key.full !== 'C-c') this.#quitArmed = false;
    if (this.#overlay === 'help') {
      const scroll = this.#help.scrolls ? HELP_SCROLL[key.full] : undefined;
      if (scroll !== undefined) {
        this.#help.scrollBy(scroll === 'page' ? this.#help.pageHeight : scroll === '-page' ? -this.#help.pageHeight : scroll);
        return this.#render();
      }
      this.#help.hide();
      this.#overlay = undefined;
      if (key.full === 'C-c') this.#quit();
      else this.#render();
      return;
    }
    if (this.#overlay === 'confirm') return this.#onConfirmKey(key);
    if (this.#overlay === 'search') return this.#onSearchKey(ch, key);
    const command = commandFor(this.#view, key.full);
    if (command) this.#run(command);
  }

  #onConfirmKey(key: KeyEvent): void {
    if (key.full === 'C-c') return this.#quit();
    const onConfirm = this.#onConfirm;
    const always = key.full === 'a' && onConfirm?.always === true;
    if (key.full !== 'y' && key.full !== 'n' && key.full !== 'escape' && key.full !== 'q' && !always) return;
    this.#confirm.hide();
    this.#overlay = undefined;
    this.#onConfirm = undefined;
    if (always) this.#confirmActions = false;
    if (key.full === 'y' || always) onConfirm?.yes();
    else if (onConfirm) this.#message(onConfirm.no, 'info');
    this.#render();
  }

  /** `/` edits a search in the status line (see #prompt). */
  #onSearchKey(ch: string | undefined, key: KeyEvent): void {
    if (key.full === 'C-c') return this.#quit();
    const prompt = this.#prompt();
    const outcome = editPrompt(prompt, ch, key);
    if (outcome === undefined) return;
    if (outcome === 'accept' || outcome === 'cancel') {
      this.#overlay = undefined;
      this.#message(prompt[outcome](), 'info');
    }
    this.#render();
  }

  /** What the search prompt edits: the log's search in the log view, else the list's (it filters as you type). */
  #prompt(): Prompt {
    if (this.#view === 'log' && this.#log) return this.#log.prompt();
    const list = this.#list;
    return {
      text: list.query,
      set: (query) => list.setQuery(query),
      accept: () => (list.query === '' ? '' : `search: ${list.query}`),
      cancel: () => {
        list.setQuery('');
        return '';
      },
      move: (delta) => list.moveBy(delta),
      hint: 'Enter keeps, Esc clears',
      keys: [
        ['Enter', 'keep'],
        ['Esc', 'clear'],
        ['↑/↓', 'move'],
      ],
    };
  }

  #run(command: Command): void {
    if (this.#view === 'list') this.#runInList(command);
    else if (this.#view === 'details') this.#runInDetails(command);
    else this.#runInLog(command);
    this.#render();
  }

  #runInList(command: Command): void {
    const list = this.#list;
    switch (command) {
      case 'down':
        return list.moveBy(1);
      case 'up':
        return list.moveBy(-1);
      case 'top':
        return list.moveToStart();
      case 'bottom':
        return list.moveToEnd();
      case 'halfPageDown':
        return list.halfPage(1);
      case 'halfPageUp':
        return list.halfPage(-1);
      case 'pageDown':
        return list.page(1);
      case 'pageUp':
        return list.page(-1);
      case 'cycleFilter':
      case 'previousFilter':
        list.cycleFilter(command === 'cycleFilter' ? 1 : -1);
        return;
      case 'cycleSort':
        this.#message(`sorted by ${list.cycleSort()}`, 'info');
        return;
      case 'search':
        this.#overlay = 'search';
        return;
      case 'details':
        if (list.selected) this.#openDetails(list.selected);
        else list.toggleFold();
        return;
      case 'fold':
        return list.toggleFold();
      case 'group':
        this.#message(list.toggleGrouping() ? 'grouped by project' : 'one list', 'info');
        return;
      case 'split':
        this.#setSplit(!this.#split);
        this.#message(this.#split ? "the selected task's log below: L again shows the list alone, l the log alone" : 'the list alone', 'info');
        return;
      case 'stackUp':
        if (list.selectedProject !== undefined) void this.#stackActions?.up(list.selectedProject);
        return;
      case 'stackDown':
        if (list.selectedProject !== undefined) this.#askDown(list.selectedProject);
        return;
      default:
        return this.#runShared(command, list.selected);
    }
  }

  #runInDetails(command: Command): void {
    const details = this.#detailsView;
    switch (command) {
      case 'down':
        return details.scrollBy(1);
      case 'up':
        return details.scrollBy(-1);
      case 'top':
        return details.scrollTo('top');
      case 'bottom':
        return details.scrollTo('bottom');
      case 'halfPageDown':
        return details.scrollBy(Math.max(1, Math.floor(details.pageHeight / 2)));
      case 'halfPageUp':
        return details.scrollBy(-Math.max(1, Math.floor(details.pageHeight / 2)));
      case 'pageDown':
        return details.scrollBy(Math.max(1, details.pageHeight));
      case 'pageUp':
        return details.scrollBy(-Math.max(1, details.pageHeight));
      case 'revealEnv':
        this.#revealEnv = !this.#revealEnv;
        return;
      default:
        return this.#runShared(command, this.#focused);
    }
  }

  #runInLog(command: Command): void {
    const log = this.#log;
    if (!log) return this.#runShared(command, undefined);
    if (command === 'search') {
      this.#overlay = 'search';
      return;
    }
    log.resize(this.#logView.size);
    const result = log.command(command);
    if (!result) return this.#runShared(command, this.#focused);
    if (result.message !== undefined) this.#message(result.message, 'info');
  }

  /** Commands that mean the same in every view. */
  #runShared(command: Command, task: Task | undefined): void {
    switch (command) {
      case 'help':
        this.#overlay = 'help';
        this.#help.show(this.#screen.width as number, this.#screen.height as number);
        return;
      case 'quit':
        return this.#quit();
      case 'redraw':
        // Forget what blessed believes the terminal shows, clear it: the render that follows
        // #run draws every cell again.
        this.#screen.realloc();
        return;
      case 'back':
        return this.#back();
      case 'log':
        if (task) this.#openLog(task);
        return;
      case 'stop':
        if (task) this.#askAction(task, 'Stop', () => void this.#actions.stop(task));
        return;
      case 'kill':
        if (task) this.#askAction(task, 'Kill (SIGKILL)', () => void this.#actions.kill(task));
        return;
      case 'restart':
        if (task) this.#askAction(task, 'Restart', () => void this.#actions.restart(task));
        return;
      case 'rerun':
        if (task) void this.#actions.rerun(task);
        return;
      case 'delete':
        if (task) this.#askDelete(task);
        return;
      default:
        return;
    }
  }

  // ---- views

  #openDetails(task: Task): void {
    this.#viewStack.push(this.#view);
    this.#view = 'details';
    this.#focusId = task.id;
    this.#revealEnv = false;
    this.#env = undefined;
    this.#detailsView.reset();
  }

  #openLog(task: Task): void {
    const log = new LogSession(this.#ghost, task.id);
    if (!log.opened) {
      this.#message(log.problem ?? 'cannot open the log', 'error');
      return;
    }
    this.#closeLog();
    this.#viewStack.push(this.#view);
    this.#view = 'log';
    this.#focusId = task.id;
    this.#log = log;
    log.resize(this.#logView.size);
    this.#pollLog(false);
    this.#logTimer = setInterval(() => this.#guard(() => this.#pollLog(true)), this.#options.logPollMs);
  }

  /** Reads what the log gained since the last read; redraws if something arrived. */
  #pollLog(render: boolean): void {
    if (this.#log?.poll() && render) this.#render();
  }

  /** Draws a task's log into a log view (the log view, or the split layout's pane). */
  #drawLog(view: LogView, task: Task, log: LogSession): void {
    log.resize(view.size);
    log.sync(task);
    view.render(task, log);
  }

  /** Turns the split layout on or off (off: its log is closed and its timer stopped). */
  #setSplit(on: boolean): void {
    this.#split = on;
    if (on && this.#paneTimer === undefined) {
      this.#paneTimer = setInterval(() => this.#guard(() => this.#view === 'list' && this.#pane?.poll() && this.#render()), this.#options.logPollMs);
    }
    if (!on) {
      clearInterval(this.#paneTimer);
      this.#paneTimer = undefined;
      this.#pane?.close();
      this.#pane = undefined;
    }
  }

  /** The list's and the pane's places: the list takes the upper half while split, else everything. */
  #layoutSplit(): void {
    const split = this.#split && this.#view === 'list';
    this.#paneView.container.hidden = !split;
    const list = this.#listView.container;
    if (!split) {
      list.height = '100%-2';
      return;
    }
    const total = Math.max(2, (this.#screen.height as number) - 2);
    const upper = Math.max(4, Math.floor(total / 2));
    list.height = upper;
    this.#paneView.container.top = upper;
    this.#paneView.container.height = Math.max(1, total - upper);
  }

  /**
   * The pane's log, following the selection: a new task selected opens its log (a project's
   * head keeps the last one). Undefined while not split.
   */
  #syncPane(): LogSession | undefined {
    if (!this.#split) return undefined;
    const selected = this.#list.selected;
    if (selected && this.#pane?.taskId !== selected.id) {
      this.#pane?.close();
      this.#pane = new LogSession(this.#ghost, selected.id);
      this.#pane.resize(this.#paneView.size);
      this.#pane.poll();
    }
    return this.#pane;
  }

  #closeLog(): void {
    clearInterval(this.#logTimer);
    this.#logTimer = undefined;
    this.#log?.close();
    this.#log = undefined;
  }

  #back(): void {
    const previous = this.#viewStack.pop() ?? 'list';
    if (this.#view === 'log') this.#closeLog();
    this.#view = previous;
    if (previous === 'list') this.#focusId = undefined;
  }

  #backToList(): void {
    this.#closeLog();
    this.#viewStack = [];
    this.#view = 'list';
    this.#focusId = undefined;
  }

  #askDelete(task: Task): void {
    const refusal = this.#actions.whyNotDelete(task);
    if (refusal !== undefined) return this.#message(refusal, 'info');
    this.#askConfirm(`Delete task ${taskLabel(task)} and its log?`, 'not deleted', () => {
      // Leave the task's own view first: it is about to disappear.
      if (this.#focusId === task.id) this.#backToList();
      this.#actions.remove(task);
    });
  }

  #askDown(project: string): void {
    const stacks = this.#stackActions;
    if (!stacks || stacks.pending.has(project)) return;
    this.#askConfirm(`Stop every service of ${oneLine(project)}, dependents first?`, 'not stopped', () => void stacks.down(project));
  }

  /**
   * Stop, kill and restart of a running task ask first (unless turned off); anything else (an
   * ended task: the action says why it does nothing, or starts it) goes ahead.
   */
  #askAction(task: Task, verb: string, act: () => void): void {
    if (!this.#confirmActions || (task.status !== 'running' && task.status !== 'restarting') || this.#actions.pending.has(task.id)) return act();
    this.#askConfirm(`${verb} ${taskLabel(task)}?`, `${taskLabel(task)} left as it is`, act, { always: true });
  }

  #askConfirm(question: string, no: string, yes: () => void, options: { always?: boolean } = {}): void {
    this.#overlay = 'confirm';
    this.#onConfirm = { yes, no, always: options.always === true };
    this.#confirm.show(question, this.#screen.width as number, options);
  }

  #quit(): void {
    const pending = [...this.#actions.pending.keys()].map(shortId);
    for (const [project, what] of this.#stackActions?.pending ?? []) pending.push(`${project} (${what})`);
    if (pending.length > 0 && !this.#quitArmed) {
      this.#quitArmed = true;
      this.#message(`still busy with ${pending.join(', ')}: q again quits now (no SIGKILL will follow)`, 'progress');
      this.#render();
      return;
    }
    this.stop();
  }

  /** Runs a handler; an error goes to the status line instead of ending the program. */
  #guard(fn: () => unknown): void {
    try {
      fn();
    } catch (error) {
      if (this.#closed) return;
      try {
        this.#message(errorText(error), 'error');
        this.#screen.render();
      } catch {
        // Drawing itself failed: nothing more to show.
      }
    }
  }
}
