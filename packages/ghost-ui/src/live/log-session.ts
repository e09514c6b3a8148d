import { LogLines, type Run, type Task } from '@ghost/core';
import { shortId } from '@ghost/core/format';
import { errorText } from '../format/error-text.js';
import { shownStatus } from '../format/task-cells.js';
import { shortLocalTime } from '../format/time-text.js';
import type { GhostApi } from '../ghost-api.js';
import { type Command, keyFor } from '../keys/keymap.js';
import type { Prompt } from '../keys/prompt.js';
import { LogSearch } from '../state/log-search.js';
import { HORIZONTAL_STEP, LogViewState, type RowPosition, compare } from '../state/log-view-state.js';
import { type MissingStart, type RunBoundary, type RunStart, runBoundaries } from '../state/run-boundaries.js';
import { lineWidth, markRanges } from '../text/ansi.js';
import { logLineForDisplay } from '../text/colors.js';
import { type LogMark, LogRows } from '../views/log-rows.js';
import { LogFollower } from './log-follower.js';
import { formatCount } from '../format/count-text.js';

/** How search matches are drawn: inverse video (it needs no colour), the current one also bold and underlined. */
const MATCH = '\x1b[7m';
const CURRENT_MATCH = '\x1b[1;4;7m';


const NO_LINES = new LogLines();

/**
 * One task's log as a viewer shows it (the log view, the split layout's pane), apart from
 * drawing: the lines read so far (a follower), where the view is, the search, and the runs whose
 * starts and ends are drawn between the lines. A log that could not be opened or read says so
 * instead of failing the UI. The app hands it the log view's keys; it answers with what the
 * status line should say.
 */
export class LogSession {
  readonly taskId: string;
  readonly state = new LogViewState();
  readonly #ghost: Pick<GhostApi, 'openLog' | 'runs'>;
  readonly #follower: LogFollower | undefined;
  #problem: string | undefined;
  #runs: readonly Run[] = [];
  /** What the runs were last read for (the task's run and status, and the log's restarts). */
  #runsFor: string | undefined;
  #restarts = 0;
  #starts: RunStart[] = [];
  #marks = new Map<number, LogMark[]>();
  #showRuns = true;
  #search: LogSearch | undefined;
  /** The line of the match the last search or n/N went to (drawn as the current one). */
  #match: number | undefined;
  #draft = '';
  #width = 80;
  #rows: LogRows | undefined;

  constructor(ghost: Pick<GhostApi, 'openLog' | 'runs'>, taskId: string, options: { maxLines?: number } = {}) {
    this.#ghost = ghost;
    this.taskId = taskId;
    try {
      this.#follower = new LogFollower(ghost.openLog(taskId), options.maxLines);
    } catch (error) {
      this.#problem = errorText(error);
    }
    this.state.setRows((line) => this.rows.rowsOf(line));
  }

  /** Whether the log could be opened (else `problem` says why). */
  get opened(): boolean {
    return this.#follower !== undefined;
  }

  /** The lines read so far (sanitised), with their offsets in the log. */
  get lines(): LogLines {
    return this.#follower?.lines ?? NO_LINES;
  }

  /** Whether the lines begin at the log's first line (see LogFollower). */
  get fromStart(): boolean {
    return this.#follower?.fromStart ?? true;
  }

  /** Why the log cannot be shown, if so. */
  get problem(): string | undefined {
    return this.#problem;
  }

  /** The rows the lines take now. */
  get rows(): LogRows {
    this.#rows ??= new LogRows({
      lines: this.lines,
      width: this.#width,
      wrapped: this.state.wrapped,
      left: this.state.left,
      marks: this.#marks,
      decorate: (index, line) => this.#decorate(index, line),
    });
    return this.#rows;
  }

  get search(): string | undefined {
    return this.#search?.text;
  }

  /** The view's size changed (or may have): rows are laid out again. */
  resize(size: { width: number; height: number }): void {
    if (size.width !== this.#width) {
      this.#width = size.width;
      this.#rows = undefined;
    }
    this.state.setHeight(size.height);
  }

  /** Reads what the log gained since the last read; true if the view changed. */
  poll(): boolean {
    if (!this.#follower || this.#problem !== undefined) return false;
    let result: ReturnType<LogFollower['poll']>;
    try {
      result = this.#follower.poll();
    } catch (error) {
      this.#problem = `cannot read the log: ${errorText(error)}`;
      return true;
    }
    if (!result.changed) return false;
    if (result.restarted) {
      // Truncated or rotated: the runs' offsets moved with it.
      this.state.reset();
      this.#restarts++;
      this.#match = undefined;
    } else if (this.#match !== undefined) {
      this.#match = this.#match >= result.dropped ? this.#match - result.dropped : undefined;
    }
    this.#layOut();
    this.state.setLineCount(this.lines.length, result.dropped);
    return true;
  }

  /** Reads the task's runs again when it started or ended one since they were read. */
  sync(task: Task): void {
    const key = `${task.run} ${task.status} ${this.#restarts}`;
    if (key === this.#runsFor) return;
    this.#runsFor = key;
    try {
      this.#runs = this.#ghost.runs(this.taskId);
    } catch {
      // The task is gone: the app leaves the view when the list says so.
      this.#runs = [];
    }
    this.#relayOut();
  }

  /** Carries out a log view command; undefined if it is not one (the app's shared commands). */
  command(command: Command): { message?: string } | undefined {
    const state = this.state;
    const move = MOVES[command];
    if (move) {
      move(state);
      return {};
    }
    switch (command) {
      case 'left':
      case 'right':
        if (state.wrapped) return { message: `long lines wrap: nothing to scroll sideways (${keyFor('log', 'wrap')} cuts them)` };
        state.scrollSideways(command === 'left' ? -HORIZONTAL_STEP : HORIZONTAL_STEP, this.#widestInView(), this.#width);
        this.#relayOut();
        return {};
      case 'wrap': {
        const wrapped = state.toggleWrap();
        this.#relayOut();
        return { message: wrapped ? 'long lines wrap' : 'long lines are cut' };
      }
      case 'runMarks':
        this.#showRuns = !this.#showRuns;
        this.#relayOut();
        return { message: this.#showRuns ? 'run starts and ends shown' : 'run starts and ends hidden' };
      case 'searchNext':
      case 'searchPrevious':
        return { message: this.#find(command === 'searchNext' ? 1 : -1) };
      case 'previousRun':
      case 'nextRun':
        return { message: this.#jumpToRun(command === 'nextRun' ? 1 : -1) };
      default:
        return undefined;
    }
  }

  /** The search prompt (`/`): Enter searches from the view on, an empty text repeats the last search; Esc clears it. */
  prompt(): Prompt {
    return {
      text: this.#draft,
      set: (text) => {
        this.#draft = text;
      },
      accept: () => {
        const text = this.#draft || this.#search?.text;
        this.#draft = '';
        if (!text) return '';
        this.#search = new LogSearch(text);
        this.#match = undefined;
        this.#rows = undefined;
        return this.#find(1);
      },
      cancel: () => {
        this.#draft = '';
        this.#search = undefined;
        this.#match = undefined;
        this.#rows = undefined;
        return '';
      },
      hint: 'Enter searches, Esc clears',
      keys: [
        ['Enter', 'search'],
        ['Esc', 'clear'],
      ],
    };
  }

  close(): void {
    this.#follower?.close();
  }

  /** Goes to the next line with a match (`direction` 1) or the previous one. */
  #find(direction: 1 | -1): string {
    const search = this.#search;
    if (!search) return `no search yet: ${keyFor('log', 'search')} searches`;
    const lines = this.lines;
    const anchor = this.state.anchor;
    // On from the match (or run start) the last jump went to, else from the view's top line.
    const from = anchor === undefined ? (direction === 1 ? this.state.top : this.state.top - 1) : anchor.line + (anchor.line === this.#match ? direction : Math.min(0, direction));
    const found = search.find(lines, from, direction);
    const quoted = JSON.stringify(search.text);
    if (!found) return `no line has ${quoted}`;
    this.#match = found.line;
    this.#rows = undefined;
    this.state.goTo({ line: found.line, row: this.rows.marksBefore(found.line).length }, { ifHidden: true });
    const wrapped = found.wrapped ? ` · wrapped to the ${direction === 1 ? 'top' : 'bottom'}` : '';
    return `line ${formatCount(found.rank)} of ${formatCount(found.count)} with ${quoted}${wrapped}`;
  }

  /** Goes to the start of the previous run's output (`direction` -1) or the next one's. */
  #jumpToRun(direction: 1 | -1): string {
    if (this.#runs.length === 0) return 'no runs recorded for this task';
    const here: RowPosition = this.state.anchor ?? (this.state.following && direction === -1 ? { line: Infinity, row: 0 } : this.state.topRow);
    const kept = this.#starts.flatMap((start) => ('line' in start ? [{ run: start.run, position: this.#startRow(start.run.run, start.line) }] : []));
    const target = direction === 1 ? kept.find((start) => compare(start.position, here) > 0) : kept.findLast((start) => compare(start.position, here) < 0);
    if (target) {
      this.state.goTo(target.position);
      const ended = target.run.status === 'running' ? '' : `, ${shownStatus(target.run)}`;
      return `run ${target.run.run} of ${this.#runs.length}, started at ${shortLocalTime(target.run.startedAt, Date.now())}${ended}`;
    }
    if (direction === 1) return this.state.following ? 'no later run: this is the end of the log' : 'no run starts after this';
    // Runs whose starts are not in the buffer all came before those that are.
    const firstKept = kept[0]?.run.run ?? Infinity;
    const missing = this.#starts.findLast((start): start is { run: Run; missing: MissingStart } => 'missing' in start && start.run.run < firstKept);
    if (!missing) return 'no run starts before this';
    this.state.toStart();
    return missingText(missing.run.run, missing.missing, this.lines.maxLines);
  }

  /** The row where run `run` starts: its mark above line `line` if marks are drawn. */
  #startRow(run: number, line: number): RowPosition {
    const row = this.rows.marksBefore(line).findIndex((mark) => mark.run === run);
    return { line, row: Math.max(0, row) };
  }

  /** Lays the rows out again and puts the view back within them. */
  #relayOut(): void {
    this.#layOut();
    this.state.settle();
  }

  /** The marks between the lines (older lines left out, run boundaries) for the buffer as it is. */
  #layOut(): void {
    const lines = this.lines;
    const { boundaries, starts } = runBoundaries(this.#runs, lines);
    this.#starts = starts;
    const marks = new Map<number, LogMark[]>();
    const add = (line: number, mark: LogMark) => marks.set(line, [...(marks.get(line) ?? []), mark]);
    const older = olderText(lines.dropped, this.fromStart, lines.maxLines, this.taskId);
    if (older !== undefined && lines.length > 0) add(0, { text: older });
    if (this.#showRuns) {
      const now = Date.now();
      for (const boundary of boundaries) add(boundary.line, { text: boundaryText(boundary, now), ...(boundary.started ? { run: boundary.started.run } : {}) });
    }
    this.#marks = marks;
    this.#rows = undefined;
  }

  #decorate(index: number, line: string): string {
    const shown = logLineForDisplay(line);
    const search = this.#search;
    if (!search) return shown;
    return markRanges(shown, search.ranges(shown), index === this.#match ? CURRENT_MATCH : MATCH);
  }

  #widestInView(): number {
    let widest = 0;
    const lines = this.lines;
    for (let i = this.state.top; i <= this.state.bottom && i < lines.length; i++) widest = Math.max(widest, lineWidth(lines.line(i)));
    return widest;
  }
}

/** The log view's commands that only move the view. */
const MOVES: Partial<Record<Command, (state: LogViewState) => void>> = {
  down: (state) => state.scrollBy(1),
  up: (state) => state.scrollBy(-1),
  top: (state) => state.toStart(),
  follow: (state) => state.resume(),
  halfPageDown: (state) => state.halfPage(1),
  halfPageUp: (state) => state.halfPage(-1),
  pageDown: (state) => state.scrollBy(state.height),
  pageUp: (state) => state.scrollBy(-state.height),
};

/** "run 1 exited 0 at 14:03:00 · run 2 started at 14:03:01". */
export function boundaryText(boundary: RunBoundary, now: number): string {
  const parts: string[] = [];
  if (boundary.ended) {
    const { finishedAt } = boundary.ended;
    parts.push(`run ${boundary.ended.run} ${shownStatus(boundary.ended)}${finishedAt ? ` at ${shortLocalTime(finishedAt, now)}` : ''}`);
  }
  if (boundary.started) parts.push(`run ${boundary.started.run} started at ${shortLocalTime(boundary.started.startedAt, now)}`);
  return parts.join(' · ');
}

/** The note above the first line when the log has lines the view does not hold. */
export function olderText(dropped: number, fromStart: boolean, maxLines: number, taskId: string): string | undefined {
  if (dropped === 0 && fromStart) return undefined;
  const what = dropped === 0 ? 'older lines not loaded' : `${formatCount(dropped)} older lines dropped${fromStart ? '' : ', more not loaded'}`;
  return `${what} (the view keeps ${formatCount(maxLines)}; all in ghost log ${shortId(taskId)})`;
}

function missingText(run: number, missing: MissingStart, maxLines: number): string {
  switch (missing) {
    case 'dropped':
      return `run ${run} started before the oldest line kept (the view keeps the last ${formatCount(maxLines)})`;
    case 'not loaded':
      return `run ${run} started before the lines loaded (the view reads the last ${formatCount(maxLines)})`;
    case 'rotated':
      return `the start of run ${run} was rotated out of the log`;
    case 'unrecorded':
      return `where run ${run} starts in the log was not recorded`;
  }
}
