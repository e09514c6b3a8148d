import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

const CHUNK = 64 * 1024;

export interface LogTail {
  /** The last lines, as raw bytes (logs need not be UTF-8). */
  data: Buffer;
  /** The file size when read: where following continues. */
  end: number;
}

/**
 * The last `lines` lines of a file, read backwards in chunks so a huge log costs only what
 * is shown. A final newline does not start an empty last line.
 */
export function readLogTail(path: string, lines: number): LogTail {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    if (lines <= 0 || size === 0) return { data: Buffer.alloc(0), end: size };
    const chunks: Buffer[] = [];
    let position = size;
    let newlines = 0;
    while (position > 0) {
      const length = Math.min(CHUNK, position);
      position -= length;
      const chunk = Buffer.alloc(length);
      readSync(fd, chunk, 0, length, position);
      chunks.unshift(chunk);
      for (let i = length - 1; i >= 0; i--) {
        if (chunk[i] !== 0x0a || position + i === size - 1) continue;
        if (++newlines === lines) {
          return { data: Buffer.concat(chunks).subarray(i + 1), end: size };
        }
      }
    }
    return { data: Buffer.concat(chunks), end: size };
  } finally {
    closeSync(fd);
  }
}

/** Reads bytes from `offset` to the current end (at most `limit`), or null at end of file. */
export function readLogFrom(fd: number, offset: number, limit = CHUNK * 4): Buffer | null {
  const buffer = Buffer.alloc(limit);
  const read = readSync(fd, buffer, 0, limit, offset);
  return read === 0 ? null : buffer.subarray(0, read);
}
