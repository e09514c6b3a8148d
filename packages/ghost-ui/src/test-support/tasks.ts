import type { Task } from '@ghost/core';

let counter = 0;

/** A task record as core returns it, for tests of pure presentation (no process behind it). */
export function fakeTask(overrides: Partial<Task> = {}): Task {
  counter++;
  const hex = counter.toString(16).padStart(8, '0');
  return {
    id: `${hex}-0000-4000-8000-000000000000`,
    name: null,
    project: null,
    service: null,
    description: null,
    run: 1,
    pid: 4000 + counter,
    pgid: 3999 + counter,
    command: ['sleep', '60'],
    cwd: '/srv/app',
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
    startedAt: new Date(Date.now() - 65_000),
    finishedAt: null,
    logPath: `/tmp/${hex}.log`,
    ...overrides,
  };
}

/** `count` tasks, newest first, with a mix of statuses and names. */
export function manyTasks(count: number, now = Date.now()): Task[] {
  return Array.from({ length: count }, (_, i) => {
    const status = (['running', 'exited', 'killed', 'exited', 'unknown'] as const)[i % 5];
    return fakeTask({
      name: i % 3 === 0 ? `worker-${i}` : null,
      command: ['node', `job-${i}.js`, '--batch', String(i)],
      status,
      exitCode: status === 'exited' ? i % 2 : null,
      signal: status === 'killed' ? 'SIGTERM' : null,
      startedAt: new Date(now - (i + 1) * 1_000),
      finishedAt: status === 'running' ? null : new Date(now - i * 1_000),
    });
  });
}
