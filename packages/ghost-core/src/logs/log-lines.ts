import { sanitizeLine } from './sanitize.js';

/**
 * The last lines of a log, for viewers: bytes go in as they are read, safe lines come out.
 * Decoding keeps state across chunks (a character split between two reads is not lost) and
 * never fails (invalid bytes become U+FFFD). Lines are sanitised once, when they complete; an
 * unfinished last line (a prompt, a progress bar) is shown as it is so far. At most `maxLines`
 * are kept, dropping the oldest. Each line's byte offset in the log is kept beside it, so a
 * viewer can find the line at an offset (where a run started: see `Run.logOffset`).
 */
export class LogLines {
  readonly maxLines: number;
  #lines: string[] = [];
  /** Where each of #lines starts in the log. */
  #offsets: number[] = [];
  /** Index of the first kept line in #lines (dropping lines one by one would be quadratic). */
  #start = 0;
  #partial = '';
  /** Where the unfinished last line starts (where the next line starts, if there is none). */
  #partialOffset = 0;
  /** The offset just past the last byte pushed. */
  #end = 0;
  #origin = 0;
  #dropped = 0;
  #decoder = new TextDecoder('utf-8');

  constructor(maxLines = 10_000) {
    this.maxLines = maxLines;
  }

  push(data: Buffer | Uint8Array): void {
    const text = this.#partial + this.#decoder.decode(data, { stream: true });
    const parts = text.split('\n');
    this.#partial = parts.pop()!;
    // Decoding never makes or swallows a newline byte, so the newlines in the bytes are where
    // the parts end.
    let newline = -1;
    for (const part of parts) {
      this.#lines.push(sanitizeLine(part.endsWith('\r') ? part.slice(0, -1) : part));
      this.#offsets.push(this.#partialOffset);
      newline = data.indexOf(10, newline + 1);
      this.#partialOffset = this.#end + newline + 1;
    }
    this.#end += data.length;
    const excess = this.#lines.length - this.#start - this.maxLines;
    if (excess > 0) {
      this.#start += excess;
      this.#dropped += excess;
    }
    // Compact now and then, so the array does not grow without bound.
    if (this.#start > this.maxLines) {
      this.#lines = this.#lines.slice(this.#start);
      this.#offsets = this.#offsets.slice(this.#start);
      this.#start = 0;
    }
  }

  /** Empties the buffer; the next bytes pushed stand at `origin` in the log. */
  clear(origin = 0): void {
    this.#lines = [];
    this.#offsets = [];
    this.#start = 0;
    this.#partial = '';
    this.#partialOffset = origin;
    this.#end = origin;
    this.#origin = origin;
    this.#dropped = 0;
    this.#decoder = new TextDecoder('utf-8');
  }

  /** Complete lines kept, plus the unfinished last line if there is one. */
  get length(): number {
    return this.#lines.length - this.#start + (this.#partial === '' ? 0 : 1);
  }

  /** How many lines were dropped from the start since the buffer began (or was cleared). */
  get dropped(): number {
    return this.#dropped;
  }

  /** Where in the log the first byte pushed since the buffer began stands (0: the log's start). */
  get origin(): number {
    return this.#origin;
  }

  /** The offset just past the last byte pushed. */
  get end(): number {
    return this.#end;
  }

  line(index: number): string {
    const complete = this.#lines.length - this.#start;
    if (index < complete) return this.#lines[this.#start + index] ?? '';
    return index === complete ? sanitizeLine(this.#partial) : '';
  }

  /** Where line `index` starts in the log (`end` for an index past the last line). */
  offsetOf(index: number): number {
    const complete = this.#lines.length - this.#start;
    if (index < complete) return this.#offsets[this.#start + Math.max(0, index)]!;
    return index === complete && this.#partial !== '' ? this.#partialOffset : this.#end;
  }

  /**
   * The index of the line that holds byte `offset` of the log: -1 before the first line kept,
   * `length` at or past the end.
   */
  lineAt(offset: number): number {
    const length = this.length;
    if (length === 0 || offset >= this.#end) return length;
    if (offset < this.offsetOf(0)) return -1;
    let low = 0;
    let high = length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (this.offsetOf(middle) <= offset) low = middle;
      else high = middle - 1;
    }
    return low;
  }

  /** Every line, oldest first. */
  toArray(): string[] {
    const lines = this.#lines.slice(this.#start);
    if (this.#partial !== '') lines.push(sanitizeLine(this.#partial));
    return lines;
  }
}
