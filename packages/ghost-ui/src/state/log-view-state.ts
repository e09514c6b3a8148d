/** Columns `h`/`l` move the log sideways by. */
export const HORIZONTAL_STEP = 8;

/**
 * Where the log viewer looks, without any drawing. Following (the default) pins the view to the
 * last line as lines arrive; any manual scroll pauses following, and `resume()` (G or f)
 * jumps back to the end and follows again.
 */
export class LogViewState {
  #lineCount = 0;
  #top = 0;
  #left = 0;
  #height = 1;
  #following = true;

  get following(): boolean {
    return this.#following;
  }

  get top(): number {
    return this.#top;
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

  /**
   * The buffer now holds `count` lines, `dropped` of the old ones having been discarded from
   * its start (it keeps only the last 10,000). A paused view stays on the lines it showed.
   */
  setLineCount(count: number, dropped = 0): void {
    this.#lineCount = count;
    if (this.#following) this.#top = this.#maxTop();
    else this.#top = Math.min(Math.max(0, this.#top - dropped), this.#maxTop());
  }

  setHeight(height: number): void {
    this.#height = Math.max(1, height);
    this.setLineCount(this.#lineCount);
  }

  scrollBy(delta: number): void {
    this.#following = false;
    this.#top = Math.min(Math.max(0, this.#top + delta), this.#maxTop());
  }

  halfPage(direction: 1 | -1): void {
    this.scrollBy(direction * Math.max(1, Math.floor(this.#height / 2)));
  }

  toStart(): void {
    this.#following = false;
    this.#top = 0;
  }

  /** Back to the end, following new output again. */
  resume(): void {
    this.#following = true;
    this.#top = this.#maxTop();
  }

  /** Sideways; `widest` is the widest line in view, so the view cannot drift past all text. */
  scrollSideways(delta: number, widest: number, viewWidth: number): void {
    const maxLeft = Math.max(0, widest - viewWidth);
    this.#left = Math.min(Math.max(0, this.#left + delta), Math.max(maxLeft, this.#left + Math.min(delta, 0)));
  }

  /** A new log was opened (or the file was truncated): start over, following. */
  reset(): void {
    this.#lineCount = 0;
    this.#top = 0;
    this.#left = 0;
    this.#following = true;
  }

  #maxTop(): number {
    return Math.max(0, this.#lineCount - this.#height);
  }
}
