import { tempDir } from '@ghost/test-support';
import { appendFileSync, existsSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LogCursor } from './log-cursor.js';
import { LogReader } from './log-reader.js';
import { removeLog, rotateLog } from './rotate.js';

const read = (cursor: LogCursor, limit?: number) => Buffer.concat([...cursor.read(limit)]).toString();

describe('rotateLog', () => {
  it('copies a log over its cap to .1, moves older ones up to maxFiles, truncates it', () => {
    const path = join(tempDir(), 'task.log');
    writeFileSync(path, 'a'.repeat(10));
    expect(rotateLog(path, 10, 2)).toBe(0);
    appendFileSync(path, 'b');
    expect(rotateLog(path, 10, 2)).toBe(11);
    expect(readFileSync(path, 'utf8')).toBe('');
    expect(readFileSync(`${path}.1`, 'utf8')).toBe(`${'a'.repeat(10)}b`);
    for (const fill of ['c', 'd']) {
      writeFileSync(path, fill.repeat(11));
      rotateLog(path, 10, 2);
    }
    expect([1, 2, 3].map((index) => existsSync(`${path}.${index}`) && readFileSync(`${path}.${index}`, 'utf8')[0])).toEqual(['d', 'c', false]);
    expect(existsSync(`${path}.lock`)).toBe(false);
    removeLog(path);
    expect([path, `${path}.1`, `${path}.2`].filter(existsSync)).toEqual([]);
  });

  it('with maxFiles 0 drops the bytes', () => {
    const path = join(tempDir(), 'task.log');
    writeFileSync(path, 'x'.repeat(20));
    expect(rotateLog(path, 10, 0)).toBe(20);
    expect(readFileSync(path, 'utf8')).toBe('');
    expect(existsSync(`${path}.1`)).toBe(false);
  });

  it('leaves a log alone while another process holds the lock', () => {
    const path = join(tempDir(), 'task.log');
    writeFileSync(path, 'x'.repeat(20));
    writeFileSync(`${path}.lock`, '');
    expect(rotateLog(path, 10, 1)).toBe(0);
    expect(readFileSync(path, 'utf8')).toHaveLength(20);
  });
});

describe('LogCursor across rotations', () => {
  it('reads the rest of a rotated log from its rotated file, then the log from 0: every byte once', () => {
    const path = join(tempDir(), 'task.log');
    writeFileSync(path, 'one\n');
    const cursor = new LogCursor(path, 0);
    expect(read(cursor)).toBe('one\n');
    appendFileSync(path, 'two\n');
    rotateLog(path, 4, 1);
    appendFileSync(path, 'three\n');
    expect(read(cursor)).toBe('two\nthree\n');
    // Two rotations between looks with two files kept, read a few bytes at a time.
    appendFileSync(path, 'four\n');
    rotateLog(path, 4, 3);
    appendFileSync(path, 'five\n');
    rotateLog(path, 4, 3);
    appendFileSync(path, 'six\n');
    // Where the cursor stands counts the rotated bytes still to read as before the log's start.
    let seen = '';
    for (let i = 0; i < 20; i++) {
      seen += read(cursor, 3);
      expect(cursor.position).toBe(seen.length - 10);
    }
    expect(seen).toBe('four\nfive\nsix\n');
    cursor.close();
  });

  it('reads a log truncated by hand again from 0', () => {
    const path = join(tempDir(), 'task.log');
    writeFileSync(path, 'old output\n');
    const cursor = new LogCursor(path, 0);
    read(cursor);
    truncateSync(path, 0);
    appendFileSync(path, 'new\n');
    expect(read(cursor)).toBe('new\n');
    cursor.close();
  });

  it('keeps LogReader (the TUI) exact across a rotation, saying it happened', () => {
    const path = join(tempDir(), 'task.log');
    writeFileSync(path, 'a\n');
    const reader = new LogReader(path);
    expect(reader.read()).toEqual({ data: Buffer.from('a\n'), truncated: false, start: 0 });
    appendFileSync(path, 'b\n');
    rotateLog(path, 2, 1);
    appendFileSync(path, 'c\n');
    // "b" was at 2; the rotation moved 4 bytes out, so it now stands at -2, where the runs' offsets put it.
    expect(reader.read()).toEqual({ data: Buffer.from('b\nc\n'), truncated: true, start: -2 });
    reader.close();
  });
});
