import { describe, expect, it } from 'vitest';
import { mergeTaskChanges } from './task-changes.js';
import type { Task } from './types.js';

const task = (id: string, startedAt: number, status: Task['status'] = 'exited') => ({ id, startedAt: new Date(startedAt), status }) as Task;
const names = (tasks: readonly Task[]) => tasks.map((each) => `${each.id}:${each.status}`);

describe('mergeTaskChanges', () => {
  const held = [task('c', 30), task('b', 20), task('a', 10)];

  it('puts a changed task where its start time says (a restart moves it up), drops removed ones', () => {
    const merged = mergeTaskChanges(held, { cursor: 2, full: false, tasks: [task('a', 40, 'running'), task('d', 25, 'running')], removed: ['b'] });
    expect(names(merged)).toEqual(['a:running', 'c:exited', 'd:running']);
    expect(names(held)).toEqual(['c:exited', 'b:exited', 'a:exited']);
  });

  it('keeps the place of a task whose status changed, and replaces everything when full', () => {
    expect(names(mergeTaskChanges(held, { cursor: 2, full: false, tasks: [task('b', 20, 'killed')], removed: [] }))).toEqual(['c:exited', 'b:killed', 'a:exited']);
    expect(names(mergeTaskChanges(held, { cursor: 2, full: true, tasks: [task('z', 1)], removed: [] }))).toEqual(['z:exited']);
  });
});
