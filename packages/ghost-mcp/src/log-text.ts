import { type LogPage, sanitizeLine, stripColors } from '@ghost/core';

/** Lines the log tool returns when the caller does not say. */
export const DEFAULT_LOG_LINES = 100;
/** The most lines one log call returns, whatever is asked for. */
export const MAX_LOG_LINES = 1000;
/**
 * Bytes of the log one call reads when the caller does not say, and the most it reads: lines
 * alone do not bound a result (1,000 lines of 3,000 characters were 2 MB).
 */
export const DEFAULT_LOG_BYTES = 32 * 1024;
export const MAX_LOG_BYTES = 256 * 1024;
/** The most characters kept of one line (a minified bundle or a progress bar can be megabytes). */
export const MAX_LINE_CHARS = 2000;

export interface LogExcerpt {
  /** The lines, oldest first, safe to show (no control characters, no escape sequences). */
  lines: string[];
  /** How many lines were cut to MAX_LINE_CHARS. */
  longLines: number;
}

/** The lines of `data`, decoded leniently and sanitised line by line. */
export function logExcerpt(data: Buffer): LogExcerpt {
  const text = new TextDecoder('utf-8').decode(data);
  if (text === '') return { lines: [], longLines: 0 };
  const parts = text.split('\n');
  // A final newline ends the last line; it does not start an empty one.
  if (parts[parts.length - 1] === '') parts.pop();
  let longLines = 0;
  const lines = parts.map((part) => {
    // sanitizeLine keeps colours for terminals; a model reading the text gets nothing from them.
    const clean = stripColors(sanitizeLine(part.endsWith('\r') ? part.slice(0, -1) : part));
    if (clean.length <= MAX_LINE_CHARS) return clean;
    longLines += 1;
    return `${clean.slice(0, MAX_LINE_CHARS)} […${clean.length - MAX_LINE_CHARS} more characters]`;
  });
  return { lines, longLines };
}

export interface PageRequest {
  /** The offset asked for (undefined: the end of the log). */
  offset: number | undefined;
  maxBytes: number;
  /** True when more lines were asked for than one call returns. */
  linesCapped: boolean;
}

/**
 * What a page of the log covers, for the model reading it: which bytes, whether earlier or later
 * output exists and the offset that reads it, and whether a bound cut it.
 */
export function pageNotes(page: LogPage, excerpt: LogExcerpt, request: PageRequest): string[] {
  const count = `${excerpt.lines.length} line${excerpt.lines.length === 1 ? '' : 's'}`;
  const range = `bytes ${page.start}-${page.end} of ${page.size}`;
  const notes: string[] = [];
  if (page.size === 0) notes.push('the log is empty');
  else if (page.start === 0 && page.end === page.size) notes.push(`showing the whole log (${count})`);
  else if (request.offset === undefined) {
    notes.push(
      `truncated: showing the last ${count} (${range}); earlier output was left out` +
        (request.linesCapped ? ` (${MAX_LOG_LINES} lines is the most one call returns)` : '') +
        `; read it with offset ${Math.max(0, page.start - request.maxBytes)}`,
    );
  } else {
    notes.push(`showing ${count} (${range})`);
    notes.push(page.end < page.size ? `more follows: next_offset ${page.end}` : 'this is the end of the log');
  }
  if (page.truncated) notes.push(`cut at max_bytes (${request.maxBytes} bytes), possibly mid-line`);
  if (excerpt.longLines > 0) notes.push(`${excerpt.longLines} long line${excerpt.longLines === 1 ? ' was' : 's were'} cut`);
  return notes;
}
