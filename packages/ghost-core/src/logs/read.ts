import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

const CHUNK = 64 * 1024;

/**
 * The most bytes one page of a log holds, and so the most a tail (`log -n N`, a viewer's first
 * screen) reads. A log whose last N lines are longer than this together (a `\r` progress bar
 * writes gigabytes without a newline) shows only its last MAX_PAGE_BYTES bytes, starting
 * mid-line: finding where that line starts would cost time and memory in proportion to the log.
 */
export const MAX_PAGE_BYTES = 4 * 1024 * 1024;

export interface LogPageOptions {
  /** Read forward from this byte offset; without it, the page ends at the end of the log. */
  offset?: number | undefined;
  /**
   * Without `offset`: the page ends at this byte offset instead (the lines before it), for paging
   * back through a log. `size` is still the log's (or the range's) end.
   */
  before?: number | undefined;
  /** At most this many lines (default: as many as fit). */
  lines?: number | undefined;
  /** At most this many bytes (default and ceiling MAX_PAGE_BYTES). */
  maxBytes?: number | undefined;
  /** Only bytes [start, end) of the log (one run's output): a page never reaches outside them. */
  range?: LogRange | undefined;
}

/** Bytes [start, end) of a log; `end` null for "to the end". */
export interface LogRange {
  start: number;
  end: number | null;
}

/** Bytes [start, end) of a log. */
export interface LogPage {
  /** Raw bytes (logs need not be UTF-8). */
  data: Buffer;
  start: number;
  end: number;
  /** The log's size when read (with a range, its end): where following continues. */
  size: number;
  /** True when maxBytes cut the page: it holds fewer lines than it could have, or part of a line. */
  truncated: boolean;
}

/**
 * One page of a log, read in bounded time and memory whatever the log holds. Without `offset`,
 * the last `lines` lines (a final newline does not start an empty last line). With `offset`,
 * the lines from there on; a page cut by `maxBytes` ends after its last whole line if it has one,
 * so the next page (from `end`) starts at a line.
 */
export function readLogPage(path: string, options: LogPageOptions = {}): LogPage {
  const maxBytes = Math.max(1, Math.min(options.maxBytes ?? MAX_PAGE_BYTES, MAX_PAGE_BYTES));
  const lines = options.lines ?? Number.POSITIVE_INFINITY;
  const fd = openSync(path, 'r');
  try {
    const fileSize = fstatSync(fd).size;
    const floor = Math.min(Math.max(0, options.range?.start ?? 0), fileSize);
    const size = Math.max(floor, Math.min(fileSize, options.range?.end ?? fileSize));
    if (options.offset !== undefined) return forwardPage(fd, size, Math.max(options.offset, floor), lines, maxBytes);
    const end = options.before === undefined ? size : Math.max(floor, Math.min(size, options.before));
    return { ...tailPage(fd, end, lines, maxBytes, floor), size };
  } finally {
    closeSync(fd);
  }
}

/** The last `lines` lines of a file (or of a range of it), at most MAX_PAGE_BYTES (see readLogPage). */
export function readLogTail(path: string, lines: number, range?: LogRange): LogPage {
  return readLogPage(path, { lines, range });
}

function tailPage(fd: number, size: number, lines: number, maxBytes: number, start = 0): LogPage {
  const floor = Math.max(start, size - maxBytes);
  if (lines <= 0 || size === 0) return { data: Buffer.alloc(0), start: size, end: size, size, truncated: false };
  // Read backwards in chunks, so a short tail of a huge log costs only what is shown.
  const chunks: Buffer[] = [];
  let position = size;
  let newlines = 0;
  while (position > floor) {
    const length = Math.min(CHUNK, position - floor);
    position -= length;
    const chunk = readExactly(fd, position, length);
    chunks.unshift(chunk);
    // The final byte ending the last line is not a line break before it.
    let i = position + length === size ? length - 2 : length - 1;
    while (i >= 0 && (i = chunk.lastIndexOf(0x0a, i)) >= 0) {
      if (++newlines === lines) {
        const data = Buffer.concat(chunks).subarray(i + 1);
        return { data, start: size - data.length, end: size, size, truncated: false };
      }
      i--;
    }
  }
  return { data: Buffer.concat(chunks), start: floor, end: size, size, truncated: floor > start };
}

function forwardPage(fd: number, size: number, offset: number, lines: number, maxBytes: number): LogPage {
  const start = Math.min(Math.max(0, offset), size);
  if (lines <= 0) return page(Buffer.alloc(0), start, size, false);
  const data = readExactly(fd, start, Math.min(maxBytes, size - start));
  if (Number.isFinite(lines)) {
    let newlines = 0;
    for (let i = data.indexOf(0x0a); i >= 0; i = data.indexOf(0x0a, i + 1)) {
      if (++newlines === lines) return page(data.subarray(0, i + 1), start, size, false);
    }
  }
  if (start + data.length >= size || data.length < maxBytes) return page(data, start, size, false);
  const lastNewline = data.lastIndexOf(0x0a);
  return page(lastNewline < 0 ? data : data.subarray(0, lastNewline + 1), start, size, true);
}

function page(data: Buffer, start: number, size: number, truncated: boolean): LogPage {
  return { data, start, end: start + data.length, size, truncated };
}

/** `length` bytes at `position`, fewer only if the file ends sooner. */
function readExactly(fd: number, position: number, length: number): Buffer {
  const buffer = Buffer.allocUnsafe(length);
  let filled = 0;
  while (filled < length) {
    const read = readSync(fd, buffer, filled, length - filled, position + filled);
    if (read === 0) break;
    filled += read;
  }
  return buffer.subarray(0, filled);
}

/** Bytes [start, end) of a log (to its end if `end` is null), or all of it without a range. */
export function readLogRange(path: string, range?: LogRange): Buffer {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    const start = Math.min(Math.max(0, range?.start ?? 0), size);
    const end = Math.max(start, Math.min(size, range?.end ?? size));
    return readExactly(fd, start, end - start);
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
