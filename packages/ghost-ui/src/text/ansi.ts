import { charWidth, plainEmoji } from './width.js';

// Log lines arrive sanitised by core's LogLines: the only escape sequences left are SGR (colour
// and style, ESC [ ... m), and the only control character left is tab. The log viewer shows a
// window of columns of each line, so it has to cut lines by cells without cutting a sequence in
// half, and carry the colour in effect at the cut into the window.

const TAB_STOP = 8;
const RESET = '\x1b[0m';
// eslint-disable-next-line no-control-regex
const SGR = /\x1b\[[0-9;:]*m/y;

/** Cells a sanitised log line takes, tabs expanded. */
export function lineWidth(line: string): number {
  let column = 0;
  for (let i = 0; i < line.length; i++) {
    const code = line.charCodeAt(i);
    if (code === 0x1b) {
      SGR.lastIndex = i;
      if (SGR.test(line)) {
        i = SGR.lastIndex - 1;
        continue;
      }
    }
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
    const code = line.charCodeAt(i);
    if (code === 0x1b) {
      SGR.lastIndex = i;
      if (SGR.test(line)) {
        const sequence = line.slice(i, SGR.lastIndex);
        i = SGR.lastIndex - 1;
        styled = true;
        if (column < left) styles += sequence;
        else out += sequence;
        continue;
      }
    }
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
