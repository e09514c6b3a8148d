import { describe, expect, it } from 'vitest';
import { MAX_LINE_CHARS, logExcerpt, runsInPage } from './log-text.js';

describe('logExcerpt', () => {
  it('splits lines; a final newline does not start an empty one', () => {
    expect(logExcerpt(Buffer.from('a\nb\n'))).toEqual({ lines: ['a', 'b'], longLines: 0 });
    expect(logExcerpt(Buffer.from(''))).toEqual({ lines: [], longLines: 0 });
  });

  it('keeps an unfinished last line and drops CRLF endings', () => {
    expect(logExcerpt(Buffer.from('one\r\ntwo')).lines).toEqual(['one', 'two']);
  });

  it('removes escape sequences (colours too) and control characters', () => {
    const line = 'a\x1b[31mred\x1b[0m\x1b]0;title\x07\x1b[2K\x00b\x07c\tt';
    expect(logExcerpt(Buffer.from(`${line}\n`)).lines).toEqual(['aredbc\tt']);
    expect(logExcerpt(Buffer.from('10%\r50%\r100%\n')).lines).toEqual(['100%']);
  });

  it('decodes invalid UTF-8 without failing', () => {
    expect(logExcerpt(Buffer.from([0x61, 0xff, 0x62, 0x0a])).lines).toEqual(['a\ufffdb']);
  });

  it('cuts very long lines', () => {
    const excerpt = logExcerpt(Buffer.from(`${'x'.repeat(MAX_LINE_CHARS + 10)}\nshort\n`));
    expect(excerpt.longLines).toBe(1);
    expect(excerpt.lines[0]).toBe(`${'x'.repeat(MAX_LINE_CHARS)} […10 more characters]`);
    expect(excerpt.lines[1]).toBe('short');
  });
});

describe('runsInPage', () => {
  const page = (start: number, text: string) => ({ data: Buffer.from(text), start, end: start + text.length, size: 100, truncated: false });
  // Run 1 from 0, run 2 from 8 ("a\nb\nc\nd\n" is 8 bytes), run 3 from 12.
  const runs = [
    { run: 3, logOffset: 12 },
    { run: 2, logOffset: 8 },
    { run: 1, logOffset: 0 },
  ];

  it('says which run each part of a page is from', () => {
    expect(runsInPage(page(4, 'c\nd\ne\nf\ng\n'), runs)).toEqual([
      { run: 1, line: 0 },
      { run: 2, line: 2 },
      { run: 3, line: 4 },
    ]);
    expect(runsInPage(page(8, 'e\nf\n'), runs)).toEqual([{ run: 2, line: 0 }]);
  });

  it('is empty for an empty page, or runs whose offsets were not recorded', () => {
    expect(runsInPage(page(4, ''), runs)).toEqual([]);
    expect(runsInPage(page(0, 'a\n'), [{ run: 1, logOffset: null }])).toEqual([]);
  });
});
