import { waitFor } from '@ghost/test-support';
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { TRACKING_ENV } from '../process/tracking/tracking.js';
import { withoutSupervisor } from './leftovers.js';
import { openGhost, waitForEnd } from '../test-support/ghosts.js';

/** Live pids whose argv has `word` (a unique sleep argument: a test finds its own processes only). */
function pidsWithArg(word: string): number[] {
  const { readdirSync } = process.getBuiltinModule('node:fs');
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((entry) => {
      try {
        const state = readFileSync(`/proc/${entry}/stat`, 'latin1').split(') ')[1]!.charAt(0);
        return state !== 'Z' && readFileSync(`/proc/${entry}/cmdline`, 'latin1').split('\0').includes(word);
      } catch {
        return false;
      }
    })
    .map(Number);
}

const unique = () => `300.${process.pid}${Math.floor(Math.random() * 1e9)}`;
const started: number[] = [];

afterEach(() => {
  delete process.env[TRACKING_ENV];
  // Whatever a failed test left behind: only the daemons it started, by pid.
  for (const pid of started.splice(0)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
});

describe.runIf(process.platform === 'linux').each(['auto', 'marker'])('the whole tree (%s tracking)', (mechanism) => {
  const setup = () => {
    if (mechanism === 'marker') process.env[TRACKING_ENV] = 'marker';
    return openGhost();
  };

  it('stop ends a descendant that daemonized (setsid, its parent exited)', async () => {
    const ghost = setup();
    const arg = unique();
    const task = await ghost.run({ command: ['sh', '-c', `setsid sh -c "sleep ${arg} & exit 0" & sleep 300`] });
    const [daemon] = await waitFor(() => pidsWithArg(arg).length === 1 && pidsWithArg(arg));
    started.push(daemon!);
    const result = await ghost.stop(task.id);
    expect(result).toMatchObject({ wasRunning: true, leftovers: 0, task: { status: 'killed', signal: 'SIGTERM' } });
    expect(pidsWithArg(arg)).toEqual([]);
  });

  it('counts what outlived the command, and stop ends it', async () => {
    const ghost = setup();
    const arg = unique();
    const task = await ghost.run({ command: ['sh', '-c', `setsid sh -c "sleep ${arg} & exit 0"; exit 0`] });
    const [daemon] = await waitFor(() => pidsWithArg(arg).length === 1 && pidsWithArg(arg));
    started.push(daemon!);
    expect(await waitForEnd(ghost, task.id)).toMatchObject({ status: 'exited', exitCode: 0, leftoverProcesses: 1 });
    expect(ghost.list().find((each) => each.id === task.id)?.leftoverProcesses).toBe(1);
    expect(JSON.parse(ghost.listJSON())[0]).toMatchObject({ id: task.id, leftover_processes: 1 });
    expect(() => ghost.remove(task.id)).toThrow(/left 1 process running/);
    const result = await ghost.stop(task.id);
    expect(result).toMatchObject({ wasRunning: false, leftovers: 1, task: { status: 'exited', exitCode: 0 } });
    expect(pidsWithArg(arg)).toEqual([]);
    expect(ghost.status(task.id).leftoverProcesses).toBe(0);
    expect(JSON.parse(ghost.listJSON())[0]).toMatchObject({ leftover_processes: 0 });
  });
});

describe('withoutSupervisor', () => {
  const proc = (pid: number, ppid: number, start = `s${pid}`) => ({ pid, ppid, pgid: 100, state: 'S', start });
  const run = { id: 't', run: 1, pgid: 100, supervisorStart: 's100', tracking: '{}' };

  it('leaves out the supervisor and what it runs itself, and keeps what the command left behind', () => {
    // 100 the supervisor; 101 its backoff sleep; 102 its watch loop, 103 a probe of it; 200 a daemon the command left (reparented to 1).
    const processes = [proc(100, 1), proc(101, 100), proc(102, 100), proc(103, 102), proc(200, 1)];
    expect(withoutSupervisor(processes, run).map((info) => info.pid)).toEqual([200]);
  });

  it('counts everything once the supervisor is gone, or when pid 100 is another process', () => {
    expect(withoutSupervisor([proc(101, 100), proc(200, 1)], run).map((info) => info.pid)).toEqual([101, 200]);
    expect(withoutSupervisor([proc(100, 1, 'other'), proc(101, 100)], run).map((info) => info.pid)).toEqual([100, 101]);
  });
});
