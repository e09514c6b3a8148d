import { closeSync, fstatSync, openSync, statSync } from 'node:fs';
import { readLogFrom } from './read.js';
import { isRotating, rotatedFiles, rotatedPath } from './rotate.js';

/**
 * A reading position in a log that may be rotated (see rotate.ts) or truncated under it. Each
 * look first checks whether `<log>.1` is a new file: then the log was rotated, and the rest of
 * the bytes the cursor was reading are in the rotated file that followed the one it knew (read
 * from where it was), any later rotated files whole, then the log from 0. No byte the copy
 * kept is skipped or read twice; if the cursor fell more than `maxFiles` rotations behind, what
 * was dropped is skipped. A log that shrank with no rotation (truncated by hand) is
 * read again from 0. While a rotation holds its lock, a look reads nothing.
 */
export class LogCursor {
  readonly path: string;
  #fd: number;
  #offset: number;
  /** `<log>.1` when last looked at (its inode), or null if there was none. */
  #newestRotated: number | null;
  /** Rotated bytes still to read, oldest first (open: a later rotation may move them to another name). */
  #pending: { fd: number; from: number }[] = [];

  constructor(path: string, offset: number) {
    this.path = path;
    this.#fd = openSync(path, 'r');
    this.#offset = offset;
    this.#newestRotated = inode(rotatedPath(path, 1));
  }

  get offset(): number {
    return this.#offset;
  }

  /**
   * Where the next byte read stands in the log as it is now: while bytes of rotated files are
   * still to be read, before its start (negative), as the runs' offsets of rotated output are.
   */
  get position(): number {
    let pending = 0;
    for (const piece of this.#pending) pending += fstatSync(piece.fd).size - piece.from;
    return this.#offset - pending;
  }

  /**
   * Bytes available now, a chunk at a time (about `limit` in all at most), and of the log itself
   * none at or past offset `until`. `rotated` is set once a look found the log rotated or truncated.
   */
  *read(limit = Number.POSITIVE_INFINITY, seen: { rotated?: boolean } = {}, until = Number.POSITIVE_INFINITY): Generator<Buffer> {
    if (isRotating(this.path)) return;
    this.#look(seen);
    let total = 0;
    while (this.#pending.length > 0 && total < limit) {
      const piece = this.#pending[0]!;
      let chunk: Buffer | null;
      while (total < limit && (chunk = readLogFrom(piece.fd, piece.from)) !== null) {
        piece.from += chunk.length;
        total += chunk.length;
        yield chunk;
      }
      if (total < limit) closeSync(this.#pending.shift()!.fd);
    }
    if (this.#pending.length > 0) return;
    let chunk: Buffer | null;
    while (total < limit && this.#offset < until && (chunk = readLogFrom(this.#fd, this.#offset)) !== null) {
      if (this.#offset + chunk.length > until) chunk = chunk.subarray(0, until - this.#offset);
      this.#offset += chunk.length;
      total += chunk.length;
      yield chunk;
    }
  }

  #look(seen: { rotated?: boolean }): void {
    const newest = inode(rotatedPath(this.path, 1));
    if (newest !== this.#newestRotated) {
      const files = rotatedFiles(this.path);
      const known = this.#newestRotated === null ? files.length : files.findIndex((file) => file.ino === this.#newestRotated);
      // Those newer than the one known, oldest first: the first holds the rest of what was being
      // read. The one known is gone when only one rotated log is kept (or the cursor fell behind
      // by more than are kept): then `<log>.1` is taken for the continuation.
      const newer = (known < 0 ? files.slice(0, 1) : files.slice(0, known)).reverse();
      for (const [index, file] of newer.entries()) {
        try {
          this.#pending.push({ fd: openSync(file.path, 'r'), from: index === 0 ? this.#offset : 0 });
        } catch {
          // Rotated away meanwhile: what it held is lost to this reader.
        }
      }
      this.#newestRotated = newest;
      this.#offset = 0;
      seen.rotated = true;
    } else if (fstatSync(this.#fd).size < this.#offset) {
      this.#offset = 0;
      seen.rotated = true;
    }
  }

  close(): void {
    for (const piece of this.#pending.splice(0)) closeSync(piece.fd);
    if (this.#fd >= 0) closeSync(this.#fd);
    this.#fd = -1;
  }
}

function inode(path: string): number | null {
  try {
    return statSync(path).ino;
  } catch {
    return null;
  }
}
