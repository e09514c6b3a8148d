import { tempDir, waitFor } from '@ghost/test-support';
import { existsSync, readFileSync, readdirSync, readlinkSync, rmSync, statSync } from 'node:fs';
import { constants } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TaskStore } from './db/task-store.js';
import { GhostError } from './errors.js';
import { listProcesses, processInfo } from './process/process-table.js';
import { runTask } from './tasks/run.js';
import { rawDatabase, testContext } from './test-support/store.js';
import { openGhost, waitForEnd } from './test-support/ghosts.js';

const taskProcessesOf = (pgid: number) => listProcesses().filter((info) => info.pgid === pgid);

/** True once process `pid` has installed a handler for `signal` (its trap is in place). */
function catches(pid: number, signal: 'SIGTERM'): boolean {
  const mask = /^SigCgt:\s*([0-9a-f]+)$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return mask !== undefined && ((BigInt(`0x${mask}`) >> BigInt(constants.signals[signal] - 1)) & 1n) === 1n;
}

describe('Ghost.run', () => {
  it('runs the command detached: own session, stdin from /dev/null, output to a private log', async () => {
    const ghost = openGhost();
    const task = await ghost.run({ command: ['sleep', '30'], name: 'nap' });
    // run() returns as the command is exec'd; the shell that execs it may still be finishing
    // its last redirection.
    await waitFor(() => readlinkSync(`/proc/${task.pid}/exe`).endsWith('/sleep'));
    const stat = readFileSync(`/proc/${task.pid}/stat`, 'utf8');
    const [, , pgrp, session] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    expect(Number(pgrp)).toBe(task.pgid);
    expect(Number(session)).toBe(task.pgid);
    expect(readlinkSync(`/proc/${task.pid}/fd/0`)).toBe('/dev/null');
    expect(readlinkSync(`/proc/${task.pid}/fd/1`)).toBe(task.logPath);
    expect(readlinkSync(`/proc/${task.pid}/fd/2`)).toBe(task.logPath);
    // Neither the launch pipes nor anything the launcher inherited reach the command. Right
    // after the start, the parked shell or sleep's own start-up (a locale file) may hold more:
    // wait for the command to settle; a leaked descriptor never goes away and fails this.
    const leaked = () =>
      readdirSync(`/proc/${task.pid}/fd`)
        .filter((fd) => Number(fd) > 2)
        .map((fd) => readlinkSync(`/proc/${task.pid}/fd/${fd}`))
        .filter((target) => target !== '/dev/null');
    await waitFor(() => leaked().length === 0).catch(() => expect(leaked()).toEqual([]));
    expect(statSync(task.logPath).mode & 0o777).toBe(0o600);
    expect(ghost.status('nap')).toMatchObject({ status: 'running', pid: task.pid });
  });

  it('records exit codes and signals, with the end time', async () => {
    const ghost = openGhost();
    const cases: [string, object][] = [
      ['exit 0', { status: 'exited', exitCode: 0 }],
      ['exit 42', { status: 'exited', exitCode: 42 }],
      ['kill -TERM $$', { status: 'killed', signal: 'SIGTERM' }],
      ['kill -INT $$', { status: 'killed', signal: 'SIGINT' }],
    ];
    const tasks = await Promise.all(cases.map(([script]) => ghost.run({ command: [script], shell: true })));
    for (const [index, task] of tasks.entries()) {
      const done = await waitForEnd(ghost, task.id);
      expect(done).toMatchObject(cases[index]![1]);
      expect(done.finishedAt!.getTime()).toBeGreaterThanOrEqual(done.startedAt.getTime() - 1000);
    }
  });

  it('passes argv without a shell and keeps the environment out of the task object', async () => {
    const ghost = openGhost();
    const task = await ghost.run({ command: ['printf', '%s|', '$HOME', 'a;b'], env: { SECRET: 'hunter2' } });
    await waitForEnd(ghost, task.id);
    expect(ghost.readLog(task.id).toString()).toBe('$HOME|a;b|');
    expect(JSON.stringify(ghost.status(task.id))).not.toContain('hunter2');
    expect(ghost.taskEnv(task.id).SECRET).toBe('hunter2');
  });

  it('checks everything before starting: nothing is recorded for a command that cannot start', async () => {
    const ghost = openGhost();
    await expect(ghost.run({ command: ['no-such-command-xyz'] })).rejects.toMatchObject({ exitCode: 127 });
    await expect(ghost.run({ command: ['/etc'] })).rejects.toMatchObject({ exitCode: 126 });
    await expect(ghost.run({ command: ['true'], cwd: '/no/such/dir' })).rejects.toMatchObject({ code: 'CWD_NOT_FOUND' });
    await expect(ghost.run({ command: [] })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(ghost.run({ command: ['true'], env: { 'BAD KEY': '1' } })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(ghost.run({ command: ['true'], name: ' lead' })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    expect(ghost.list()).toEqual([]);
    expect(readdirSync(ghost.paths.logs)).toEqual([]);
  });

  it('never runs the command when the task cannot be recorded', async () => {
    const ctx = testContext();
    const marker = join(tempDir(), 'ran');
    class FailingStore extends TaskStore {
      override insert(): void {
        throw new Error('disk full');
      }
    }
    const failing = { ...ctx, store: new FailingStore(rawDatabase(ctx.paths.database)) };
    await expect(runTask(failing, { command: ['touch', marker] })).rejects.toThrow(GhostError);
    // abort() waited for the supervisor to exit: the command had its chance and did not run.
    expect(existsSync(marker)).toBe(false);
    expect(readdirSync(ctx.paths.logs)).toEqual([]);
    expect(readdirSync(ctx.paths.exits)).toEqual([]);
  });
});

describe('Ghost.stop and Ghost.kill', () => {
  it('stops gracefully and reports what happened', async () => {
    const ghost = openGhost();
    const task = await ghost.run({ command: ['sleep', '30'] });
    const result = await ghost.stop(task.id);
    expect(result).toMatchObject({ wasRunning: true, killed: false, task: { status: 'killed', signal: 'SIGTERM' } });
    expect(processInfo(task.pid!)).toBeNull();
    expect((await ghost.stop(task.id)).wasRunning).toBe(false);
  });

  it('keeps the shell\'s own reports out of the log: it holds only what the task wrote', async () => {
    const ghost = openGhost();
    const task = await ghost.run({ command: ['echo started; sleep 30'], shell: true });
    await waitFor(() => ghost.readLog(task.id).length > 0);
    await ghost.stop(task.id);
    const crash = await ghost.run({ command: ['kill -SEGV $$'], shell: true });
    await waitForEnd(ghost, crash.id);
    expect(ghost.readLog(task.id).toString()).toBe('started\n');
    expect(ghost.readLog(crash.id).toString()).toBe('');
  });

  it('escalates to the whole group even after the command itself has exited', async () => {
    const ghost = openGhost();
    // The command exits on SIGTERM; its child ignores SIGTERM and stays in the group.
    const task = await ghost.run({ command: ['trap "exit 0" TERM; (trap "" TERM; exec sleep 300) & wait'], shell: true });
    const child = await waitFor(() => taskProcessesOf(task.pgid!).find((info) => info.pid !== task.pid && info.pid !== task.pgid));
    await waitFor(() => catches(task.pid!, 'SIGTERM'));
    const result = await ghost.stop(task.id, { timeoutMs: 300 });
    expect(result).toMatchObject({ killed: true, task: { status: 'exited', exitCode: 0 } });
    expect(processInfo(child.pid)).toBeNull();
  });

  it('records a clean exit when the task handles SIGTERM itself', async () => {
    const ghost = openGhost();
    const task = await ghost.run({ command: ['trap "exit 0" TERM; while :; do sleep 0.05; done'], shell: true });
    await waitFor(() => catches(task.pid!, 'SIGTERM'));
    const result = await ghost.stop(task.id);
    expect(result.task).toMatchObject({ status: 'exited', exitCode: 0 });
  });

  it('stops 300 tasks at once: each is signalled, a stubborn one escalated, every end recorded', async () => {
    const ghost = openGhost();
    const tasks = [];
    // Started 50 at a time: each launch holds a few descriptors until its command runs.
    while (tasks.length < 300) tasks.push(...(await Promise.all(Array.from({ length: 50 }, () => ghost.run({ command: ['sleep', '300'] })))));
    const stubborn = await ghost.run({ command: ['trap ":" TERM; while :; do sleep 0.05; done'], shell: true });
    const ended = await ghost.run({ command: ['true'] });
    await waitForEnd(ghost, ended.id);
    await waitFor(() => catches(stubborn.pid!, 'SIGTERM'));
    // The grace is what only the stubborn one may outlast: ending 300 supervisors, their watch
    // loops and their journal lines takes up to 0.75 s here when the machine is loaded.
    const outcomes = await ghost.stopMany([...tasks, stubborn, ended].map((task) => task.id), { timeoutMs: 5_000 });
    const results = outcomes.map((outcome) => (outcome.status === 'fulfilled' ? outcome.value : outcome.reason));
    // Every one stopped by its SIGTERM and recorded; a failure's first line names each that was
    // not, and how it ended (CI shows only that line).
    const unlike = results.slice(0, 300).filter((result) => !(result.wasRunning && !result.killed && result.recorded));
    const described = unlike.map((result) =>
      result instanceof Error
        ? `${String((result as GhostError).code)}: ${result.message}`
        : `${result.task.id.slice(0, 8)} wasRunning=${result.wasRunning} killed=${result.killed} recorded=${result.recorded} ${result.task.status} ${result.task.signal ?? result.task.exitCode}`,
    );
    expect(unlike, described.join('; ')).toEqual([]);
    expect(results.slice(0, 300).map((result) => result.task.id)).toEqual(tasks.map((task) => task.id));
    expect(results[300]).toMatchObject({ wasRunning: true, killed: true, recorded: true, task: { status: 'killed', signal: 'SIGKILL' } });
    expect(results[301]).toMatchObject({ wasRunning: false, killed: false, task: { status: 'exited', exitCode: 0 } });
    for (const task of [...tasks, stubborn]) {
      expect(taskProcessesOf(task.pgid!)).toEqual([]);
      // Recorded on the run the stop saw, as the stop reported it.
      const stored = ghost.status(task.id);
      expect(stored).toMatchObject({ run: 1, status: 'killed', signal: task === stubborn ? 'SIGKILL' : 'SIGTERM' });
    }
  }, 120_000);

  it('kill sends one signal; SIGKILL is recorded by the sender', async () => {
    const ghost = openGhost();
    const task = await ghost.run({ command: ['sleep', '30'] });
    expect((await ghost.kill(task.id)).status).toBe('killed');
    expect(ghost.status(task.id)).toMatchObject({ status: 'killed', signal: 'SIGKILL' });
    await expect(ghost.kill(task.id)).rejects.toMatchObject({ code: 'TASK_NOT_RUNNING' });
    const other = await ghost.run({ command: ['sleep', '30'] });
    await ghost.kill(other.id, 'HUP');
    expect(await waitForEnd(ghost, other.id)).toMatchObject({ status: 'killed', signal: 'SIGHUP' });
  });
});

describe('Ghost logs', () => {
  it('says which log it cannot read instead of leaking a system error', async () => {
    const ghost = openGhost();
    const task = await ghost.run({ command: ['true'] });
    await waitForEnd(ghost, task.id);
    rmSync(task.logPath);
    const message = `cannot read the log of task ${task.id.slice(0, 8)} (${task.logPath}): no such file or directory`;
    expect(() => ghost.readLog(task.id)).toThrow(message);
    await expect(ghost.followLog(task.id).next()).rejects.toThrow(message);
  });
});

describe('Ghost.cleanup', () => {
  it('removes ended tasks and their logs, never running ones', async () => {
    const ghost = openGhost();
    const done = await ghost.run({ command: ['true'] });
    const live = await ghost.run({ command: ['sleep', '30'] });
    await waitForEnd(ghost, done.id);
    expect(ghost.cleanup().length).toBe(0);
    expect(ghost.cleanup({ all: true, dryRun: true }).map((task) => task.id)).toEqual([done.id]);
    expect(existsSync(done.logPath)).toBe(true);
    expect(ghost.cleanup({ all: true }).map((task) => task.id)).toEqual([done.id]);
    expect(existsSync(done.logPath)).toBe(false);
    expect(ghost.list().map((task) => task.id)).toEqual([live.id]);
    expect(() => ghost.cleanup({ status: 'running' })).toThrow(GhostError);
  });

  it('takes several statuses, ended ones only', async () => {
    const ghost = openGhost();
    const failed = await ghost.run({ command: ['sh', '-c', 'exit 3'] });
    const fine = await ghost.run({ command: ['true'] });
    for (const task of [failed, fine]) await waitForEnd(ghost, task.id);
    expect(ghost.cleanup({ all: true, dryRun: true, status: ['killed', 'unknown'] })).toEqual([]);
    expect(ghost.cleanup({ all: true, dryRun: true, status: ['exited', 'killed'] }).map((task) => task.id)).toEqual([fine.id, failed.id]);
    expect(() => ghost.cleanup({ status: ['exited', 'restarting'] })).toThrow('restarting tasks are never cleaned up');
  });
});

describe('Ghost.recent', () => {
  it('lists every running task and the newest ended ones, and says how many ended ones it left out', async () => {
    const ghost = openGhost();
    const old = await ghost.run({ command: ['sleep', '30'], name: 'old' });
    const ended = [];
    for (let i = 0; i < 4; i++) ended.push(await ghost.run({ command: ['true'], name: `done-${i}` }));
    for (const task of ended) await waitForEnd(ghost, task.id);
    const { tasks, omitted } = ghost.recent({ ended: 2 });
    expect(tasks.map((task) => task.name)).toEqual(['done-3', 'done-2', 'old']);
    expect(omitted).toBe(2);
    expect(tasks[2]).toMatchObject({ status: 'running', cpuPercent: expect.any(Number) });
    const json = ghost.recentJSON({ ended: 2 });
    expect(JSON.parse(json.tasks).map((task: { name: string }) => task.name)).toEqual(['done-3', 'done-2', 'old']);
    expect(json.omitted).toBe(2);
    expect(ghost.recent({ ended: 2, status: ['running'] })).toEqual({ tasks: [expect.objectContaining({ id: old.id })], omitted: 0 });
    expect(ghost.recent().omitted).toBe(0);
    expect(() => ghost.recent({ status: ['exited', 'sleeping' as never] })).toThrow(
      'unknown status "sleeping" (running, restarting, exited, killed or unknown)',
    );
  });
});
