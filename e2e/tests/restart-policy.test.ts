// Restart policies from the command line: crash loops that give up at the limit, the
// `restarting` state between runs, and what stop, start and wait do with it.
import { waitFor } from '@ghost/test-support';
import { describe, it } from 'vitest';
import { type RunJSON, type TaskJSON, ghost, ghostJSON, ghostOk, isAlive, makeDataDir, waitUntilEnded } from '../src/harness.js';
import { expectTaskShape } from '../src/assertions.js';


describe('ghost run --restart', () => {
  const dataDir = makeDataDir();

  it.concurrent('restarts a failing command with backoff, each start a run, then gives up at the limit', async ({ expect }) => {
    await ghostOk(['run', '--name', 'crash', '--restart', 'on-failure', '--backoff', '0.1s..0.2s', '--max-restarts', '3', '--', 'sh', '-c', 'echo boom; exit 4'], { dataDir });
    const task = await waitUntilEnded(dataDir, 'crash');
    expectTaskShape(task);
    expect(task).toMatchObject({ status: 'exited', exit_code: 4, reason: 'restart_limit', restarts: 3, run: 4, restart_policy: 'on-failure' });
    const runs = await ghostJSON<RunJSON[]>(['runs', 'crash'], { dataDir });
    expect(runs.map((run) => [run.run, run.status, run.exit_code])).toEqual([4, 3, 2, 1].map((run) => [run, 'exited', 4]));
    expect((await ghostOk(['status', 'crash'], { dataDir })).stdout).toMatch(/^status\s+exited 4 · gave up after 3 restarts$/m);
    // Every run wrote to the one log.
    expect((await ghostOk(['log', 'crash'], { dataDir })).stdout).toBe('boom\n'.repeat(4));
  });

  it.concurrent('shows the wait between runs as restarting; wait keeps waiting, start refuses, stop ends it for good', async ({ expect }) => {
    const result = await ghostOk(['run', '--restart', 'always', '--backoff', '30s', '--', 'sh', '-c', 'exit 9'], { dataDir });
    const ref = result.stdout.trim();
    const waiting = await waitFor(
      async () => {
        const task = await ghostJSON<TaskJSON>(['status', ref], { dataDir });
        return task.status === 'restarting' ? task : undefined;
      },
      { message: 'the task to wait for its restart' },
    );
    expectTaskShape(waiting);
    expect(waiting).toMatchObject({ exit_code: 9, restarts: 0 });
    expect((await ghostOk(['status', ref], { dataDir })).stdout).toMatch(/^status\s+restarting in \d+s \(exited 9\)$/m);
    expect((await ghostOk(['list', '--status', 'restarting'], { dataDir })).stdout).toContain(ref.slice(0, 8));
    expect((await ghost(['wait', '--timeout', '0.2', ref], { dataDir })).exitCode).toBe(124);
    const start = await ghost(['start', ref], { dataDir });
    expect(start.exitCode).toBe(1);
    expect(start.stderr).toMatch(/waiting to restart/);
    const stop = await ghostOk(['stop', ref], { dataDir });
    expect(stop.stdout).toMatch(/^stopped \w+: exited 9\n$/);
    const stopped = await ghostJSON<TaskJSON>(['status', ref], { dataDir });
    expect(stopped).toMatchObject({ status: 'exited', restart_at: null, run: 1 });
    // Its supervisor is gone: nothing is left to start it again.
    expect(isAlive(stopped.pgid!)).toBe(false);
  });

  it.concurrent('stop --all also ends tasks waiting to restart', async ({ expect }) => {
    const dataDir = makeDataDir();
    const ref = (await ghostOk(['run', '--restart', 'always', '--backoff', '30s', '--', 'sh', '-c', 'exit 3'], { dataDir })).stdout.trim();
    await waitFor(async () => (await ghostJSON<TaskJSON>(['status', ref], { dataDir })).status === 'restarting', { message: 'the wait' });
    expect((await ghostOk(['stop', '--all'], { dataDir })).stdout).toMatch(/^stopped \w+: exited 3\n$/);
    const task = await ghostJSON<TaskJSON>(['status', ref], { dataDir });
    expect(task.status).toBe('exited');
    expect(isAlive(task.pgid!)).toBe(false);
  });

  it.concurrent('refuses bad values with one line and starts nothing', async ({ expect }) => {
    const dataDir = makeDataDir();
    for (const [args, message] of [
      [['--restart', 'sometimes'], 'ghost: unknown restart policy "sometimes" (no, on-failure or always)\n'],
      [['--restart', 'always', '--backoff', '5s..1s'], 'ghost: invalid backoff "5s..1s": the longest wait is shorter than the first\n'],
      [['--restart', 'always', '--min-uptime', 'soon'], /^ghost: invalid minimum uptime "soon"/],
      [['--restart', 'always', '--max-restarts', 'two'], /^ghost: invalid maximum number of restarts "two"/],
    ] as const) {
      const result = await ghost(['run', ...args, '--', 'true'], { dataDir });
      expect(result.exitCode, result.stderr).toBe(2);
      if (typeof message === 'string') expect(result.stderr).toBe(message);
      else expect(result.stderr).toMatch(message);
    }
    expect(await ghostJSON<TaskJSON[]>(['list'], { dataDir })).toEqual([]);
  });
});
