import type { LogReader, Task } from '@ghost/core';
import type { GhostApi } from '../ghost-api.js';

/**
 * An in-memory stand-in for core, for view tests that need many tasks or a failure on demand
 * (real processes are used where behaviour matters: see app.test.ts). Each method can be
 * replaced per test.
 */
export function fakeGhost(tasks: Task[] = []): GhostApi & { tasks: Task[]; changed(): void; calls: string[] } {
  const listeners = new Set<() => void>();
  const calls: string[] = [];
  const find = (ref: string) => {
    const task = fake.tasks.find((candidate) => candidate.id.startsWith(ref));
    if (!task) throw new Error(`no task ${ref}`);
    return task;
  };
  const fake = {
    tasks,
    calls,
    changed: () => listeners.forEach((listener) => listener()),
    // Everything, every time: the fake has no change sequence (the real one is tested in core).
    listChanges: () => ({ cursor: 0, full: true, tasks: fake.tasks, removed: [] }),
    stats: () => [],
    taskEnv: () => ({ HOME: '/home/me', API_TOKEN: 'hunter2' }),
    ports: async () => [],
    watch(onChange: () => void) {
      listeners.add(onChange);
      return { close: () => listeners.delete(onChange) };
    },
    async stop(ref: string) {
      calls.push(`stop ${ref}`);
      return { task: { ...find(ref), status: 'exited' as const, exitCode: 0 }, wasRunning: true, killed: false };
    },
    async kill(ref: string) {
      calls.push(`kill ${ref}`);
      return { ...find(ref), status: 'killed' as const, signal: 'SIGKILL' };
    },
    async restart(ref: string): Promise<Task> {
      calls.push(`restart ${ref}`);
      return { ...find(ref), run: find(ref).run + 1 };
    },
    async start(ref: string): Promise<Task> {
      calls.push(`start ${ref}`);
      return { ...find(ref), status: 'running' as const, run: find(ref).run + 1 };
    },
    runs: () => [],
    async rerun(ref: string): Promise<Task> {
      calls.push(`rerun ${ref}`);
      return find(ref);
    },
    remove(ref: string) {
      calls.push(`remove ${ref}`);
      const task = find(ref);
      fake.tasks = fake.tasks.filter((candidate) => candidate !== task);
      return task;
    },
    openLog(): LogReader {
      throw new Error('no logs here');
    },
  };
  return fake as unknown as GhostApi & { tasks: Task[]; changed(): void; calls: string[] };
}
