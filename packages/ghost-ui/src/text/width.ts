// How many terminal cells text takes. The screen runs blessed with `fullUnicode`, which counts
// East Asian wide characters as two cells and combining marks as none; these rules follow the
// same table, so columns padded here line up with what blessed draws.

/** Cells one code point takes: 0 for controls and combining marks, 2 for wide characters. */
export function charWidth(point: number): number {
  if (point < 0x20 || (point >= 0x7f && point < 0xa0)) return 0;
  if (point < 0x300) return 1; // fast path: ASCII and Latin-1
  if (isZeroWidth(point)) return 0;
  return isWide(point) ? 2 : 1;
}

/** Cells a string takes (no escape sequences expected: see ansi.ts for those). */
export function displayWidth(text: string): number {
  let width = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0x20 && code < 0x7f) {
      width += 1;
      continue;
    }
    const point = text.codePointAt(i)!;
    if (point > 0xffff) i++;
    width += charWidth(point);
  }
  return width;
}

const ELLIPSIS = '…';

/**
 * Exactly `width` cells: the text padded with spaces, or cut with an ellipsis. `keep: 'end'`
 * cuts the start instead (for paths, whose end is what tells them apart).
 */
export function fitText(text: string, width: number, options: { align?: 'left' | 'right'; keep?: 'start' | 'end' } = {}): string {
  if (width <= 0) return '';
  const textWidth = displayWidth(text);
  if (textWidth <= width) {
    const padding = ' '.repeat(width - textWidth);
    return options.align === 'right' ? padding + text : text + padding;
  }
  if (width === 1) return ELLIPSIS;
  if (options.keep === 'end') {
    const tail = takeEnd(text, width - 1);
    return ELLIPSIS + ' '.repeat(width - 1 - displayWidth(tail)) + tail;
  }
  const head = takeStart(text, width - 1);
  return head + ' '.repeat(width - 1 - displayWidth(head)) + ELLIPSIS;
}

/** The longest start of `text` that fits in `width` cells. */
export function takeStart(text: string, width: number): string {
  let used = 0;
  let end = 0;
  for (const char of text) {
    const w = charWidth(char.codePointAt(0)!);
    if (used + w > width) break;
    used += w;
    end += char.length;
  }
  return text.slice(0, end);
}

function takeEnd(text: string, width: number): string {
  const chars = Array.from(text);
  let used = 0;
  let start = chars.length;
  while (start > 0) {
    const w = charWidth(chars[start - 1]!.codePointAt(0)!);
    if (used + w > width) break;
    used += w;
    start--;
  }
  return chars.slice(start).join('');
}

/**
 * Task names, commands and paths are arbitrary strings: a newline or an escape sequence in
 * one would break the row it is drawn in. Every control character becomes a visible stand-in.
 */
export function oneLine(text: string): string {
  // eslint-disable-next-line no-control-regex
  if (!/[\x00-\x1f\x7f-\x9f]/.test(text)) return text;
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\x00-\x1f\x7f-\x9f]/g, (char) => (char === '\n' ? '↵' : char === '\t' ? ' ' : '�'));
}

function isZeroWidth(point: number): boolean {
  return (
    (point >= 0x300 && point <= 0x36f) || // combining diacritical marks
    (point >= 0x483 && point <= 0x489) ||
    (point >= 0x591 && point <= 0x5bd) ||
    (point >= 0x610 && point <= 0x61a) ||
    (point >= 0x64b && point <= 0x65f) ||
    (point >= 0x200b && point <= 0x200f) || // zero-width space, joiners, marks
    (point >= 0x20d0 && point <= 0x20ff) ||
    (point >= 0xfe00 && point <= 0xfe0f) || // variation selectors
    (point >= 0xfe20 && point <= 0xfe2f) ||
    point === 0xfeff
  );
}

// The wide ranges blessed's unicode.charWidth uses.
const WIDE: readonly (readonly [number, number])[] = [
  [0x1100, 0x115f], [0x11a3, 0x11a7], [0x11fa, 0x11ff], [0x2329, 0x232a], [0x2e80, 0x2e99],
  [0x2e9b, 0x2ef3], [0x2f00, 0x2fd5], [0x2ff0, 0x2ffb], [0x3000, 0x303e], [0x3041, 0x3096],
  [0x3099, 0x30ff], [0x3105, 0x312d], [0x3131, 0x318e], [0x3190, 0x31ba], [0x31c0, 0x31e3],
  [0x31f0, 0x321e], [0x3220, 0x3247], [0x3250, 0x32fe], [0x3300, 0x4dbf], [0x4e00, 0xa48c],
  [0xa490, 0xa4c6], [0xa960, 0xa97c], [0xac00, 0xd7a3], [0xd7b0, 0xd7c6], [0xd7cb, 0xd7fb],
  [0xf900, 0xfaff], [0xfe10, 0xfe19], [0xfe30, 0xfe52], [0xfe54, 0xfe66], [0xfe68, 0xfe6b],
  [0xff01, 0xff60], [0xffe0, 0xffe6], [0x1b000, 0x1b001], [0x1f200, 0x1f202], [0x1f210, 0x1f23a],
  [0x1f240, 0x1f248], [0x1f250, 0x1f251], [0x20000, 0x2fffd], [0x30000, 0x3fffd],
];

function isWide(point: number): boolean {
  if (point < 0x1100) return false;
  for (const [start, end] of WIDE) {
    if (point < start) return false;
    if (point <= end) return true;
  }
  return false;
}
