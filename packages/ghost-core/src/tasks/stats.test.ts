import { waitFor } from '@ghost/test-support';
import { afterEach, describe, expect, it } from 'vitest';
import { TRACKING_ENV, preferredMechanism } from '../process/tracking/tracking.js';
import { openGhost } from '../test-support/ghosts.js';
import { taskToJSON } from './types.js';

afterEach(() => {
  delete process.env[TRACKING_ENV];
});

// The command itself sleeps; only its child spins. Whatever CPU the task shows is the child's.
const BUSY_CHILD = ['sh', '-c', `sh -c 'while :; do :; done' & sleep 300`];

describe.runIf(process.platform === 'linux').each(['auto', 'marker'])('CPU and memory (%s tracking)', (mechanism) => {
  const setup = () => {
    if (mechanism === 'marker') process.env[TRACKING_ENV] = 'marker';
    return openGhost();
  };

  it('counts the whole tree: a busy child shows as CPU, and its memory too', async () => {
    const ghost = setup();
    const task = await ghost.run({ command: BUSY_CHILD });
    const first = await waitFor(() => {
      const [stats] = ghost.stats([task.id], { pss: true });
      return stats && stats.processes >= 2 && stats.cpuSeconds >= 0.2 && stats;
    }, { timeout: 20_000 });
    expect(first).toMatchObject({ id: task.id, run: 1, pid: task.pid });
    expect(first.cpuPercent).toBeGreaterThan(0);
    expect(first.cpuSince).toEqual(task.startedAt);
    expect(first.rssBytes).toBeGreaterThan(0);
    expect(first.memoryBytes).toBeGreaterThan(0);
    expect(first.pssBytes).toBeGreaterThan(0);
    expect(first.pssBytes!).toBeLessThanOrEqual(first.rssBytes);
    expect(first.threads).toBeGreaterThanOrEqual(first.processes);
    const counted = mechanism === 'auto' && preferredMechanism() === 'cgroup2' ? 'cgroup' : 'processes';
    expect(first.cpuSource).toBe(counted);

    // A live view passes what it saw: the % is then over the time since.
    const next = await waitFor(() => {
      const [stats] = ghost.stats([task.id], { previous: [first] });
      return stats && stats.cpuSeconds > first.cpuSeconds && stats;
    }, { timeout: 20_000 });
    expect(next.cpuSince).toEqual(first.sampledAt);
    expect(next.cpuPercent).toBeGreaterThan(0);
    expect(next.pssBytes).toBeNull();

    // Reading the task shows the same figures.
    const shown = ghost.status(task.id);
    expect(shown.cpuPercent).toBeGreaterThan(0);
    expect(shown.memoryBytes).toBeGreaterThan(0);
    const listed = ghost.list().find((each) => each.id === task.id)!;
    expect(listed.cpuPercent).toBeGreaterThan(0);
    const fromSql = (JSON.parse(ghost.listJSON()) as ReturnType<typeof taskToJSON>[]).find((each) => each.id === task.id)!;
    expect(Object.keys(fromSql)).toEqual(Object.keys(taskToJSON(listed)));
    expect(fromSql.cpu_percent).toBeGreaterThan(0);
    expect(fromSql.memory_bytes).toBeGreaterThan(0);
    expect(ghost.stats().map((stats) => stats.id)).toEqual([task.id]);
  });

  it('shows nothing for an ended task', async () => {
    const ghost = setup();
    const task = await ghost.run({ command: BUSY_CHILD });
    await ghost.stop(task.id, { force: true });
    expect(ghost.stats([task.id])).toEqual([]);
    expect(ghost.stats()).toEqual([]);
    expect(ghost.status(task.id)).toMatchObject({ cpuPercent: null, memoryBytes: null });
    expect(JSON.parse(ghost.listJSON())[0]).toMatchObject({ cpu_percent: null, memory_bytes: null });
  });
});
