import { type Task } from '@ghost/core';
import { shortId } from '@ghost/core/format';
import { shownStatus, statusColor, taskLabel } from '../format/task-cells.js';
import type { LogViewState } from '../state/log-view-state.js';
import { paint } from '../text/colors.js';
import { escapeTags, taggedWidth } from '../text/tags.js';
import { oneLine } from '../text/width.js';
import { type Blessed, type Box, type Screen, setText, sizeOf } from './blessed-types.js';
import type { LineSource, LogRows } from './log-rows.js';
import { formatCount } from '../format/count-text.js';

/** What the view draws (a LogSession). */
export interface LogViewSource {
  /** The buffer, and how many lines it dropped from its start. */
  readonly lines: LineSource & { readonly dropped: number };
  /** Whether the buffer began at the log's first line (else older lines were never loaded). */
  readonly fromStart: boolean;
  readonly state: LogViewState;
  readonly rows: LogRows;
  /** The text searched for, if any. */
  readonly search?: string | undefined;
  /** Why the log cannot be shown. */
  readonly problem?: string | undefined;
}


/**
 * The log viewer: a title line (which task, its status, following or paused, which lines of the
 * log are in view) and the rows in view (see LogRows). Lines are drawn without markup (tags
 * off), so the program's own colours show and braces are just braces.
 */
export class LogView {
  readonly container: Box;
  readonly #title: Box;
  readonly #body: Box;

  constructor(blessed: Blessed, screen: Screen, handlers: { onWheel(delta: number): void }) {
    this.container = blessed.box({ parent: screen, top: 0, left: 0, width: '100%', height: '100%-2', hidden: true });
    this.#title = blessed.box({ parent: this.container, top: 0, left: 0, width: '100%', height: 1, tags: true, wrap: false });
    this.#body = blessed.box({ parent: this.container, top: 1, left: 0, width: '100%', height: '100%-1', tags: false, wrap: false });
    this.#body.on('wheeldown', () => handlers.onWheel(3));
    this.#body.on('wheelup', () => handlers.onWheel(-3));
  }

  get size(): { width: number; height: number } {
    return sizeOf(this.#body);
  }

  render(task: Task, source: LogViewSource): void {
    const { lines, state, rows, problem } = source;
    setText(this.#title, logTitle(task, source, this.size.width));
    if (problem !== undefined) {
      setText(this.#body, `\n  ${problem}`);
      return;
    }
    if (lines.length === 0) {
      setText(this.#body, `\n  (no output yet${state.following ? '; new output appears here' : ''})`);
      return;
    }
    setText(this.#body, 
      state
        .rowsInView()
        .map(({ line, row }) => rows.row(line, row))
        .join('\n'),
    );
  }
}

/**
 * The title, as much of it as fits: lines are numbered from the first one the view read (the
 * log's first line, unless the log was longer than the view holds: then "older not loaded").
 */
export function logTitle(task: Task, source: Pick<LogViewSource, 'lines' | 'fromStart' | 'state' | 'search'>, width: number): string {
  const { lines, state } = source;
  const label = (full: boolean) => `{bold}log ${escapeTags(full ? taskLabel(task) : shortId(task.id))}{/bold}`;
  const status = paint(statusColor(task), escapeTags(shownStatus(task)));
  const mode = (long: boolean) => (state.following ? paint('green', 'following') : `${paint('yellow', 'paused')}${long ? ', G follows' : ''}`);
  const position = (long: boolean) => {
    if (lines.length === 0) return 'empty';
    const [first, last, total] = [state.top + 1, state.bottom + 1, lines.length].map((n) => formatCount(n + lines.dropped));
    return long ? `lines ${first}-${last} of ${total}` : `${first}-${last}/${total}`;
  };
  const notes = [lines.dropped > 0 ? `first ${formatCount(lines.dropped)} dropped` : undefined, source.fromStart ? undefined : 'older not loaded'];
  const note = notes.filter((text) => text !== undefined).join(', ') || undefined;
  const layout = state.wrapped ? 'wrapped' : state.left > 0 ? `column ${state.left + 1}` : undefined;
  const search = source.search === undefined ? undefined : escapeTags(`/${oneLine(source.search)}`);
  const variants = [
    [label(true), status, mode(true), position(true), note, layout, search],
    [label(true), status, mode(false), position(true), note, layout],
    [label(false), status, mode(false), position(true), note, layout],
    [label(false), status, mode(false), position(false), note],
    [label(false), mode(false), position(false), note],
  ].map((parts) => ` ${parts.filter((part) => part !== undefined).join(' · ')}`);
  return variants.find((text) => taggedWidth(text) <= width) ?? variants.at(-1)!;
}
