import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../test-support/temp.js';
import { readLogTail } from './read.js';

function logWith(content: string | Buffer): string {
  const path = join(tempDir(), 'task.log');
  writeFileSync(path, content);
  return path;
}

describe('readLogTail', () => {
  it('returns the last lines, with or without a final newline', () => {
    expect(readLogTail(logWith('a\nb\nc\n'), 2).data.toString()).toBe('b\nc\n');
    expect(readLogTail(logWith('a\nb\nc'), 2).data.toString()).toBe('b\nc');
    expect(readLogTail(logWith('a\nb\nc\n'), 10).data.toString()).toBe('a\nb\nc\n');
    expect(readLogTail(logWith('a\nb\n'), 0).data.length).toBe(0);
    expect(readLogTail(logWith(''), 5)).toEqual({ data: Buffer.alloc(0), end: 0 });
  });

  it('finds lines across read chunks and keeps bytes that are not UTF-8', () => {
    const line = `${'x'.repeat(1000)}\n`;
    const path = logWith(Buffer.concat([Buffer.from(line.repeat(200)), Buffer.from([0xff, 0xfe, 0x0a]), Buffer.from('end\n')]));
    const tail = readLogTail(path, 3);
    expect(tail.data).toEqual(Buffer.concat([Buffer.from(line), Buffer.from([0xff, 0xfe, 0x0a]), Buffer.from('end\n')]));
    expect(tail.end).toBe(200 * 1001 + 3 + 4);
  });
});
