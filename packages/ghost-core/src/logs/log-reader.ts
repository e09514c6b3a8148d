import { closeSync, openSync } from 'node:fs';
import { LogCursor } from './log-cursor.js';
import { MAX_PAGE_BYTES, readLogTail } from './read.js';

/**
 * Reads a growing log from an offset, for viewers that poll it (on change notifications and on
 * a timer): the first read returns the last `tailLines` lines, each later one the bytes appended
 * since; no read returns much more than MAX_PAGE_BYTES, so a viewer stays responsive on any log. A log
 * that was rotated or truncated is read on as LogCursor does, and `truncated` says so. `start` is
 * where the bytes read begin in the log as it is now (negative for bytes of rotated files, as the
 * runs' offsets are), so that a viewer can tell which run a line belongs to.
 */
export class LogReader {
  readonly path: string;
  #cursor: LogCursor | undefined;
  readonly #tailLines: number;

  constructor(path: string, tailLines = 10_000) {
    this.path = path;
    this.#tailLines = tailLines;
    // Fails here if the log cannot be read.
    closeSync(openSync(path, 'r'));
  }

  read(): { data: Buffer; truncated: boolean; start: number } {
    if (!this.#cursor) {
      const tail = readLogTail(this.path, this.#tailLines);
      this.#cursor = new LogCursor(this.path, tail.end);
      return { data: tail.data, truncated: false, start: tail.start };
    }
    const seen: { rotated?: boolean } = {};
    const data = Buffer.concat([...this.#cursor.read(MAX_PAGE_BYTES, seen)]);
    return { data, truncated: seen.rotated === true, start: this.#cursor.position - data.length };
  }

  close(): void {
    this.#cursor?.close();
    this.#cursor = undefined;
  }
}
