import { tempDir } from '@ghost/test-support';
import { appendFileSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MAX_SEARCH_BYTES, logPattern, searchLog } from './search.js';

function logWith(content: string | Buffer): string {
  const path = join(tempDir(), 'task.log');
  writeFileSync(path, content);
  return path;
}

/** "line 1\n" … "line n\n", with "error n" in every tenth. */
function numbered(n: number): string {
  return Array.from({ length: n }, (_, i) => ((i + 1) % 10 === 0 ? `error ${i + 1}\n` : `line ${i + 1}\n`)).join('');
}

describe('logPattern', () => {
  it('is a regular expression, or with literal the text itself', () => {
    expect(logPattern('err(or)?').test('an error')).toBe(true);
    expect(logPattern('a.c', { literal: true }).test('abc')).toBe(false);
    expect(logPattern('a.c (1/2)', { literal: true }).test('see a.c (1/2)')).toBe(true);
    expect(logPattern('ERROR', { ignoreCase: true }).test('error')).toBe(true);
  });

  it('refuses an invalid regular expression in one line', () => {
    expect(() => logPattern('(')).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT', message: 'invalid pattern "(": Unterminated group' }));
  });
});

describe('searchLog', () => {
  it('finds the matching lines with their offsets and context, in log order', () => {
    const path = logWith('start\nfirst error\nmiddle\nsecond error\nend\n');
    const found = searchLog(path, /error/, { context: 1 });
    expect(found).toEqual({
      matches: [
        { offset: 6, line: 'first error', before: ['start'], after: ['middle'] },
        { offset: 25, line: 'second error', before: ['middle'], after: ['end'] },
      ],
      start: 0,
      end: 42,
      size: 42,
      stoppedBy: null,
    });
  });

  it('matches plain text: colours and escapes do not split a word, and carriage returns keep the last segment', () => {
    const path = logWith('\x1b[31mERR\x1b[0mOR: boom\r\n10%\r100% done\n');
    expect(searchLog(path, /ERROR: boom/).matches.map((match) => match.line)).toEqual(['ERROR: boom']);
    expect(searchLog(path, /%/).matches.map((match) => match.line)).toEqual(['100% done']);
  });

  it('stops at maxMatches and goes on from end, missing nothing and repeating nothing', () => {
    const path = logWith(numbered(1000));
    const offsets: number[] = [];
    let offset = 0;
    for (let round = 0; ; round++) {
      const found = searchLog(path, /error/, { offset, maxMatches: 7, context: 2 });
      offsets.push(...found.matches.map((match) => match.offset));
      expect(found.matches.every((match) => match.after.length === 2 || match.line === 'error 1000')).toBe(true);
      if (found.stoppedBy === null) break;
      expect(found.stoppedBy).toBe('matches');
      offset = found.end;
      expect(round).toBeLessThan(20);
    }
    expect(offsets).toHaveLength(100);
    expect(new Set(offsets).size).toBe(100);
  });

  it('reads at most maxBytes, ending after a whole line, and goes on from there', () => {
    const path = logWith(numbered(100));
    const first = searchLog(path, /error/, { offset: 0, maxBytes: 100 });
    expect(first.stoppedBy).toBe('bytes');
    expect(first.matches.map((match) => match.line)).toEqual(['error 10']);
    expect(numbered(100).slice(0, first.end).endsWith('\n')).toBe(true);
    const second = searchLog(path, /error/, { offset: first.end, maxBytes: 100 });
    expect(second.start).toBe(first.end);
  });

  it('searches the last maxBytes without an offset, from the first whole line in them', () => {
    const path = logWith(numbered(100));
    const found = searchLog(path, /./, { maxBytes: 20, maxMatches: 10 });
    expect(found.matches.map((match) => match.line)).toEqual(['line 99', 'error 100']);
    expect(found).toMatchObject({ end: found.size, stoppedBy: null });
  });

  it('keeps within a range: context and matches stop at its ends', () => {
    const text = 'a error\nb\nc error\nd\n';
    const path = logWith(text);
    const found = searchLog(path, /error/, { context: 5, range: { start: 8, end: 18 } });
    expect(found.matches).toEqual([{ offset: 10, line: 'c error', before: ['b'], after: [] }]);
    expect(found).toMatchObject({ start: 8, end: 18, size: 18 });
  });

  it("searches an unfinished last line, and a single line longer than maxBytes as far as it read", () => {
    expect(searchLog(logWith('done\nalmost err'), /err/).matches).toEqual([{ offset: 5, line: 'almost err', before: [], after: [] }]);
    const long = searchLog(logWith(`${'x'.repeat(300)}needle\n`), /x/, { offset: 0, maxBytes: 100 });
    expect(long).toMatchObject({ end: 100, stoppedBy: 'bytes' });
    expect(long.matches[0]!.line).toHaveLength(100);
  });

  it('reads at most MAX_SEARCH_BYTES of a 2 GiB log', () => {
    const path = logWith('');
    truncateSync(path, 2 ** 31);
    appendFileSync(path, '\nthe end\n');
    const started = Date.now();
    const found = searchLog(path, /end/);
    expect(found.matches.map((match) => match.line)).toEqual(['the end']);
    expect(found.end - found.start).toBeLessThanOrEqual(MAX_SEARCH_BYTES);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('takes a global pattern line by line', () => {
    expect(searchLog(logWith('err\nerr\n'), /err/g).matches).toHaveLength(2);
  });

  it('never fails on bytes that are not UTF-8', () => {
    expect(searchLog(logWith(Buffer.from([0x61, 0xff, 0x62, 0x0a])), /a.b/).matches[0]!.line).toBe('a\ufffdb');
  });
});
