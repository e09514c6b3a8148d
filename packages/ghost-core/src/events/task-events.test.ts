import { describe, expect, it } from 'vitest';
import type { Task } from '../tasks/types.js';
import { TaskEventDiff } from './task-events.js';

const task = (id: string, fields: Partial<Task> = {}): Task => ({
  id,
  name: null,
  project: null,
  service: null,
  description: null,
  run: 1,
  pid: 1,
  pgid: 1,
  command: ['x'],
  cwd: '/',
  status: 'running',
  exitCode: null,
  signal: null,
  reason: null,
  restartPolicy: 'no',
  restarts: 0,
  restartAt: null,
  health: null,
  healthAt: null,
  leftoverProcesses: 0,
  cpuPercent: null,
  memoryBytes: null,
  startedAt: new Date(1000),
  finishedAt: null,
  logPath: '/l',
  ...fields,
});

describe('TaskEventDiff', () => {
  it('reports starts, ends, new runs and removals between snapshots', () => {
    const diff = new TaskEventDiff();
    expect(diff.next([task('a')])).toEqual([]);
    const types = (tasks: Task[]) => diff.next(tasks).map((event) => `${event.type} ${event.task.id}`);
    expect(types([task('b'), task('a')])).toEqual(['started b']);
    expect(types([task('b', { status: 'killed', signal: 'SIGTERM' }), task('a')])).toEqual(['killed b']);
    // A quick task that started and ended between two looks.
    expect(types([task('c', { status: 'exited', exitCode: 0 }), task('b', { status: 'killed' }), task('a')])).toEqual([
      'started c',
      'exited c',
    ]);
    // A restart is a new run: a later start time.
    expect(types([task('c', { status: 'exited' }), task('b', { startedAt: new Date(5000) }), task('a')])).toEqual(['started b']);
    expect(types([task('b', { startedAt: new Date(5000) }), task('a')])).toEqual(['removed c']);
  });

  it('reports a running task whose health check starts passing or failing', () => {
    const diff = new TaskEventDiff();
    diff.next([task('a', { health: 'starting' })]);
    expect(diff.next([task('a', { health: 'starting' })])).toEqual([]);
    expect(diff.next([task('a', { health: 'healthy' })]).map((event) => event.type)).toEqual(['healthy']);
    expect(diff.next([task('a', { health: 'healthy' })])).toEqual([]);
    expect(diff.next([task('a', { health: 'unhealthy' })]).map((event) => event.type)).toEqual(['unhealthy']);
  });
});
