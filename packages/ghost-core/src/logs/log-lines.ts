import { sanitizeLine } from './sanitize.js';

/**
 * The last lines of a log, for viewers: bytes go in as they are read, safe lines come out.
 * Decoding keeps state across chunks (a character split between two reads is not lost) and
 * never fails (invalid bytes become U+FFFD). Lines are sanitised once, when they complete; an
 * unfinished last line (a prompt, a progress bar) is shown as it is so far. At most `maxLines`
 * are kept, dropping the oldest.
 */
export class LogLines {
  readonly maxLines: number;
  #lines: string[] = [];
  /** Index of the first kept line in #lines (dropping lines one by one would be quadratic). */
  #start = 0;
  #partial = '';
  #decoder = new TextDecoder('utf-8');

  constructor(maxLines = 10_000) {
    this.maxLines = maxLines;
  }

  push(data: Buffer | Uint8Array): void {
    const text = this.#partial + this.#decoder.decode(data, { stream: true });
    const parts = text.split('\n');
    this.#partial = parts.pop()!;
    for (const part of parts) this.#lines.push(sanitizeLine(part.endsWith('\r') ? part.slice(0, -1) : part));
    const excess = this.#lines.length - this.#start - this.maxLines;
    if (excess > 0) this.#start += excess;
    // Compact now and then, so the array does not grow without bound.
    if (this.#start > this.maxLines) {
      this.#lines = this.#lines.slice(this.#start);
      this.#start = 0;
    }
  }

  clear(): void {
    this.#lines = [];
    this.#start = 0;
    this.#partial = '';
    this.#decoder = new TextDecoder('utf-8');
  }

  /** Complete lines kept, plus the unfinished last line if there is one. */
  get length(): number {
    return this.#lines.length - this.#start + (this.#partial === '' ? 0 : 1);
  }

  line(index: number): string {
    const complete = this.#lines.length - this.#start;
    if (index < complete) return this.#lines[this.#start + index] ?? '';
    return index === complete ? sanitizeLine(this.#partial) : '';
  }

  /** Every line, oldest first. */
  toArray(): string[] {
    const lines = this.#lines.slice(this.#start);
    if (this.#partial !== '') lines.push(sanitizeLine(this.#partial));
    return lines;
  }
}
