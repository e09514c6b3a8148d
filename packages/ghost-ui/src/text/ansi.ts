import { charWidth, plainEmoji } from './width.js';

// Log lines arrive sanitised by core's LogLines: the only escape sequences left are SGR (colour
// and style, ESC [ ... m), and the only control character left is tab. The log viewer shows a
// window of columns of each line, so it has to cut lines by cells without cutting a sequence in
// half, and carry the colour in effect at the cut into the window.

const TAB_STOP = 8;
const RESET = '\x1b[0m';
// eslint-disable-next-line no-control-regex
const SGR = /\x1b\[[0-9;:]*m/y;
// eslint-disable-next-line no-control-regex
const ALL_SGR = /\x1b\[[0-9;:]*m/g;
// eslint-disable-next-line no-control-regex
const IS_RESET = /^\x1b\[0*m$/;

/** The SGR sequence that starts at index `i` of a line, if one does. */
function sgrAt(line: string, i: number): string | undefined {
  if (line.charCodeAt(i) !== 0x1b) return undefined;
  SGR.lastIndex = i;
  return SGR.test(line) ? line.slice(i, SGR.lastIndex) : undefined;
}

/** A sanitised line's text as it shows, without its SGR sequences (what a search looks in). */
export function plainText(line: string): string {
  return line.includes('\x1b') ? line.replace(ALL_SGR, '') : line;
}

/** Cells a sanitised log line takes, tabs expanded. */
export function lineWidth(line: string): number {
  let column = 0;
  for (let i = 0; i < line.length; i++) {
    const sequence = sgrAt(line, i);
    if (sequence !== undefined) {
      i += sequence.length - 1;
      continue;
    }
    const code = line.charCodeAt(i);
    if (code === 0x09) {
      column += TAB_STOP - (column % TAB_STOP);
      continue;
    }
    const point = line.codePointAt(i)!;
    if (point > 0xffff) i++;
    column += charWidth(point);
  }
  return column;
}

/**
 * The cells [left, left + width) of a sanitised line, tabs expanded, colours kept: the SGR
 * sequences that precede the window are replayed at its start, and the result ends with a
 * reset so that a colour left open never leaks into the next line. A wide character cut by
 * either edge becomes a space.
 */
export function sliceColumns(line: string, left: number, width: number): string {
  let column = 0;
  let out = '';
  let styles = '';
  let styled = false;
  const right = left + width;
  for (let i = 0; i < line.length && column < right; i++) {
    const sequence = sgrAt(line, i);
    if (sequence !== undefined) {
      i += sequence.length - 1;
      styled = true;
      if (column < left) styles += sequence;
      else out += sequence;
      continue;
    }
    const code = line.charCodeAt(i);
    if (code === 0x09) {
      const next = column + TAB_STOP - (column % TAB_STOP);
      const from = Math.max(column, left);
      const to = Math.min(next, right);
      if (to > from) out += ' '.repeat(to - from);
      column = next;
      continue;
    }
    const point = line.codePointAt(i)!;
    const char = point > 0xffff ? line.slice(i, i + 2) : line[i]!;
    if (point > 0xffff) i++;
    const w = charWidth(point);
    if (w === 0) {
      if (column > left && column <= right) out += char;
      continue;
    }
    if (column >= left && column + w <= right) out += char;
    else if (column + w > left && column < right) out += ' '.repeat(Math.min(column + w, right) - Math.max(column, left));
    column += w;
  }
  const shown = plainEmoji(out);
  return styled ? styles + shown + RESET : shown;
}

/**
 * A sanitised line cut into rows of `width` cells (at least one row), tabs expanded, colours
 * kept: each row starts with the SGR sequences in effect where it starts and ends with a reset.
 * A wide character that would cross a row's end starts the next row instead.
 */
export function wrapColumns(line: string, width: number): string[] {
  const rows: string[] = [];
  let out = '';
  let cells = 0;
  let styles = '';
  // Sequences read since the last character: they go with the row the next one lands in.
  let pending = '';
  let styled = false;
  let column = 0;
  const room = Math.max(1, width);
  const end = () => (styled ? plainEmoji(out) + RESET : plainEmoji(out));
  const cell = (text: string, w: number) => {
    if (cells + w > room && cells > 0) {
      rows.push(end());
      out = styles;
      cells = 0;
    } else out += pending;
    pending = '';
    out += text;
    cells += w;
    column += w;
  };
  for (let i = 0; i < line.length; i++) {
    const sequence = sgrAt(line, i);
    if (sequence !== undefined) {
      i += sequence.length - 1;
      styled = true;
      styles = IS_RESET.test(sequence) ? '' : styles + sequence;
      pending += sequence;
      continue;
    }
    if (line.charCodeAt(i) === 0x09) {
      for (let n = TAB_STOP - (column % TAB_STOP); n > 0; n--) cell(' ', 1);
      continue;
    }
    const point = line.codePointAt(i)!;
    const char = point > 0xffff ? line.slice(i, i + 2) : line[i]!;
    if (point > 0xffff) i++;
    const w = charWidth(point);
    if (w === 0) out += char;
    else cell(char, w);
  }
  out += pending;
  rows.push(end());
  return rows;
}

/**
 * A sanitised line with ranges of its plain text (see plainText: [start, end) in its UTF-16
 * units, in order, not overlapping) drawn in `style`, an SGR sequence. The line's own sequences
 * inside a range are kept and the style set again after each; after a range, the line's own
 * colours in effect there come back.
 */
export function markRanges(line: string, ranges: readonly (readonly [number, number])[], style: string): string {
  if (ranges.length === 0) return line;
  let out = '';
  let styles = '';
  let visible = 0;
  let next = 0;
  let inside = false;
  for (let i = 0; i < line.length; i++) {
    const sequence = sgrAt(line, i);
    if (sequence !== undefined) {
      i += sequence.length - 1;
      styles = IS_RESET.test(sequence) ? '' : styles + sequence;
      out += inside ? sequence + style : sequence;
      continue;
    }
    if (!inside && next < ranges.length && visible >= ranges[next]![0]) {
      out += style;
      inside = true;
    }
    out += line[i];
    visible++;
    if (inside && visible >= ranges[next]![1]) {
      out += RESET + styles;
      inside = false;
      next++;
    }
  }
  return inside ? out + RESET + styles : out;
}
