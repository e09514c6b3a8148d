import { WIDE_CHARS, charWidth, displayWidth, escapeForTerminal } from '@ghost/core/format';

// Cell widths are core's (format/terminal-width.ts), shared with the CLI's tables.
export { WIDE_CHARS, charWidth, displayWidth };

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
 * Task names, commands and paths are arbitrary strings: a newline, an escape sequence or a bidi
 * override in one would break the row it is drawn in, so those are shown escaped; and emoji
 * sequences are drawn as their parts (see plainEmoji).
 */
export function oneLine(text: string): string {
  return plainEmoji(escapeForTerminal(text));
}

/**
 * Terminals disagree on emoji sequences: tmux draws a family joined by U+200D as one emoji of
 * two cells, xterm as three emoji of six; some draw a heart with U+FE0F (emoji style) in two
 * cells, others in one. Without the joiners between pictographs and without U+FE0F, every
 * terminal draws the same cells, the ones charWidth counts (both are zero-width).
 */
export function plainEmoji(text: string): string {
  return EMOJI_JOINS_HINT.test(text) ? text.replace(EMOJI_JOINS, '') : text;
}

const EMOJI_JOINS_HINT = /[\u200d\ufe0f]/;
const EMOJI_JOINS = /\ufe0f|(?<=\p{Extended_Pictographic}[\u{1f3fb}-\u{1f3ff}\ufe0f]?)\u200d(?=\p{Extended_Pictographic})/gu;

