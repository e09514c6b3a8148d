import { describe, expect, it } from 'vitest';
import { lineWidth, sliceColumns } from './ansi.js';

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
