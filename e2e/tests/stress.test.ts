// A bounded, randomized stress of the run model: rounds of concurrent ghost commands (run
// --reuse, start, restart, stop, stop --force, kill, wait, rm, cleanup), some of them SIGKILLed
// at a random moment, each round followed by a check of the invariants against /proc:
//   1. every live process of a task belongs to exactly one running run;
//   2. no run stays running once its process is gone (after a reconcile);
//   3. a run's recorded end is what happened to that run's process;
//   4. N concurrent `run --reuse` calls leave exactly one live process.
// The seed is printed; GHOST_STRESS_SEED=<seed> replays a failing sequence.
import { waitFor } from '@ghost/test-support';
import { describe, it } from 'vitest';
import {
  type RunJSON,
  type TaskJSON,
  ghost,
  ghostJSON,
  liveCommands,
  makeDataDir,
  spawnGhost,
  uniqueSleepArg,
} from '../src/harness.js';

const ROUNDS = 20;
const OPS_PER_ROUND = 8;
const SLOTS = 3;

/** mulberry32: small, fast, and the same sequence for the same seed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** What ghost's own signals and the commands themselves can end a run with; nothing else. */
const POSSIBLE_ENDS = new Set(['killed SIGTERM', 'killed SIGKILL', 'unknown launch_aborted']);
const endOf = (run: RunJSON) => `${run.status} ${run.signal ?? run.reason ?? run.exit_code}`;

describe('the run model under random concurrent commands and killed ghost processes', () => {
  it('keeps its four invariants', { timeout: 120_000 }, async ({ expect }) => {
    const seed = Number(process.env.GHOST_STRESS_SEED ?? Math.floor(Math.random() * 2 ** 31));
    console.log(`stress seed: ${seed} (replay with GHOST_STRESS_SEED=${seed})`);
    const next = random(seed);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
    const dataDir = makeDataDir();
    const args = Array.from({ length: SLOTS }, () => uniqueSleepArg());
    const runArgv = (arg: string) => ['run', '--reuse', '--', 'sleep', arg];
    const refOf = async (arg: string) =>
      (await ghostJSON<TaskJSON[]>(['list'], { dataDir })).find((task) => task.command[1] === arg)?.id;

    const operations: ((arg: string) => Promise<string[] | undefined>)[] = [
      async (arg) => runArgv(arg),
      async (arg) => ((await refOf(arg)) ? ['start', (await refOf(arg))!] : runArgv(arg)),
      async (arg) => ((await refOf(arg)) ? ['restart', '--timeout', '0.3', (await refOf(arg))!] : undefined),
      async (arg) => ((await refOf(arg)) ? ['stop', (await refOf(arg))!] : undefined),
      async (arg) => ((await refOf(arg)) ? ['stop', '--force', (await refOf(arg))!] : undefined),
      async (arg) => ((await refOf(arg)) ? ['kill', (await refOf(arg))!] : undefined),
      async (arg) => ((await refOf(arg)) ? ['wait', '--timeout', '0.2', (await refOf(arg))!] : undefined),
      async (arg) => ((await refOf(arg)) ? ['rm', (await refOf(arg))!] : undefined),
      async () => ['cleanup', '--all'],
    ];

    /** Invariants 1–3, once the round's ghost processes have returned and aborted launches wound down. */
    const check = async (round: number) => {
      await waitFor(
        async () => {
          const tasks = await ghostJSON<TaskJSON[]>(['list'], { dataDir });
          for (const arg of args) {
            const live = liveCommands('sleep', arg);
            const running = tasks.filter((task) => task.command[1] === arg && task.status === 'running');
            // (1) at most one live process per command, and it is the one running run's.
            if (live.length > 1) throw new Error(`round ${round}: ${live.length} live copies of sleep ${arg}`);
            if (running.length > 1) throw new Error(`round ${round}: ${running.length} tasks running sleep ${arg}`);
            if (live.length === 1 && running[0]?.pid !== live[0]) return false;
            // (2) a run whose process is gone is not running.
            if (live.length === 0 && running.length > 0) return false;
          }
          return true;
        },
        { timeout: 15_000, interval: 50, message: `round ${round}: tasks and processes to agree` },
      );
      // (3) every ended run ended as ghost's signals or an aborted launch end it.
      for (const task of await ghostJSON<TaskJSON[]>(['list'], { dataDir })) {
        const runs = await ghostJSON<RunJSON[]>(['runs', task.id], { dataDir });
        for (const run of runs.filter((r) => r.status !== 'running')) {
          expect(POSSIBLE_ENDS, `round ${round}: run ${run.run} of ${task.id}`).toContain(endOf(run));
        }
        expect(runs.filter((r) => r.status === 'running').length).toBeLessThanOrEqual(1);
      }
    };

    for (let round = 0; round < ROUNDS; round++) {
      const commands = (
        await Promise.all(Array.from({ length: OPS_PER_ROUND }, async () => (await pick(operations)(pick(args))) ?? null))
      ).filter((argv): argv is string[] => argv !== null);
      await Promise.allSettled(
        commands.map((argv) => {
          const child = spawnGhost(argv, { dataDir, timeout: 60_000 });
          // A third of them die at a random moment of their work.
          if (next() < 1 / 3) setTimeout(() => child.kill('SIGKILL'), 20 + next() * 250);
          return child;
        }),
      );
      await check(round);
    }

    // (4) concurrent idempotent starts of one ended (or removed) task: exactly one process.
    const arg = args[0]!;
    const current = await refOf(arg);
    if (current) await ghost(['stop', '--force', current], { dataDir });
    const results = await Promise.all(Array.from({ length: 10 }, () => ghost(runArgv(arg), { dataDir, timeout: 60_000 })));
    for (const result of results) expect(result, result.stderr).toMatchObject({ exitCode: 0 });
    expect(new Set(results.map((result) => result.stdout.split('\n')[0])).size).toBe(1);
    await check(ROUNDS);
    expect(liveCommands('sleep', arg)).toHaveLength(1);
  });
});
