import { describe, expect, it } from 'vitest';
import { lineWidth, markRanges, plainText, sliceColumns, wrapColumns } from './ansi.js';

const RED = '\x1b[31m';
const RESET = '\x1b[0m';

describe('sliceColumns', () => {
  it('returns plain text unchanged when it fits', () => {
    expect(sliceColumns('hello', 0, 10)).toBe('hello');
  });

  it('cuts by cells and keeps the colour in effect at the cut', () => {
    const line = `ab${RED}cdef${RESET}gh`;
    expect(sliceColumns(line, 3, 3)).toBe(`${RED}def${RESET}`);
    expect(sliceColumns(line, 0, 3)).toBe(`ab${RED}c${RESET}`);
  });

  it('expands tabs to stops of 8', () => {
    expect(sliceColumns('a\tb', 0, 20)).toBe('a       b');
    expect(lineWidth('a\tb')).toBe(9);
  });

  it('replaces a wide character cut by the window with a space', () => {
    expect(sliceColumns("漢字", 1, 2)).toBe("  ");
    expect(sliceColumns('漢字', 0, 3)).toBe('漢 ');
  });

  it('ignores SGR sequences when measuring', () => {
    expect(lineWidth(`${RED}abc${RESET}`)).toBe(3);
  });
});

describe('wrapColumns', () => {
  it('cuts a line into rows of the width, an empty line into one empty row', () => {
    expect(wrapColumns('abcdefgh', 3)).toEqual(['abc', 'def', 'gh']);
    expect(wrapColumns('abc', 3)).toEqual(['abc']);
    expect(wrapColumns('', 3)).toEqual(['']);
  });

  it('starts each row with the colours in effect there, and ends it with a reset', () => {
    expect(wrapColumns(`ab${RED}cdef${RESET}gh`, 3)).toEqual([`ab${RED}c${RESET}`, `${RED}def${RESET}`, `gh${RESET}`]);
  });

  it('moves a wide character that would cross the end of a row to the next one', () => {
    expect(wrapColumns('a漢字', 2)).toEqual(['a', '漢', '字']);
  });

  it('expands tabs by the line\'s columns, across rows', () => {
    expect(wrapColumns('ab\tc', 4)).toEqual(['ab  ', '    ', 'c']);
  });
});

describe('markRanges', () => {
  const MARK = '\x1b[7m';

  it('marks ranges of the text as it shows, leaving the line\'s own sequences whole', () => {
    const line = `a${RED}bcd${RESET}e`;
    expect(plainText(line)).toBe('abcde');
    // "bc" and "e": the red comes back after the first mark, nothing after the second.
    expect(markRanges(line, [[1, 3], [4, 5]], MARK)).toBe(`a${RED}${MARK}bc${RESET}${RED}d${RESET}${MARK}e${RESET}`);
  });

  it('sets the mark again after a sequence inside it (a reset would end it)', () => {
    expect(markRanges(`ab${RESET}cd`, [[1, 3]], MARK)).toBe(`a${MARK}b${RESET}${MARK}c${RESET}d`);
  });

  it('cuts and wraps like any coloured line', () => {
    const marked = markRanges('hello world', [[6, 11]], MARK);
    expect(lineWidth(marked)).toBe(11);
    expect(sliceColumns(marked, 4, 4)).toBe(`o ${MARK}wo${RESET}`);
  });
});
