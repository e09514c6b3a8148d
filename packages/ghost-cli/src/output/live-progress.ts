import type { StackProgress } from '@ghost/core';
import type { Writable } from 'node:stream';
import { type Segment, paintSegments, progressNameWidth, progressSegments } from './stack-text.js';
import { type Style, cutToWidth, visibleLength } from './style.js';

/** The states a service is in the middle of: its line shows a spinner and the seconds so far. */
const IN_PROGRESS: ReadonlySet<StackProgress['state']> = new Set(['waiting-for', 'starting']);
const SPINNER = [...'⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏'];
const FRAME_MS = 100;

/** A service's line in the block: its latest event, and since when (ms) it has been in that state. */
export interface ProgressRow {
  event: StackProgress;
  since: number;
}

export interface BlockOptions {
  style: Style;
  /** The longest service name of the stack, as the plain lines pad to. */
  nameWidth: number;
  /** The time now (ms), for the spinner and the seconds of a state in progress. */
  now: number;
  /** The terminal's width: every line is cut to it, since a wrapped line would break the redraw. */
  columns?: number | undefined;
  /** The terminal's height: a live block taller than that shows its first rows and how many more. */
  rows?: number | undefined;
  /** The last drawing, which stays on the screen as the output: every row, no spinner. */
  final?: boolean | undefined;
}

/**
 * The lines of the live block, one per row in the order given: a row's plain progress line,
 * with a spinner and the seconds spent so far while it is in progress.
 */
export function progressBlock(rows: readonly ProgressRow[], options: BlockOptions): string[] {
  const { style, nameWidth, now, columns, final = false } = options;
  // Moving the cursor up cannot reach a line that has scrolled off the screen. The final
  // drawing is never redrawn, so it shows every row.
  const room = final || options.rows === undefined ? rows.length : Math.max(1, options.rows - 1);
  const shown = rows.length > room ? rows.slice(0, room - 1) : rows;
  const lines = shown.map(({ event, since }) => {
    const segments = progressSegments(event, style, nameWidth);
    if (!final && IN_PROGRESS.has(event.state)) segments.push([spinner(now, since), style.dim]);
    return fitSegments(segments, columns);
  });
  if (shown.length < rows.length) lines.push(fitSegments([[`… ${rows.length - shown.length} more`, style.dim]], columns));
  return lines;
}

function spinner(now: number, since: number): string {
  const seconds = Math.floor((now - since) / 1000);
  return ` ${SPINNER[Math.floor(now / FRAME_MS) % SPINNER.length]}${seconds >= 1 ? ` ${seconds}s` : ''}`;
}

/** The segments painted as one line of at most `columns` cells, cut with "…" where it is longer. */
export function fitSegments(segments: readonly Segment[], columns: number | undefined): string {
  if (columns === undefined || segments.reduce((sum, [text]) => sum + visibleLength(text), 0) <= columns) return paintSegments(segments);
  const fitted: Segment[] = [];
  let room = Math.max(0, columns - 1);
  for (const [text, paint] of segments) {
    const width = visibleLength(text);
    if (width > room) {
      fitted.push([`${cutToWidth(text, room)}…`, paint]);
      break;
    }
    fitted.push([text, paint]);
    room -= width;
  }
  return paintSegments(fitted);
}

/** A stream that may be a terminal: its size, when it is one. */
type TerminalStream = Writable & { columns?: number; rows?: number };

/**
 * The progress of an `up` or `down` on a terminal, as `docker compose` shows it: one line per
 * service in the stack's order, each rewritten in place as its state changes (the cursor moves
 * up the block's height and every line is cleared and written again). A service appears with
 * its first event, so the services an up or down leaves out never show; one that is not in the
 * file (an orphan removed) comes after those that are. `finish()` draws the last states and
 * leaves them on the screen; nothing else may write to the terminal until then.
 */
export class LiveProgress {
  readonly #out: TerminalStream;
  readonly #style: Style;
  readonly #order: Map<string, number>;
  readonly #nameWidth: number;
  readonly #now: () => number;
  readonly #rows = new Map<string, ProgressRow>();
  /** How many lines the last drawing took, and what it wrote. */
  #height = 0;
  #drawn = '';
  #timer: NodeJS.Timeout | undefined;
  #finished = false;

  constructor(services: readonly string[], out: Writable, style: Style, now: () => number = Date.now) {
    this.#out = out;
    this.#style = style;
    this.#order = new Map(services.map((name, index) => [name, index]));
    this.#nameWidth = progressNameWidth(services);
    this.#now = now;
  }

  update(event: StackProgress): void {
    if (this.#finished) return;
    const row = this.#rows.get(event.service);
    const since = row?.event.state === event.state ? row.since : this.#now();
    if (!this.#order.has(event.service)) this.#order.set(event.service, this.#order.size);
    this.#rows.set(event.service, { event, since });
    this.#draw(false);
    this.#spin();
  }

  /** Draws the last states (without spinners) for good and stops the timer. Idempotent. */
  finish(): void {
    if (this.#finished) return;
    this.#finished = true;
    clearInterval(this.#timer);
    this.#timer = undefined;
    this.#draw(true);
  }

  /** The spinner's timer runs while a service is in progress, and only then. */
  #spin(): void {
    const busy = [...this.#rows.values()].some((row) => IN_PROGRESS.has(row.event.state));
    if (busy && this.#timer === undefined) {
      this.#timer = setInterval(() => this.#draw(false), FRAME_MS);
      // An up that never finishes its block (a bug) must not keep the process alive.
      this.#timer.unref();
    } else if (!busy && this.#timer !== undefined) {
      clearInterval(this.#timer);
      this.#timer = undefined;
    }
  }

  #draw(final: boolean): void {
    const rows = [...this.#rows.values()].sort((a, b) => this.#order.get(a.event.service)! - this.#order.get(b.event.service)!);
    const options = { style: this.#style, nameWidth: this.#nameWidth, now: this.#now(), columns: this.#out.columns || undefined, rows: this.#out.rows || undefined, final };
    const lines = progressBlock(rows, options);
    const text = lines.map((line) => `\x1b[2K${line}\n`).join('');
    if (text === this.#drawn) return;
    const up = this.#height > 0 ? `\x1b[${this.#height}A` : '';
    const clearBelow = lines.length < this.#height ? '\x1b[J' : '';
    // The carriage return: the first drawing may find the cursor after a "^C" the terminal echoed.
    this.#out.write(`${up}\r${text}${clearBelow}`);
    this.#height = lines.length;
    this.#drawn = text;
  }
}
