// `ghost kill`: one signal to the task's process group; SIGKILL by default.
import { waitFor } from '@ghost/test-support';
import { describe, expect, it } from 'vitest';
import { expectCleanFailure } from '../src/assertions.js';
import {
  descendants,
  ghost,
  ghostOk,
  isAlive,
  makeDataDir,
  startTask,
  taskStatus,
  waitUntilEnded,
} from '../src/harness.js';

describe('ghost kill', () => {
  const dataDir = makeDataDir();

  it.concurrent('sends SIGKILL by default and records the task as killed SIGKILL', async ({ expect }) => {
    const id = await startTask(dataDir, ['sh', '-c', 'trap "" TERM; sleep 300 & wait']);
    const task = await taskStatus(dataDir, id);
    const children = await waitFor(() => (descendants(task.pid!).length > 0 ? descendants(task.pid!) : undefined));
    const result = await ghost(['kill', id], { dataDir });
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toBe(`sent SIGKILL to ${id.slice(0, 8)}: killed SIGKILL\n`);
    // kill with SIGKILL waits for the group and records the outcome itself.
    expect(await taskStatus(dataDir, id)).toMatchObject({ status: 'killed', signal: 'SIGKILL', exit_code: null });
    for (const pid of [task.pid!, task.pgid!, ...children.map((c) => c.pid)]) expect(isAlive(pid)).toBe(false);
  });

  it.concurrent.for(['TERM', 'term', 'SIGTERM', 'sigterm', '15'])(
    'accepts -s %s as SIGTERM',
    async (signal, { expect }) => {
      const id = await startTask(dataDir, ['sleep', '300']);
      const result = await ghost(['kill', '-s', signal, id], { dataDir });
      expect(result.exitCode).toBe(0);
      expect(result.stdout).toMatch(new RegExp(`^sent SIGTERM to ${id.slice(0, 8)}`));
      const task = await waitUntilEnded(dataDir, id);
      expect(task).toMatchObject({ status: 'killed', signal: 'SIGTERM' });
    },
  );

  it.concurrent('accepts --signal with other signals; a handled signal leaves the task running', async ({ expect }) => {
    const id = await startTask(dataDir, ['sh', '-c', 'trap "echo got-hup" HUP; echo ready; while :; do sleep 0.05; done']);
    await waitFor(async () => (await ghostOk(['log', id], { dataDir })).stdout.includes('ready'));
    const result = await ghost(['kill', '--signal', 'HUP', id], { dataDir });
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toBe(`sent SIGHUP to ${id.slice(0, 8)}\n`);
    await waitFor(async () => (await ghostOk(['log', id], { dataDir })).stdout.includes('got-hup'), {
      message: 'the task to handle SIGHUP',
    });
    expect((await taskStatus(dataDir, id)).status).toBe('running');
    await ghostOk(['kill', id], { dataDir });
  });

  it.concurrent('rejects an unknown signal with exit 2 (bad usage) and one line, signalling nothing', async ({ expect }) => {
    // `ghost kill --help`: "2 bad usage (e.g. an unknown signal)".
    const id = await startTask(dataDir, ['sleep', '300']);
    for (const signal of ['NOPE', 'SIGNOPE', '0', '999', '']) {
      const result = await ghost(['kill', '-s', signal, id], { dataDir });
      expectCleanFailure(result, 2);
    }
    const task = await taskStatus(dataDir, id);
    expect(task.status).toBe('running');
    expect(isAlive(task.pid!)).toBe(true);
    await ghostOk(['kill', id], { dataDir });
  });

  it.concurrent('fails for a task that has ended, with one line', async ({ expect }) => {
    const id = await startTask(dataDir, ['sh', '-c', 'exit 5']);
    await waitUntilEnded(dataDir, id);
    const result = await ghost(['kill', id], { dataDir });
    expectCleanFailure(result, 1);
    expect(result.stderr).toContain('not running');
    expect(result.stderr).toContain('exited 5');
    const again = await ghost(['kill', '-s', 'TERM', id], { dataDir });
    expectCleanFailure(again, 1);
    expect(await taskStatus(dataDir, id)).toMatchObject({ status: 'exited', exit_code: 5 });
  });
});

// The unknown-signal case also holds without a running task to aim at.
it('rejects an unknown signal before looking up the task', async () => {
  const dataDir = makeDataDir();
  const result = await ghost(['kill', '-s', 'NOPE', 'whatever'], { dataDir });
  expect(result.exitCode).not.toBe(0);
  expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(result.stderr).toContain('NOPE');
});
