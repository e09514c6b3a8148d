import { closeSync, fstatSync, openSync } from 'node:fs';
import { MAX_PAGE_BYTES, readLogFrom, readLogTail } from './read.js';

/**
 * Reads a growing log from an offset, for viewers that poll it (on change notifications and on
 * a timer): the first read returns the last `tailLines` lines, each later one the bytes appended
 * since; no read returns much more than MAX_PAGE_BYTES, so a viewer stays responsive on any log. A file
 * that shrank was truncated: reading restarts at 0 and `truncated` says so.
 */
export class LogReader {
  readonly path: string;
  #fd: number;
  #offset = -1;
  readonly #tailLines: number;

  constructor(path: string, tailLines = 10_000) {
    this.path = path;
    this.#tailLines = tailLines;
    this.#fd = openSync(path, 'r');
  }

  read(): { data: Buffer; truncated: boolean } {
    if (this.#offset < 0) {
      const tail = readLogTail(this.path, this.#tailLines);
      this.#offset = tail.end;
      return { data: tail.data, truncated: false };
    }
    let truncated = false;
    if (fstatSync(this.#fd).size < this.#offset) {
      this.#offset = 0;
      truncated = true;
    }
    const chunks: Buffer[] = [];
    let total = 0;
    let chunk: Buffer | null;
    while (total < MAX_PAGE_BYTES && (chunk = readLogFrom(this.#fd, this.#offset)) !== null) {
      chunks.push(chunk);
      this.#offset += chunk.length;
      total += chunk.length;
    }
    return { data: Buffer.concat(chunks), truncated };
  }

  close(): void {
    if (this.#fd >= 0) closeSync(this.#fd);
    this.#fd = -1;
  }
}
