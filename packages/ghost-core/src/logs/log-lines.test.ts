import { describe, expect, it } from 'vitest';
import { LogLines } from './log-lines.js';

describe('LogLines', () => {
  it('splits chunks into lines and shows an unfinished last line', () => {
    const lines = new LogLines();
    lines.push(Buffer.from('one\ntw'));
    expect(lines.toArray()).toEqual(['one', 'tw']);
    lines.push(Buffer.from('o\r\nthree\n'));
    expect(lines.toArray()).toEqual(['one', 'two', 'three']);
    expect(lines.length).toBe(3);
    expect(lines.line(1)).toBe('two');
    expect(lines.line(99)).toBe('');
  });

  it('decodes characters split across reads, and shows invalid bytes safely', () => {
    const lines = new LogLines();
    const euro = Buffer.from('€\n');
    lines.push(euro.subarray(0, 1));
    lines.push(euro.subarray(1));
    lines.push(Buffer.from([0x61, 0xff, 0xfe, 0x62, 0x0a]));
    expect(lines.toArray()).toEqual(['€', 'a\ufffd\ufffdb']);
  });

  it('keeps only the newest lines', () => {
    const lines = new LogLines(3);
    for (let i = 0; i < 10; i++) lines.push(Buffer.from(`line ${i}\n`));
    expect(lines.toArray()).toEqual(['line 7', 'line 8', 'line 9']);
    lines.push(Buffer.from(Array.from({ length: 20 }, (_, i) => `bulk ${i}\n`).join('')));
    expect(lines.toArray()).toEqual(['bulk 17', 'bulk 18', 'bulk 19']);
    lines.clear();
    expect(lines.length).toBe(0);
  });

  it('sanitises what it keeps', () => {
    const lines = new LogLines();
    lines.push(Buffer.from('\x1b[2J\x1b[32mok\x1b[0m\n'));
    expect(lines.line(0)).toBe('\x1b[32mok\x1b[0m');
  });

  it('knows where each line starts in the log, and which line holds an offset', () => {
    const lines = new LogLines(3);
    lines.clear(100);
    lines.push(Buffer.from('€a\nbb\r\nc'));
    // "€" is three bytes: "bb" starts at 100 + 5.
    expect([0, 1, 2, 3].map((index) => lines.offsetOf(index))).toEqual([100, 105, 109, 110]);
    expect([99, 100, 104, 105, 108, 109, 110, 200].map((offset) => lines.lineAt(offset))).toEqual([-1, 0, 0, 1, 1, 2, 3, 3]);
    lines.push(Buffer.from('c\nd\ne\n'));
    // "€a" was dropped: offsets before "bb" are no longer in the buffer.
    expect(lines.toArray()).toEqual(['cc', 'd', 'e']);
    expect([lines.dropped, lines.origin, lines.end]).toEqual([2, 100, 116]);
    expect([lines.lineAt(104), lines.lineAt(109), lines.lineAt(113), lines.lineAt(116)]).toEqual([-1, 0, 1, 3]);
    lines.clear();
    expect([lines.dropped, lines.origin, lines.end, lines.lineAt(0)]).toEqual([0, 0, 0, 0]);
  });

  it('keeps offsets right across many drops (the buffer compacts now and then)', () => {
    const lines = new LogLines(4);
    for (let i = 0; i < 25; i++) lines.push(Buffer.from(`${i}\n`.padStart(4, '0')));
    expect(lines.toArray()).toEqual(['021', '022', '023', '024']);
    expect(lines.dropped).toBe(21);
    expect([0, 1, 2, 3].map((index) => lines.offsetOf(index))).toEqual([84, 88, 92, 96]);
    expect(lines.lineAt(91)).toBe(1);
  });
});
