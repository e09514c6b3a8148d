// Restart policies: the supervisor starts the command again, each start a run of its own; a
// stop or kill never leads to a restart; a lost supervisor is reported as such.
import { waitFor } from '@ghost/test-support';
import { describe, expect, it } from 'vitest';
import type { Ghost } from './ghost.js';
import { processInfo } from './process/process-table.js';
import { CLOCK_STEP_MS } from './supervisor/journal.js';
import type { RestartOptions } from './tasks/policy.js';
import type { Task } from './tasks/types.js';
import { openGhost, waitForEnd } from './test-support/ghosts.js';

const fast = (options: RestartOptions): RestartOptions => ({ backoffMinMs: 50, backoffMaxMs: 50, minUptimeMs: 60_000, ...options });

const supervisorGone = (task: Task) => processInfo(task.pgid!) === null;

/**
 * Starts `exit 7` with a 30 s backoff and waits until it waits it out, as the supervisor says:
 * between the exit and the supervisor's line saying when it restarts, the task is already
 * restarting, due at its exit (about to say so), so this waits for the supervisor's own time.
 */
async function waitingOutBackoff(ghost: Ghost): Promise<Task> {
  const task = await ghost.run({ command: ['exit 7'], shell: true, restart: fast({ policy: 'always', backoffMinMs: 30_000, backoffMaxMs: 30_000 }) });
  return waitFor(() => {
    const current = ghost.status(task.id);
    return current.status === 'restarting' && current.restartAt!.getTime() > Date.now() + 20_000 && current;
  });
}

describe('restart policies', () => {
  it('restarts a crash loop with a growing, capped backoff, then gives up at the limit', async () => {
    const ghost = openGhost();
    const task = await ghost.run({
      command: ['exit 3'],
      shell: true,
      restart: { policy: 'on-failure', maxRestarts: 4, backoffMinMs: 100, backoffMaxMs: 200, minUptimeMs: 10_000 },
    });
    const ended = await waitForEnd(ghost, task.id, 15_000);
    expect(ended).toMatchObject({ status: 'exited', exitCode: 3, reason: 'restart_limit', restarts: 4, run: 5, restartPolicy: 'on-failure' });
    const runs = ghost.runs(task.id).reverse();
    expect(runs.map((run) => [run.status, run.exitCode])).toEqual(Array(5).fill(['exited', 3]));
    // The wait before restart n: 100, 200, then capped at 200 (uncapped it would reach 800).
    const gaps = runs.slice(1).map((run, index) => run.startedAt.getTime() - runs[index]!.finishedAt!.getTime());
    [100, 200, 200, 200].forEach((delay, index) => expect(gaps[index]).toBeGreaterThanOrEqual(delay - CLOCK_STEP_MS));
    expect(gaps[3]).toBeLessThan(800);
    expect(supervisorGone(ended)).toBe(true);
  });

  it('on-failure leaves a clean exit alone; always starts it again', async () => {
    const ghost = openGhost();
    const once = await ghost.run({ command: ['exit 0'], shell: true, restart: fast({ policy: 'on-failure' }) });
    expect(await waitForEnd(ghost, once.id, 15_000)).toMatchObject({ status: 'exited', exitCode: 0, restarts: 0, reason: null });
    const again = await ghost.run({ command: ['exit 0'], shell: true, restart: fast({ policy: 'always', maxRestarts: 2 }) });
    expect(await waitForEnd(ghost, again.id, 15_000)).toMatchObject({ status: 'exited', exitCode: 0, restarts: 2, reason: 'restart_limit' });
  });

  it('resets the count and the backoff once a run stayed up for the minimum uptime', async () => {
    const ghost = openGhost();
    const task = await ghost.run({
      command: ['sleep 0.2; exit 1'],
      shell: true,
      restart: { policy: 'always', maxRestarts: 1, backoffMinMs: 10, backoffMaxMs: 10, minUptimeMs: 100 },
    });
    // With a limit of one quick restart, only runs that count as stable get it past run 3.
    await waitFor(() => ghost.status(task.id).run >= 4, { timeout: 15_000 });
    expect(ghost.status(task.id).reason).toBeNull();
    await ghost.stop(task.id);
  });

  it('shows a task waiting out its backoff as restarting, with when; a stop then ends it and nothing restarts', async () => {
    const ghost = openGhost();
    const task = await waitingOutBackoff(ghost);
    expect(task).toMatchObject({ exitCode: 7, run: 1, restarts: 0 });
    expect(ghost.list({ status: 'restarting' }).map((t) => t.id)).toEqual([task.id]);
    const result = await ghost.stop(task.id);
    expect(result).toMatchObject({ wasRunning: true, task: { status: 'exited', exitCode: 7, restartAt: null, run: 1 } });
    // Nothing can restart it: its supervisor is gone.
    expect(supervisorGone(result.task)).toBe(true);
    expect(ghost.runs(task.id)).toHaveLength(1);
  });

  it('leaves a task waiting out its backoff as it is while it is read: its time is stored once', async () => {
    const ghost = openGhost();
    const task = await waitingOutBackoff(ghost);
    const due = task.restartAt!.getTime();
    // The supervisor's times are on the uptime clock, which /proc/uptime gives in 10 ms steps:
    // each read converts them a few ms differently, and none of that is a change.
    const { cursor } = ghost.listChanges();
    for (let read = 0; read < 30; read++) {
      expect(Math.abs(ghost.status(task.id).restartAt!.getTime() - due)).toBeLessThanOrEqual(CLOCK_STEP_MS);
      await new Promise((resolve) => setTimeout(resolve, 3));
    }
    expect(ghost.listChanges(cursor)).toMatchObject({ tasks: [], removed: [] });
    await ghost.stop(task.id);
  });

  it('never restarts a task that a stop races with its restarts', async () => {
    const ghost = openGhost();
    for (let trial = 0; trial < 5; trial++) {
      const task = await ghost.run({ command: ['sleep 0.02; exit 1'], shell: true, restart: fast({ policy: 'always', backoffMinMs: 5, backoffMaxMs: 5, maxRestarts: 1000 }) });
      await waitFor(() => ghost.status(task.id).run > 1 + trial);
      const { task: stopped } = await ghost.stop(task.id);
      expect(['exited', 'killed']).toContain(stopped.status);
      expect(supervisorGone(stopped)).toBe(true);
      const runs = ghost.runs(task.id);
      expect(runs.filter((run) => run.status === 'running')).toEqual([]);
      expect(ghost.status(task.id).run).toBe(runs.length);
    }
  });

  it('does not restart a command that a user\'s kill ended', async () => {
    const ghost = openGhost();
    const task = await ghost.run({ command: ['sleep', '30'], restart: fast({ policy: 'always' }) });
    await ghost.kill(task.id, 'TERM');
    expect(await waitForEnd(ghost, task.id, 15_000)).toMatchObject({ status: 'killed', signal: 'SIGTERM', restarts: 0 });
  });

  it('reports a supervisor killed during a backoff honestly: the last run, and no restart coming', async () => {
    const ghost = openGhost();
    const task = await ghost.run({ command: ['exit 5'], shell: true, restart: fast({ policy: 'always', backoffMinMs: 30_000, backoffMaxMs: 30_000 }) });
    await waitFor(() => ghost.status(task.id).status === 'restarting');
    process.kill(task.pgid!, 'SIGKILL');
    expect(await waitForEnd(ghost, task.id, 15_000)).toMatchObject({ status: 'exited', exitCode: 5, reason: 'supervisor_lost', restartAt: null });
    // Only the backoff's sleep was left in the group: no run of the command.
    process.kill(-task.pgid!, 'SIGKILL');
  });

  it('keeps the policy through restart and start', async () => {
    const ghost = openGhost();
    const task = await ghost.run({ command: ['exit 2'], shell: true, restart: fast({ policy: 'on-failure', maxRestarts: 1 }) });
    expect(await waitForEnd(ghost, task.id, 15_000)).toMatchObject({ restarts: 1, run: 2 });
    await ghost.start(task.id);
    expect(await waitForEnd(ghost, task.id, 15_000)).toMatchObject({ restarts: 2, run: 4, restartPolicy: 'on-failure', reason: 'restart_limit' });
    await ghost.restart(task.id);
    expect(await waitForEnd(ghost, task.id, 15_000)).toMatchObject({ restarts: 3, run: 6 });
  });

  it('waits out the backoff even when the task\'s PATH has no sleep(1)', async () => {
    const ghost = openGhost();
    const task = await ghost.run({
      command: ['/bin/sh', '-c', 'exit 1'],
      env: { PATH: '/nonexistent' },
      restart: { policy: 'always', maxRestarts: 1, backoffMinMs: 200, backoffMaxMs: 200, minUptimeMs: 60_000 },
    });
    const ended = await waitForEnd(ghost, task.id, 15_000);
    expect(ended).toMatchObject({ restarts: 1, reason: 'restart_limit' });
    const [second, first] = ghost.runs(task.id);
    expect(second!.startedAt.getTime() - first!.finishedAt!.getTime()).toBeGreaterThanOrEqual(200 - CLOCK_STEP_MS);
  });

  it('refuses bad restart options with one clear message', async () => {
    const ghost = openGhost();
    await expect(ghost.run({ command: ['true'], restart: { policy: 'sometimes' as never } })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(ghost.run({ command: ['true'], restart: { backoffMinMs: 5_000, backoffMaxMs: 1_000 } })).rejects.toThrow(/shorter than the first/);
    expect(ghost.list()).toEqual([]);
  });
});
