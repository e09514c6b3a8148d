import { tempDir } from '@ghost/test-support';
import { appendFileSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LogReader } from './log-reader.js';
import { MAX_PAGE_BYTES } from './read.js';

describe('LogReader', () => {
  it('returns the tail first, then only what was appended, and notices truncation', () => {
    const path = join(tempDir(), 'task.log');
    writeFileSync(path, 'a\nb\nc\n');
    const reader = new LogReader(path, 2);
    expect(reader.read()).toEqual({ data: Buffer.from('b\nc\n'), truncated: false, start: 2 });
    expect(reader.read()).toEqual({ data: Buffer.alloc(0), truncated: false, start: 6 });
    appendFileSync(path, 'd\n');
    expect(reader.read()).toEqual({ data: Buffer.from('d\n'), truncated: false, start: 6 });
    truncateSync(path, 0);
    appendFileSync(path, 'new\n');
    expect(reader.read()).toEqual({ data: Buffer.from('new\n'), truncated: true, start: 0 });
    reader.close();
  });

  it('starts with at most MAX_PAGE_BYTES of a huge log without newlines', () => {
    const path = join(tempDir(), 'task.log');
    writeFileSync(path, '');
    truncateSync(path, 2 ** 31);
    appendFileSync(path, 'end');
    const reader = new LogReader(path);
    const first = reader.read().data;
    expect(first.length).toBe(MAX_PAGE_BYTES);
    expect(first.subarray(-3).toString()).toBe('end');
    reader.close();
  });
});
