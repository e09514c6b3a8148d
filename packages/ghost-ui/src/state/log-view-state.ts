/** Columns `h`/`l` move the log sideways by. */
export const HORIZONTAL_STEP = 8;

/** A row on screen: row `row` of the rows that line `line` takes (see `setRows`). */
export interface RowPosition {
  line: number;
  row: number;
}

const START: RowPosition = { line: 0, row: 0 };

/**
 * Where the log viewer looks, without any drawing. Following (the default) pins the view to the
 * last line as lines arrive; any manual scroll pauses following, and `resume()` (G or f)
 * jumps back to the end and follows again.
 *
 * A line may take several rows (wrapped, or with run boundaries drawn above it): the view
 * scrolls by rows, keeps its place by line (a paused view stays on its lines as old ones are
 * dropped), and asks `rowsOf` how many rows each line takes (one each until told otherwise).
 */
export class LogViewState {
  #lineCount = 0;
  #top: RowPosition = START;
  #left = 0;
  #height = 1;
  #following = true;
  #wrapped = false;
  #anchor: RowPosition | undefined;
  #rowsOf: (line: number) => number = () => 1;

  get following(): boolean {
    return this.#following;
  }

  /** The line at the top of the view (partly shown, when its first rows are scrolled away). */
  get top(): number {
    return this.#top.line;
  }

  get topRow(): RowPosition {
    return this.#top;
  }

  /** The last line with a row in view. */
  get bottom(): number {
    let line = this.#top.line;
    let rows = this.#rowsOf(line) - this.#top.row;
    while (rows < this.#height && line + 1 < this.#lineCount) rows += this.#rowsOf(++line);
    return Math.min(line, Math.max(0, this.#lineCount - 1));
  }

  get left(): number {
    return this.#left;
  }

  get height(): number {
    return this.#height;
  }

  get lineCount(): number {
    return this.#lineCount;
  }

  get wrapped(): boolean {
    return this.#wrapped;
  }

  /**
   * Where the last jump (a search match, a run's start) went, until the view is scrolled by
   * hand: the next jump goes on from there, even where the end of the log kept it from the top.
   */
  get anchor(): RowPosition | undefined {
    return this.#anchor;
  }

  /** How many rows each line takes from now on (it may read state that changes: see `settle`). */
  setRows(rowsOf: (line: number) => number): void {
    this.#rowsOf = rowsOf;
    this.settle();
  }

  /**
   * The buffer now holds `count` lines, `dropped` of the old ones having been discarded from
   * its start (it keeps only the last 10,000). A paused view stays on the lines it showed.
   */
  setLineCount(count: number, dropped = 0): void {
    this.#lineCount = count;
    if (dropped > 0) {
      this.#top = this.#top.line < dropped ? START : { line: this.#top.line - dropped, row: this.#top.row };
      this.#anchor = this.#anchor && this.#anchor.line >= dropped ? { line: this.#anchor.line - dropped, row: this.#anchor.row } : undefined;
    }
    this.settle();
  }

  setHeight(height: number): void {
    this.#height = Math.max(1, height);
    this.settle();
  }

  /** Puts the view back within the log after the lines or their rows changed. */
  settle(): void {
    if (this.#following) {
      this.#top = this.#maxTop();
      return;
    }
    const line = Math.min(this.#top.line, Math.max(0, this.#lineCount - 1));
    const top = { line, row: Math.min(line === this.#top.line ? this.#top.row : 0, this.#rowsOf(line) - 1) };
    this.#top = this.#earliest(top, this.#maxTop());
  }

  scrollBy(delta: number): void {
    this.#following = false;
    this.#anchor = undefined;
    this.#top = this.#earliest(this.#moved(this.#top, delta), this.#maxTop());
  }

  halfPage(direction: 1 | -1): void {
    this.scrollBy(direction * Math.max(1, Math.floor(this.#height / 2)));
  }

  toStart(): void {
    this.#following = false;
    this.#anchor = undefined;
    this.#top = START;
  }

  /** Back to the end, following new output again. */
  resume(): void {
    this.#following = true;
    this.#anchor = undefined;
    this.#top = this.#maxTop();
  }

  /**
   * Pauses with `position` at the top (or as near as the end of the log allows), and anchors
   * there; with `ifHidden`, a position already on screen is anchored without scrolling.
   */
  goTo(position: RowPosition, options: { ifHidden?: boolean } = {}): void {
    const shown = options.ifHidden === true && this.shows(position);
    this.#following = false;
    this.#anchor = position;
    if (!shown) this.#top = this.#earliest(position, this.#maxTop());
  }

  /** Whether a row is on screen now. */
  shows(position: RowPosition): boolean {
    if (compare(position, this.#top) < 0) return false;
    return compare(position, this.#moved(this.#top, this.#height - 1)) <= 0;
  }

  /** The rows in view, top to bottom. */
  rowsInView(): RowPosition[] {
    const rows: RowPosition[] = [];
    let { line, row } = this.#top;
    while (rows.length < this.#height && line < this.#lineCount) {
      rows.push({ line, row });
      if (++row >= this.#rowsOf(line)) {
        line++;
        row = 0;
      }
    }
    return rows;
  }

  /** Long lines wrap to the view's width, or are cut (and scroll sideways); returns the new setting. */
  toggleWrap(): boolean {
    this.#wrapped = !this.#wrapped;
    this.#left = 0;
    this.#top = { line: this.#top.line, row: 0 };
    return this.#wrapped;
  }

  /** Sideways; `widest` is the widest line in view, so the view cannot drift past all text. */
  scrollSideways(delta: number, widest: number, viewWidth: number): void {
    if (this.#wrapped) return;
    const maxLeft = Math.max(0, widest - viewWidth);
    this.#left = Math.min(Math.max(0, this.#left + delta), Math.max(maxLeft, this.#left + Math.min(delta, 0)));
  }

  /** A new log was opened (or the file was truncated): start over, following. */
  reset(): void {
    this.#lineCount = 0;
    this.#top = START;
    this.#left = 0;
    this.#following = true;
    this.#anchor = undefined;
  }

  /** The top that shows the last row at the bottom (the start, if everything fits). */
  #maxTop(): RowPosition {
    let remaining = this.#height;
    for (let line = this.#lineCount - 1; line >= 0; line--) {
      const rows = this.#rowsOf(line);
      if (rows >= remaining) return { line, row: rows - remaining };
      remaining -= rows;
    }
    return START;
  }

  /** `delta` rows on from `from`, no further than the log's first or last row. */
  #moved(from: RowPosition, delta: number): RowPosition {
    let { line, row } = from;
    row += delta;
    while (row < 0 && line > 0) row += this.#rowsOf(--line);
    if (row < 0) return START;
    while (line + 1 < this.#lineCount && row >= this.#rowsOf(line)) row -= this.#rowsOf(line++);
    return { line, row: Math.min(row, Math.max(0, this.#rowsOf(line) - 1)) };
  }

  #earliest(a: RowPosition, b: RowPosition): RowPosition {
    return compare(a, b) <= 0 ? a : b;
  }
}

/** Negative when `a` comes before `b` on screen, 0 when they are the same row. */
export function compare(a: RowPosition, b: RowPosition): number {
  return a.line - b.line || a.row - b.row;
}
