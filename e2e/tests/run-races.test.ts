// Runs as the unit of truth, seen from outside: concurrent and killed starts, restarts, reuses
// and stops of one task never leave a live process that no run tracks, never end a run they
// did not observe, and record what really happened to each run.
import { waitFor } from '@ghost/test-support';
import { readFileSync } from 'node:fs';
import { describe, it } from 'vitest';
import {
  type RunJSON,
  type TaskJSON,
  ghost,
  ghostJSON,
  ghostOk,
  isAlive,
  liveCommands,
  makeDataDir,
  spawnGhost,
  startTask,
  taskStatus,
  uniqueSleepArg,
} from '../src/harness.js';

/**
 * The invariant, once every ghost process has returned and aborted launches have wound down:
 * the task is running exactly when one live process runs its command, and it is that process.
 */
async function settledTruth(dataDir: string, ref: string, arg: string): Promise<TaskJSON> {
  return waitFor(
    async () => {
      const live = liveCommands('sleep', arg);
      if (live.length > 1) throw new Error(`${live.length} live copies: ${live.join(', ')}`);
      const task = await taskStatus(dataDir, ref);
      if (task.status === 'running') return live.length === 1 && live[0] === task.pid ? task : undefined;
      return live.length === 0 ? task : undefined;
    },
    { timeout: 15_000, interval: 50, message: `task ${ref} and its processes to agree` },
  );
}

describe('concurrent starts of one ended task', () => {
  it('six concurrent starts leave one running run, tracked; the others say it is running', async ({ expect }) => {
    const dataDir = makeDataDir();
    const arg = uniqueSleepArg();
    await startTask(dataDir, ['sleep', arg], { name: 'long' });
    await ghostOk(['stop', '--force', 'long'], { dataDir });
    const results = await Promise.all(Array.from({ length: 6 }, () => ghost(['start', 'long'], { dataDir })));
    expect(results.filter((result) => result.exitCode === 0)).toHaveLength(1);
    for (const result of results.filter((r) => r.exitCode !== 0)) expect(result.stderr).toMatch(/running/);
    const task = await settledTruth(dataDir, 'long', arg);
    expect(task).toMatchObject({ status: 'running', run: 2 });
    // A wait does not return a made-up end, and stop stops the live process.
    expect((await ghost(['wait', '--timeout', '0.3', 'long'], { dataDir })).exitCode).toBe(124);
    expect((await ghostOk(['stop', 'long'], { dataDir })).stdout).toMatch(/^stopped/);
    expect(liveCommands('sleep', arg)).toEqual([]);
  });

  it('three concurrent restarts of a running task leave one live process, tracked by one run', async ({ expect }) => {
    const dataDir = makeDataDir();
    const arg = uniqueSleepArg();
    await startTask(dataDir, ['sleep', arg], { name: 'web' });
    const results = await Promise.all(Array.from({ length: 3 }, () => ghost(['restart', 'web'], { dataDir })));
    for (const result of results) expect(result, result.stderr).toMatchObject({ exitCode: 0 });
    const task = await settledTruth(dataDir, 'web', arg);
    expect(task.status).toBe('running');
    const runs = await ghostJSON<RunJSON[]>(['runs', 'web'], { dataDir });
    expect(runs.filter((run) => run.status === 'running')).toEqual([{ ...runs[0], run: task.run, status: 'running' }]);
  });

  it('twenty concurrent run --reuse of an ended task leave exactly one live process', { timeout: 60_000 }, async ({ expect }) => {
    const dataDir = makeDataDir();
    const arg = uniqueSleepArg();
    const id = await startTask(dataDir, ['sleep', arg]);
    await ghostOk(['stop', '--force', id], { dataDir });
    const results = await Promise.all(
      Array.from({ length: 20 }, () => ghost(['run', '--reuse', '--', 'sleep', arg], { dataDir, timeout: 50_000 })),
    );
    for (const result of results) expect(result, result.stderr).toMatchObject({ exitCode: 0 });
    // Every caller got the same task, and one process runs it.
    expect(new Set(results.map((result) => result.stdout.split('\n')[0]))).toEqual(new Set([id]));
    expect((await settledTruth(dataDir, id, arg)).status).toBe('running');
  });
});

describe('ghost processes killed mid-start', () => {
  it('a start SIGKILLed at any moment never ends a run it did not record, and leaves no untracked process', { timeout: 90_000 }, async ({ expect }) => {
    const dataDir = makeDataDir();
    const arg = uniqueSleepArg();
    await startTask(dataDir, ['sleep', arg], { name: 'victim' });
    // Kills spread over the whole of a start, from before its launch to after its record.
    const began = Date.now();
    await ghostOk(['stop', '--force', 'victim'], { dataDir });
    await ghostOk(['start', 'victim'], { dataDir });
    const startMs = (Date.now() - began) / 2;
    const trials = 16;
    for (let trial = 0; trial < trials; trial++) {
      await ghostOk(['stop', '--force', 'victim'], { dataDir });
      // A start that is killed somewhere between its launch and its return, racing a start
      // that is not: the one that gets the run recorded decides what runs.
      const doomed = spawnGhost(['start', 'victim'], { dataDir });
      setTimeout(() => doomed.kill('SIGKILL'), startMs * (0.5 + trial / trials));
      const other = trial % 2 === 0 ? ghost(['start', 'victim'], { dataDir }) : undefined;
      await Promise.allSettled([doomed, other]);
      const task = await settledTruth(dataDir, 'victim', arg);
      if (task.status === 'running') continue;
      // Ended: either no start got recorded (the run our stop killed is current), or the
      // recorded start's launcher died before the go-ahead, so its command never ran.
      const outcome = `${task.status} ${task.signal ?? task.reason ?? task.exit_code}`;
      expect(['killed SIGKILL', 'unknown launch_aborted']).toContain(outcome);
    }
  });
});

describe('stop racing restart and wait', () => {
  it('a stop and a restart at once never mark the new run ended while it runs', { timeout: 60_000 }, async ({ expect }) => {
    const dataDir = makeDataDir();
    const arg = uniqueSleepArg();
    await startTask(dataDir, ['sleep', arg], { name: 'racer' });
    for (let trial = 0; trial < 6; trial++) {
      if ((await taskStatus(dataDir, 'racer')).status !== 'running') await ghostOk(['start', 'racer'], { dataDir });
      await Promise.all([ghost(['stop', 'racer'], { dataDir }), ghost(['restart', 'racer'], { dataDir })]);
      const task = await settledTruth(dataDir, 'racer', arg);
      // Every run but the current one has ended, and each ended one ended by our signal.
      const runs = await ghostJSON<RunJSON[]>(['runs', 'racer'], { dataDir });
      for (const run of runs.filter((r) => r.run !== task.run)) expect(run).toMatchObject({ status: 'killed', signal: 'SIGTERM' });
    }
  });

  it('a stop that escalates to SIGKILL while another process waits is recorded as killed SIGKILL', { timeout: 60_000 }, async ({ expect }) => {
    const dataDir = makeDataDir();
    for (let trial = 0; trial < 4; trial++) {
      const id = await startTask(dataDir, ['sh', '-c', 'trap "" TERM; echo ready; while :; do sleep 0.05; done']);
      const task = await taskStatus(dataDir, id);
      await waitFor(() => readFileSync(task.log_path, 'utf8').includes('ready'), { message: 'the trap' });
      const waiter = ghost(['wait', id], { dataDir });
      await ghostOk(['stop', '--timeout', '0.2', id], { dataDir });
      expect((await waiter).exitCode).toBe(137);
      expect(await taskStatus(dataDir, id)).toMatchObject({ status: 'killed', signal: 'SIGKILL' });
      expect(isAlive(task.pid!)).toBe(false);
    }
  });
});
