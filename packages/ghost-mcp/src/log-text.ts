import { sanitizeLine, stripColors } from '@ghost/core';

/** Lines the log tool returns when the caller does not say. */
export const DEFAULT_LOG_LINES = 100;
/** The most lines one log call returns, whatever is asked for. */
export const MAX_LOG_LINES = 1000;
/** The most characters kept of one line (a minified bundle or a progress bar can be megabytes). */
export const MAX_LINE_CHARS = 2000;

export interface LogExcerpt {
  /** The lines, oldest first, safe to show (no control characters, no escape sequences). */
  lines: string[];
  /** True if the log has earlier lines than those returned. */
  truncated: boolean;
  /** How many lines were cut to MAX_LINE_CHARS. */
  longLines: number;
}

/**
 * The last `lines` lines of `data` (which holds at most one line more than that, to tell
 * whether anything earlier was left out), decoded leniently and sanitised line by line.
 */
export function logExcerpt(data: Buffer, lines: number): LogExcerpt {
  const text = new TextDecoder('utf-8').decode(data);
  if (text === '') return { lines: [], truncated: false, longLines: 0 };
  const parts = text.split('\n');
  // A final newline ends the last line; it does not start an empty one.
  if (parts[parts.length - 1] === '') parts.pop();
  const truncated = parts.length > lines;
  let longLines = 0;
  const kept = parts.slice(Math.max(0, parts.length - lines)).map((part) => {
    // sanitizeLine keeps colours for terminals; a model reading the text gets nothing from them.
    const clean = stripColors(sanitizeLine(part.endsWith('\r') ? part.slice(0, -1) : part));
    if (clean.length <= MAX_LINE_CHARS) return clean;
    longLines += 1;
    return `${clean.slice(0, MAX_LINE_CHARS)} […${clean.length - MAX_LINE_CHARS} more characters]`;
  });
  return { lines: kept, truncated, longLines };
}
