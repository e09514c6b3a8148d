import { LogLines, type Run } from '@ghost/core';
import { describe, expect, it } from 'vitest';
import { runBoundaries } from './run-boundaries.js';

function run(number: number, logOffset: number | null, ended = true): Run {
  return {
    run: number,
    pid: 100 + number,
    pgid: 100 + number,
    status: ended ? 'exited' : 'running',
    exitCode: ended ? 0 : null,
    signal: null,
    reason: null,
    startedAt: new Date(2024, 4, 1, 14, 0, number),
    finishedAt: ended ? new Date(2024, 4, 1, 14, 1, number) : null,
    logOffset,
  };
}

/** A buffer of `text` read from `origin` on, keeping at most `max` lines. */
function buffer(text: string, origin = 0, max = 100): LogLines {
  const lines = new LogLines(max);
  lines.clear(origin);
  lines.push(Buffer.from(text));
  return lines;
}

describe('runBoundaries', () => {
  it('puts each run start before the line that holds its first byte, and the last end after the last line', () => {
    // Run 1: "a\nb\n" (0-4), run 2: "c" and, unfinished, its output is continued by run 3's "d\n" (5-7).
    const lines = buffer('a\nb\ncd\ne\n');
    const runs = [run(3, 5), run(2, 4), run(1, 0)];
    const { boundaries, starts } = runBoundaries(runs, lines);
    expect(boundaries.map((b) => [b.line, b.ended?.run, b.started?.run])).toEqual([
      [0, undefined, 1],
      [2, 1, 2],
      [2, 2, 3],
      [4, 3, undefined],
    ]);
    expect(starts.map((start) => ('line' in start ? start.line : start.missing))).toEqual([0, 2, 2]);
  });

  it('has no end after the last line while the last run runs, and puts a start with no output yet at the end', () => {
    const lines = buffer('a\n');
    const { boundaries } = runBoundaries([run(1, 0), run(2, 2, false)], lines);
    expect(boundaries.map((b) => [b.line, b.ended?.run, b.started?.run])).toEqual([
      [0, undefined, 1],
      [1, 1, 2],
    ]);
  });

  it('says why a start is not in the buffer: dropped, never loaded, rotated away, not recorded', () => {
    // Read from offset 10 on; the first two lines read ("x\n", "y\n") were dropped since.
    const lines = buffer('x\ny\nz\n', 10, 1);
    const { starts } = runBoundaries([run(1, null), run(2, -5), run(3, 4), run(4, 11), run(5, 14)], lines);
    expect(starts.map((start) => ('line' in start ? start.line : start.missing))).toEqual(['unrecorded', 'rotated', 'not loaded', 'dropped', 0]);
  });
});
