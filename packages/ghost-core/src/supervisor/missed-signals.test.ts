import { waitFor } from '@ghost/test-support';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type ProcessInfo, isSameProcess } from '../process/process-table.js';
import { groupAlive, taskProcesses } from '../process/process-tree.js';
import { openGhost, waitForEnd } from '../test-support/ghosts.js';

/**
 * A signal sent to a task's process group can miss one of its members: a child the supervisor
 * (or its watch loop) has forked and not yet exec'd has the shell's handler, and the exec drops
 * the signal. These tests send a signal to every member but one of the supervisor's own sleeps,
 * which is how such a sleep sees a stop, and check that it goes with the run all the same.
 */

/** A process of the group running one of the supervisor's sleeps (`sleep 4.000`) for `seconds` it accepts. */
function sleepOf(pgid: number, seconds: (arg: number) => boolean): ProcessInfo | undefined {
  return taskProcesses(pgid, []).find((info) => {
    try {
      const [name, arg] = readFileSync(`/proc/${info.pid}/cmdline`, 'utf8').split('\0');
      return name === 'sleep' && /^\d+\.\d{3}$/.test(arg ?? '') && seconds(Number(arg));
    } catch {
      return false; // gone meanwhile
    }
  });
}

/** `signal` to each process of the group but `spared`, one by one. */
function signalAllBut(pgid: number, spared: ProcessInfo, signal: NodeJS.Signals): void {
  for (const info of taskProcesses(pgid, [])) {
    if (info.pid === spared.pid) continue;
    try {
      process.kill(info.pid, signal);
    } catch {
      // gone meanwhile
    }
  }
}

describe('a supervisor sleep that misses a signal', () => {
  // SIGTERM, and SIGHUP as a service's own stop signal: any signal the loop traps.
  it.each(['SIGTERM', 'SIGHUP'] as const)("%s: in the watch loop goes with the run, instead of keeping the stopped task's group alive", async (signal) => {
    const ghost = openGhost();
    const task = await ghost.run({ command: ['sleep', '300'] });
    // The loop sleeps 1 s, then twice as long each time the log has not grown: 4 s from about 3 s on.
    const missed = await waitFor(() => sleepOf(task.pgid!, (seconds) => seconds >= 4), { timeout: 15_000 });
    signalAllBut(task.pgid!, missed, signal);
    // Without the fix, the loop went on to its next sleep and this one stayed for its whole 4 s.
    await waitFor(() => !isSameProcess(missed.pid, missed.start) && !groupAlive(task.pgid!), {
      timeout: 3_000,
      message: 'the missed sleep and the whole group to be gone before the sleep would end by itself',
    });
    expect(await waitForEnd(ghost, task.id)).toMatchObject({ status: 'killed', signal });
  }, 30_000);

  it('in the backoff before a restart ends with the wait, which the signal cut short', async () => {
    const ghost = openGhost();
    const restart = { policy: 'always', maxRestarts: 5, backoffMinMs: 30_000, backoffMaxMs: 30_000, minUptimeMs: 10_000 } as const;
    const task = await ghost.run({ command: ['sleep 0.2; exit 7'], shell: true, restart });
    const missed = await waitFor(() => sleepOf(task.pgid!, (seconds) => seconds === 30));
    // Only the supervisor gets it. Nothing asked it to stop, so its next attempt starts now,
    // not when the 30 s sleep would have ended (a stop's own line in the journal ends it instead).
    signalAllBut(task.pgid!, missed, 'SIGTERM');
    await waitFor(() => ghost.status(task.id).run === 2, { timeout: 3_000, message: 'the second run to start before the backoff would end' });
    expect(isSameProcess(missed.pid, missed.start)).toBe(false);
    expect((await ghost.stop(task.id)).task).toMatchObject({ run: 2, restartAt: null });
  }, 30_000);
});
