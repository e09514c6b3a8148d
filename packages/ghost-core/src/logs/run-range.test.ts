import { describe, expect, it } from 'vitest';
import { anchoredOffset, logAnchor, runLogRange } from './run-range.js';

const task = { id: '3f2a9c1b-0000-4000-8000-000000000001', name: 'web' };
/** Newest first, as the store returns them: run 1 at 0, run 2 at 100, run 3 at 250. */
const runs = [
  { run: 3, logOffset: 250 },
  { run: 2, logOffset: 100 },
  { run: 1, logOffset: 0 },
];
/** The same runs after a rotation removed the log's first 180 bytes. */
const rotated = runs.map((entry) => ({ ...entry, logOffset: entry.logOffset - 180 }));

describe('runLogRange', () => {
  it("is a run's bytes: from its start to the next run's", () => {
    expect(runLogRange(task, runs, 2)).toEqual({ run: 2, start: 100, end: 250, rotatedBytes: 0 });
    expect(runLogRange(task, runs, 3)).toEqual({ run: 3, start: 250, end: null, rotatedBytes: 0 });
    expect(runLogRange(task, rotated, 2)).toEqual({ run: 2, start: 0, end: 70, rotatedBytes: 80 });
    expect(() => runLogRange(task, runs, 4)).toThrow(expect.objectContaining({ code: 'RUN_NOT_FOUND', message: 'task 3f2a9c1b has no run 4 (its runs are 1 to 3)' }));
    expect(() => runLogRange(task, rotated, 1)).toThrow(expect.objectContaining({ code: 'LOG_NOT_KEPT' }));
  });
});

describe('log anchors', () => {
  it('name a byte by its distance from the newest run, so rotation does not move it', () => {
    const anchor = logAnchor(runs, 300);
    expect(anchor).toEqual({ run: 3, delta: 50 });
    expect(anchoredOffset(task, runs, anchor)).toEqual({ offset: 300, rotatedBytes: 0 });
    // The byte moved down with the rotation.
    expect(anchoredOffset(task, rotated, anchor)).toEqual({ offset: 120, rotatedBytes: 0 });
    // A byte before the rotation's cut is gone: reading goes on from the oldest byte kept.
    expect(anchoredOffset(task, rotated, logAnchor(runs, 150))).toEqual({ offset: 0, rotatedBytes: 30 });
  });

  it('are plain offsets when no run recorded where it starts', () => {
    const unrecorded = [{ run: 1, logOffset: null }];
    expect(logAnchor(unrecorded, 42)).toEqual({ run: null, delta: 42 });
    expect(anchoredOffset(task, unrecorded, { run: null, delta: 42 })).toEqual({ offset: 42, rotatedBytes: 0 });
  });

  it('name a run the task has', () => {
    expect(() => anchoredOffset(task, runs, { run: 9, delta: 0 })).toThrow(expect.objectContaining({ code: 'RUN_NOT_FOUND' }));
  });
});
