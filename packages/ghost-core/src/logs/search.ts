import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { GhostError } from '../errors.js';
import type { LogRange } from './read.js';
import { plainLine } from './sanitize.js';

/**
 * The most bytes one search reads, and so what it costs at worst (a few hundred milliseconds):
 * a log can be gigabytes, and a search that read all of it would hold its caller that long.
 * A longer log is searched a piece at a time, each search going on from where the last ended.
 */
export const MAX_SEARCH_BYTES = 16 * 1024 * 1024;
/** Matches one search returns when the caller does not say. */
export const DEFAULT_SEARCH_MATCHES = 100;

const CHUNK = 64 * 1024;

export interface LogPatternOptions {
  /** Take the pattern as plain text, not as a regular expression. */
  literal?: boolean | undefined;
  ignoreCase?: boolean | undefined;
}

/**
 * A search pattern as a regular expression (JavaScript syntax), or, with `literal`, one that
 * matches the text itself. Throws INVALID_ARGUMENT for a pattern that is not a valid one.
 */
export function logPattern(pattern: string, options: LogPatternOptions = {}): RegExp {
  const source = options.literal ? pattern.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&') : pattern;
  try {
    return new RegExp(source, options.ignoreCase ? 'i' : '');
  } catch (error) {
    const reason = (error as Error).message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /, '');
    throw new GhostError('INVALID_ARGUMENT', `invalid pattern "${pattern}": ${reason}`, { cause: error, details: { argument: 'pattern', value: pattern } });
  }
}

export interface LogSearchOptions {
  /** Lines of context to give before and after each match (default 0). */
  context?: number | undefined;
  /**
   * Search forward from this byte offset (the start of a line: a search's or a page's `end`).
   * Without it, the last `maxBytes` of the log (or of the range) are searched, from the first
   * line that starts in them.
   */
  offset?: number | undefined;
  /** Read at most this many bytes (default and ceiling MAX_SEARCH_BYTES). */
  maxBytes?: number | undefined;
  /** Stop at this many matches (default DEFAULT_SEARCH_MATCHES). */
  maxMatches?: number | undefined;
  /** Only bytes [start, end) of the log (one run's output). */
  range?: LogRange | undefined;
}

export interface LogMatch {
  /** Where the matching line starts in the log. */
  offset: number;
  /**
   * The line and its context, as the pattern saw them: decoded leniently, without colours,
   * other escape sequences or control characters (see plainLine). Context stops at the ends of
   * what was searched.
   */
  line: string;
  before: string[];
  after: string[];
}

export interface LogSearch {
  /** In the order of the log. */
  matches: LogMatch[];
  /** The bytes searched: [start, end). A search from `end` goes on where this one stopped. */
  start: number;
  end: number;
  /** The log's size (with a range, its end) when it was read. */
  size: number;
  /**
   * Why the search ended before `size`: it found maxMatches matches (more may follow), or it
   * read maxBytes. Null: it searched to the end.
   */
  stoppedBy: 'matches' | 'bytes' | null;
}

/**
 * The lines of a log that match `pattern`, with context, in bounded time and memory whatever
 * the log holds (see MAX_SEARCH_BYTES). Lines are matched as plain text (see LogMatch.line), so
 * a pattern is not defeated by the colours a program wrote around a word.
 */
export function searchLog(path: string, pattern: RegExp, options: LogSearchOptions = {}): LogSearch {
  const maxBytes = Math.max(1, Math.min(options.maxBytes ?? MAX_SEARCH_BYTES, MAX_SEARCH_BYTES));
  const maxMatches = Math.max(1, options.maxMatches ?? DEFAULT_SEARCH_MATCHES);
  const context = Math.max(0, options.context ?? 0);
  const fd = openSync(path, 'r');
  try {
    const fileSize = fstatSync(fd).size;
    const floor = Math.min(Math.max(0, options.range?.start ?? 0), fileSize);
    const size = Math.max(floor, Math.min(fileSize, options.range?.end ?? fileSize));
    const from = options.offset === undefined ? Math.max(floor, size - maxBytes) : Math.min(Math.max(options.offset, floor), size);
    const start = options.offset === undefined && from > floor ? nextLineStart(fd, from, size) : from;
    // A global or sticky pattern would carry its lastIndex from one line to the next.
    const once = pattern.global || pattern.sticky ? new RegExp(pattern.source, pattern.flags.replace(/[gy]/g, '')) : pattern;
    return scan(fd, once, { start, limit: Math.min(size, start + maxBytes), size, context, maxMatches });
  } finally {
    closeSync(fd);
  }
}

interface Scan {
  start: number;
  /** Read no byte at or past this. */
  limit: number;
  size: number;
  context: number;
  maxMatches: number;
}

function scan(fd: number, pattern: RegExp, { start, limit, size, context, maxMatches }: Scan): LogSearch {
  const decoder = new TextDecoder('utf-8');
  const matches: LogMatch[] = [];
  /** The last `context` lines, for the next match's `before`. */
  const recent: string[] = [];
  /** Matches still collecting their `after` lines. */
  let open: LogMatch[] = [];
  /** Set once maxMatches is reached: where the last match's line ends. */
  let full: number | null = null;

  const line = (offset: number, bytes: Uint8Array): void => {
    const text = plainLine(decoder.decode(bytes));
    for (const match of open) match.after.push(text);
    open = open.filter((match) => match.after.length < context);
    if (full === null && pattern.test(text)) {
      const match = { offset, line: text, before: [...recent], after: [] };
      matches.push(match);
      if (context > 0) open.push(match);
      if (matches.length === maxMatches) full = offset + bytes.length + 1;
    }
    recent.push(text);
    if (recent.length > context) recent.shift();
  };

  let position = start;
  /** Where the line being read starts, and its bytes so far (in pieces: a line can be megabytes). */
  let lineStart = start;
  let pieces: Buffer[] = [];
  const done = () => full !== null && open.length === 0;
  while (position < limit && !done()) {
    const chunk = readAt(fd, position, Math.min(CHUNK, limit - position));
    if (chunk.length === 0) break;
    position += chunk.length;
    let from = 0;
    for (let newline = chunk.indexOf(0x0a); newline >= 0 && !done(); newline = chunk.indexOf(0x0a, from)) {
      const bytes = pieces.length > 0 ? Buffer.concat([...pieces, chunk.subarray(from, newline)]) : chunk.subarray(from, newline);
      pieces = [];
      line(lineStart, bytes);
      lineStart += bytes.length + 1;
      from = newline + 1;
    }
    if (from < chunk.length && !done()) pieces.push(chunk.subarray(from));
  }
  const partial = Buffer.concat(pieces);
  if (full !== null) return { matches, start, end: full, size, stoppedBy: 'matches' };
  if (partial.length > 0 && (position >= size || lineStart === start)) {
    // The log's unfinished last line, or a single line longer than maxBytes: searched as it is.
    line(lineStart, partial);
    lineStart = position;
    if (full !== null) return { matches, start, end: position, size, stoppedBy: position < size ? 'matches' : null };
  }
  return { matches, start, end: lineStart, size, stoppedBy: lineStart < size ? 'bytes' : null };
}

/** The first line start at or after `offset` (`size` if none). */
function nextLineStart(fd: number, offset: number, size: number): number {
  for (let position = offset - 1; position < size; ) {
    const chunk = readAt(fd, position, Math.min(CHUNK, size - position));
    if (chunk.length === 0) break;
    const newline = chunk.indexOf(0x0a);
    if (newline >= 0) return position + newline + 1;
    position += chunk.length;
  }
  return size;
}

function readAt(fd: number, position: number, length: number): Buffer {
  const buffer = Buffer.allocUnsafe(length);
  const read = readSync(fd, buffer, 0, length, position);
  return buffer.subarray(0, read);
}
