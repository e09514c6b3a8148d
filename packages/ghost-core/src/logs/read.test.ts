import { tempDir } from '@ghost/test-support';
import { appendFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MAX_PAGE_BYTES, readLogPage, readLogTail } from './read.js';

function logWith(content: string | Buffer): string {
  const path = join(tempDir(), 'task.log');
  writeFileSync(path, content);
  return path;
}

/** A 2 GiB log of zeros (sparse: it takes no disk) and no newline, then `text`. */
function hugeLog(text: string): string {
  const path = logWith('');
  truncateSync(path, 2 ** 31);
  appendFileSync(path, text);
  return path;
}

describe('readLogTail', () => {
  it('returns the last lines, with or without a final newline', () => {
    expect(readLogTail(logWith('a\nb\nc\n'), 2).data.toString()).toBe('b\nc\n');
    expect(readLogTail(logWith('a\nb\nc'), 2).data.toString()).toBe('b\nc');
    expect(readLogTail(logWith('a\nb\nc\n'), 10).data.toString()).toBe('a\nb\nc\n');
    expect(readLogTail(logWith('a\nb\n'), 0).data.length).toBe(0);
    expect(readLogTail(logWith(''), 5)).toEqual({ data: Buffer.alloc(0), start: 0, end: 0, size: 0, truncated: false });
  });

  it('finds lines across read chunks and keeps bytes that are not UTF-8', () => {
    const line = `${'x'.repeat(1000)}\n`;
    const path = logWith(Buffer.concat([Buffer.from(line.repeat(200)), Buffer.from([0xff, 0xfe, 0x0a]), Buffer.from('end\n')]));
    const tail = readLogTail(path, 3);
    expect(tail.data).toEqual(Buffer.concat([Buffer.from(line), Buffer.from([0xff, 0xfe, 0x0a]), Buffer.from('end\n')]));
    expect(tail.end).toBe(200 * 1001 + 3 + 4);
    expect(tail.start).toBe(199 * 1001);
  });

  it('reads at most MAX_PAGE_BYTES of a 2 GiB log without newlines: the end of its last line', () => {
    const path = hugeLog('100%\r');
    const size = statSync(path).size;
    const tail = readLogTail(path, 10);
    expect(tail).toMatchObject({ start: size - MAX_PAGE_BYTES, end: size, size, truncated: true });
    expect(tail.data.length).toBe(MAX_PAGE_BYTES);
    expect(tail.data.subarray(-5).toString()).toBe('100%\r');
    // Whole lines at its end are found as usual.
    appendFileSync(path, '\nlast line\n');
    expect(readLogTail(path, 1)).toMatchObject({ data: Buffer.from('last line\n'), truncated: false });
  });
});

describe('readLogPage', () => {
  const log = 'one\ntwo\nthree\nfour\n';

  it('reads forward from an offset, by lines or by bytes, ending a cut page after a whole line', () => {
    const path = logWith(log);
    expect(readLogPage(path, { offset: 4, lines: 2 })).toEqual({ data: Buffer.from('two\nthree\n'), start: 4, end: 14, size: 19, truncated: false });
    expect(readLogPage(path, { offset: 0, maxBytes: 10 })).toMatchObject({ data: Buffer.from('one\ntwo\n'), end: 8, truncated: true });
    expect(readLogPage(path, { offset: 8, maxBytes: 100 })).toMatchObject({ data: Buffer.from('three\nfour\n'), end: 19, truncated: false });
    expect(readLogPage(path, { offset: 99 })).toMatchObject({ data: Buffer.alloc(0), start: 19, end: 19 });
    // A line longer than the page is cut where the page ends.
    expect(readLogPage(path, { offset: 8, maxBytes: 3 })).toMatchObject({ data: Buffer.from('thr'), end: 11, truncated: true });
  });

  it('pages through a whole log from 0, following end', () => {
    const path = logWith(log.repeat(50));
    const pages: Buffer[] = [];
    for (let offset = 0; offset < statSync(path).size; ) {
      const page = readLogPage(path, { offset, maxBytes: 64 });
      pages.push(page.data);
      offset = page.end;
    }
    expect(Buffer.concat(pages).toString()).toBe(log.repeat(50));
  });

  it('the tail page is bounded by maxBytes and says when that cut it', () => {
    const path = logWith(log);
    expect(readLogPage(path, { maxBytes: 12 })).toMatchObject({ data: Buffer.from('\nthree\nfour\n'), start: 7, truncated: true });
    expect(readLogPage(path, { lines: 2, maxBytes: 100 })).toMatchObject({ data: Buffer.from('three\nfour\n'), start: 8, truncated: false });
    expect(readLogPage(path, { maxBytes: 100 })).toMatchObject({ start: 0, end: 19, truncated: false });
  });

  it('pages back through a whole log with before, following start', () => {
    const path = logWith(log.repeat(50));
    expect(readLogPage(path, { before: 8, lines: 1 })).toEqual({ data: Buffer.from('two\n'), start: 4, end: 8, size: 950, truncated: false });
    const pages: Buffer[] = [];
    for (let before: number | undefined; before !== 0; ) {
      const page = readLogPage(path, { before, lines: 7, maxBytes: 40 });
      pages.unshift(page.data);
      before = page.start;
    }
    expect(Buffer.concat(pages).toString()).toBe(log.repeat(50));
    // Within a range, the page never starts before it.
    expect(readLogPage(path, { before: 14, range: { start: 8, end: 19 } })).toMatchObject({ data: Buffer.from('three\n'), start: 8, size: 19 });
  });
});
