import { type LogPage } from '@ghost/core';
import { plainLine } from '@ghost/core/format';

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

/** The lines of `data`, decoded leniently, as plain text (see plainLine), long ones cut. */
export function logExcerpt(data: Buffer): LogExcerpt {
  const text = new TextDecoder('utf-8').decode(data);
  if (text === '') return { lines: [], longLines: 0 };
  const parts = text.split('\n');
  // A final newline ends the last line; it does not start an empty one.
  if (parts[parts.length - 1] === '') parts.pop();
  let longLines = 0;
  const lines = parts.map((part) => {
    const line = clipLine(plainLine(part));
    if (line.cut) longLines += 1;
    return line.text;
  });
  return { lines, longLines };
}

/** A line cut to MAX_LINE_CHARS, saying how much was left out. */
export function clipLine(line: string): { text: string; cut: boolean } {
  if (line.length <= MAX_LINE_CHARS) return { text: line, cut: false };
  return { text: `${line.slice(0, MAX_LINE_CHARS)} […${line.length - MAX_LINE_CHARS} more characters]`, cut: true };
}

export interface PageRequest {
  /** True when the page was read forward from a position (a cursor or an offset), not as a tail. */
  forward: boolean;
  maxBytes: number;
  /** True when more lines were asked for than one call returns. */
  linesCapped: boolean;
  /** Where the output read starts in the log. */
  outputStart: number;
}

/**
 * What a page covers, for the model reading it: which bytes, whether earlier or later output
 * exists and the cursor that reads it, and whether a bound cut it.
 */
export function pageNotes(page: LogPage, excerpt: LogExcerpt, request: PageRequest): string[] {
  const count = `${excerpt.lines.length} line${excerpt.lines.length === 1 ? '' : 's'}`;
  const range = `bytes ${page.start}-${page.end} of ${request.outputStart}-${page.size}`;
  const notes: string[] = [];
  const earlier = page.start > request.outputStart;
  if (page.size === request.outputStart) notes.push('no output yet');
  else if (!earlier && page.end === page.size) notes.push(`showing all of it (${count})`);
  else {
    notes.push(`showing ${count} (${range})`);
    if (earlier) {
      notes.push(
        'earlier output was left out' + (request.linesCapped ? ` (${MAX_LOG_LINES} lines is the most one call returns)` : '') + ': earlier_cursor reads it',
      );
    }
    if (page.end < page.size) notes.push('more follows: next_cursor reads it');
  }
  if (page.end === page.size) notes.push('next_cursor reads what is written from now on');
  if (page.truncated) notes.push(`cut at max_bytes (${request.maxBytes} bytes)${request.forward ? '' : ', possibly mid-line'}`);
  if (excerpt.longLines > 0) notes.push(`${excerpt.longLines} long line${excerpt.longLines === 1 ? ' was' : 's were'} cut`);
  return notes;
}

/**
 * The run each part of a page's lines comes from: from `line` on (to the next entry's), run
 * `run`'s output. Empty when the runs' offsets were not recorded.
 */
export function runsInPage(page: LogPage, runs: readonly { run: number; logOffset: number | null }[]): { run: number; line: number }[] {
  if (page.data.length === 0) return [];
  const starts = runs.filter((entry) => entry.logOffset !== null).sort((a, b) => a.run - b.run) as { run: number; logOffset: number }[];
  const first = starts.filter((entry) => entry.logOffset <= page.start).at(-1);
  const parts = first ? [{ run: first.run, line: 0 }] : [];
  for (const entry of starts) {
    if (entry.logOffset <= page.start || entry.logOffset >= page.end) continue;
    let line = 0;
    const until = entry.logOffset - page.start;
    for (let i = page.data.indexOf(0x0a); i >= 0 && i < until; i = page.data.indexOf(0x0a, i + 1)) line++;
    parts.push({ run: entry.run, line });
  }
  return parts;
}
