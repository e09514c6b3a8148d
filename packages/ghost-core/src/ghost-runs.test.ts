// Tasks that live through several runs (restart, start, idempotent run), waiting for tasks,
// and the migration that brought run history to existing databases.
import { tempDir, waitFor } from '@ghost/test-support';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS, SCHEMA_VERSION } from './db/migrations.js';
import { openDatabase } from './db/open.js';
import { ensureDataDir } from './paths/data-dir.js';
import { listProcesses, processInfo } from './process/process-table.js';
import { removeTasks } from './tasks/cleanup.js';
import { reconcileTask } from './tasks/reconcile.js';
import { runTask, startAgain } from './tasks/run.js';
import { openGhost, waitForEnd } from './test-support/ghosts.js';
import { endedInFailure } from './tasks/types.js';
import { rawDatabase, testContext } from './test-support/store.js';


describe('restart, start and runs', () => {
  it('restarts a task that ignores SIGTERM: same id and name, a new run, the old one recorded', async () => {
    const ghost = openGhost();
    const task = await ghost.run({ command: ['trap "" TERM; echo started; while :; do sleep 0.05; done'], shell: true, name: 'stubborn' });
    await waitFor(() => ghost.readLog(task.id).toString() === 'started\n');
    const again = await ghost.restart('stubborn', { timeoutMs: 200 });
    expect(again).toMatchObject({ id: task.id, name: 'stubborn', status: 'running' });
    expect(again.pid).not.toBe(task.pid);
    expect(processInfo(task.pid!)).toBeNull();
    const runs = ghost.runs(task.id);
    expect(runs.map((run) => [run.run, run.status, run.signal])).toEqual([
      [2, 'running', null],
      [1, 'killed', 'SIGKILL'],
    ]);
    // Both runs write to the task's one log.
    await waitFor(() => ghost.readLog(task.id).toString() === 'started\nstarted\n');
  });

  it('starts an ended task again and refuses to start a running one', async () => {
    const ghost = openGhost();
    const task = await ghost.run({ command: ['sh', '-c', 'exit 3'] });
    await waitFor(() => ghost.status(task.id).status === 'exited');
    const again = await ghost.start(task.id);
    expect(again.id).toBe(task.id);
    await waitFor(() => ghost.runs(task.id)[0]!.status === 'exited');
    expect(ghost.runs(task.id).map((run) => [run.run, run.exitCode])).toEqual([
      [2, 3],
      [1, 3],
    ]);
    const live = await ghost.run({ command: ['sleep', '30'] });
    await expect(ghost.start(live.id)).rejects.toMatchObject({ code: 'TASK_RUNNING' });
  });
});

describe('idempotent run (reuse)', () => {
  it('starts one task for 20 concurrent calls from separate connections, and starts it again once ended', async () => {
    const dataDir = join(tempDir(), 'ghost');
    const cwd = tempDir();
    const ghosts = Array.from({ length: 5 }, () => openGhost(dataDir));
    const calls = Array.from({ length: 20 }, (_, i) => ghosts[i % 5]!.run({ command: ['sleep', '30'], cwd, reuse: true }));
    const tasks = await Promise.all(calls);
    expect(new Set(tasks.map((task) => task.id)).size).toBe(1);
    expect(ghosts[0]!.list()).toHaveLength(1);
    await ghosts[0]!.stop(tasks[0]!.id);
    const again = await ghosts[1]!.run({ command: ['sleep', '30'], cwd, reuse: true });
    expect(again).toMatchObject({ id: tasks[0]!.id, status: 'running' });
    expect(ghosts[1]!.runs(again.id)).toHaveLength(2);
    // Another directory or another argv is another task.
    const elsewhere = await ghosts[2]!.run({ command: ['sleep', '30'], cwd: tempDir(), reuse: true });
    expect(elsewhere.id).not.toBe(again.id);
  });
});

describe('wait', () => {
  it('waits for the end and reports it; times out; returns on the first end with any', async () => {
    const ghost = openGhost();
    const quick = await ghost.run({ command: ['sh', '-c', 'sleep 0.2; exit 42'] });
    const slow = await ghost.run({ command: ['sleep', '30'] });
    expect(await ghost.wait([quick.id])).toMatchObject({ timedOut: false, tasks: [{ status: 'exited', exitCode: 42 }] });
    const timedOut = await ghost.wait([slow.id], { timeoutMs: 100 });
    expect(timedOut).toMatchObject({ timedOut: true, tasks: [{ status: 'running' }] });
    const any = await ghost.wait([slow.id, quick.id], { any: true });
    expect(any.timedOut).toBe(false);
    const controller = new AbortController();
    const cancelled = ghost.wait([slow.id], { signal: controller.signal });
    controller.abort();
    expect(await cancelled).toMatchObject({ timedOut: false, cancelled: true });
    const killer = ghost.wait([slow.id]);
    await ghost.kill(slow.id, 'TERM');
    expect((await killer).tasks[0]).toMatchObject({ status: 'killed', signal: 'SIGTERM' });
  });
});

describe('a stop racing a kill', () => {
  it('reports what the killer recorded instead of unknown', async () => {
    const dataDir = join(tempDir(), 'ghost');
    const stopper = openGhost(dataDir);
    const killer = openGhost(dataDir);
    const task = await stopper.run({ command: ['trap "" TERM; echo ready; while :; do sleep 0.05; done'], shell: true });
    // SIGTERM must find the trap set.
    await waitFor(() => stopper.readLog(task.id).toString() === 'ready\n');
    // stop() sends SIGTERM before its first await, so once it returns its promise the stop is in
    // its grace period (the signal is ignored)...
    const stopping = stopper.stop(task.id, { timeoutMs: 5_000 });
    // ...while another process kills the task outright and records that.
    expect(await killer.kill(task.id)).toMatchObject({ status: 'killed', signal: 'SIGKILL' });
    expect((await stopping).task).toMatchObject({ status: 'killed', signal: 'SIGKILL' });
  });
});

describe('a stop escalating while others look', () => {
  it('is recorded as killed SIGKILL even when another process finds the processes gone first', async () => {
    const dataDir = join(tempDir(), 'ghost');
    const stopper = openGhost(dataDir);
    const observer = openGhost(dataDir);
    for (let trial = 0; trial < 5; trial++) {
      const task = await stopper.run({ command: ['trap "" TERM; echo ready; while :; do sleep 0.05; done'], shell: true });
      await waitFor(() => stopper.readLog(task.id).toString() === 'ready\n');
      let done = false;
      const stopping = stopper.stop(task.id, { timeoutMs: 50 }).finally(() => {
        done = true;
      });
      // Another connection (a waiter, a UI) reconciles as often as it can meanwhile.
      while (!done) {
        observer.status(task.id);
        await new Promise((resolve) => setImmediate(resolve));
      }
      expect((await stopping).task).toMatchObject({ status: 'killed', signal: 'SIGKILL' });
      expect(observer.status(task.id)).toMatchObject({ status: 'killed', signal: 'SIGKILL' });
    }
  });
});

describe('descriptions and working directories', () => {
  it('keeps a description and lists the tasks of one directory', async () => {
    const ghost = openGhost();
    const here = tempDir();
    const task = await ghost.run({ command: ['true'], cwd: here, description: 'the build' });
    await ghost.run({ command: ['true'], cwd: tempDir() });
    expect(ghost.status(task.id).description).toBe('the build');
    expect(ghost.list({ cwd: here }).map((t) => t.id)).toEqual([task.id]);
    expect(JSON.parse(ghost.listJSON({ cwd: here }))[0]).toMatchObject({ id: task.id, description: 'the build' });
  });
});

describe('migrations', () => {
  it('gives every task of a version-1 database its first run, losing nothing', () => {
    const file = join(tempDir(), 'tasks.db');
    const v1 = rawDatabase(file);
    MIGRATIONS[0]!(v1);
    v1.pragma('user_version = 1');
    v1.prepare(
      `INSERT INTO tasks (id, name, pid, pgid, command, cwd, status, exit_code, started_at, finished_at, log_path)
       VALUES ('a1', 'old', 10, 9, '["true"]', '/', 'exited', 0, '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:01.000Z', '/l')`,
    ).run();
    v1.close();
    const db = openDatabase(file);
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(db.prepare('SELECT name, description, run FROM tasks').get()).toEqual({ name: 'old', description: null, run: 1 });
    expect(db.prepare('SELECT task_id, run, pid, pgid, status, exit_code, finished_at, launch_id FROM runs').get()).toEqual({
      task_id: 'a1',
      run: 1,
      pid: 10,
      pgid: 9,
      status: 'exited',
      exit_code: 0,
      finished_at: '2026-01-01T00:00:01.000Z',
      launch_id: null,
    });
    db.close();
  });

  it('moves run state out of the tasks of a version-2 database, and a newer ghost still reconciles its running task', async () => {
    const dataDir = join(tempDir(), 'ghost');
    // A real version-2 database, written as ghost 2 wrote it: one task restarted once, one task
    // running under a supervisor that reports to exits/<task-id>, and a reuse key twice.
    ensureDataDir(dataDir);
    const file = join(dataDir, 'tasks.db');
    const v2 = rawDatabase(file);
    MIGRATIONS[0]!(v2);
    MIGRATIONS[1]!(v2);
    v2.pragma('user_version = 2');
    const { spawn } = await import('node:child_process');
    // The legacy supervisor's shape: it is the command's parent and leads its process group.
    const legacy = spawn('/bin/sh', ['-c', 'sleep 30; s=$?; printf "%s\\n" "$s" >"$0.tmp" && mv "$0.tmp" "$0"', join(dataDir, 'exits', 'b2')], {
      detached: true,
      stdio: 'ignore',
    });
    const supervisorStart = (await waitFor(() => processInfo(legacy.pid!))).start;
    const child = await waitFor(() => listProcesses().find((info) => info.ppid === legacy.pid));
    const insert = v2.prepare(
      `INSERT INTO tasks (id, name, pid, pgid, command, cwd, status, exit_code, signal, started_at, finished_at, log_path,
         pid_start, supervisor_start, run, reuse_key)
       VALUES (@id, @name, @pid, @pgid, @command, '/', @status, @exit, NULL, @started, @finished, '/l', @pidStart, @supStart, @run, @key)`,
    );
    const runs = v2.prepare(
      `INSERT INTO runs (task_id, run, pid, pgid, status, exit_code, started_at, finished_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const base = { pidStart: null, supStart: null, key: null, finished: '2026-01-01T00:00:09.000Z', exit: 0, status: 'exited' };
    insert.run({ ...base, id: 'a1', name: 'twice', pid: 11, pgid: 10, command: '["true"]', started: '2026-01-01T00:00:05.000Z', run: 2, key: 'k' });
    runs.run('a1', 1, 8, 7, 'exited', 3, '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:01.000Z');
    runs.run('a1', 2, 11, 10, 'exited', 0, '2026-01-01T00:00:05.000Z', '2026-01-01T00:00:09.000Z');
    insert.run({ ...base, id: 'c3', name: 'older', pid: 1, pgid: 1, command: '["true"]', started: '2025-01-01T00:00:00.000Z', run: 1, key: 'k' });
    runs.run('c3', 1, 1, 1, 'exited', 0, '2025-01-01T00:00:00.000Z', '2025-01-01T00:00:09.000Z');
    const running = {
      ...base,
      id: 'b2',
      name: 'legacy',
      pid: child.pid,
      pgid: legacy.pid,
      command: '["sleep","30"]',
      status: 'running',
      exit: null,
      finished: null,
      started: new Date().toISOString(),
      pidStart: child.start,
      supStart: supervisorStart,
      run: 1,
    };
    insert.run(running);
    runs.run('b2', 1, child.pid, legacy.pid, 'running', null, running.started, null);
    v2.close();

    const ghost = openGhost(dataDir);
    expect(ghost.runs('twice').map((run) => [run.run, run.status, run.exitCode])).toEqual([
      [2, 'exited', 0],
      [1, 'exited', 3],
    ]);
    expect(ghost.status('legacy')).toMatchObject({ status: 'running', run: 1, pid: child.pid, pgid: legacy.pid });
    process.kill(child.pid, 'SIGTERM');
    expect(await waitFor(() => ghost.status('legacy').status !== 'running' && ghost.status('legacy'))).toMatchObject({
      status: 'killed',
      signal: 'SIGTERM',
    });
    // One task per reuse key: the newest keeps it.
    const check = rawDatabase(file, { readonly: true });
    expect(check.prepare('SELECT id FROM tasks WHERE reuse_key IS NOT NULL').pluck().all()).toEqual(['a1']);
    check.close();
  });
});

describe('a start that loses a race', () => {
  it('says the task was removed when a removal won, and runs nothing', async () => {
    const ctx = testContext();
    try {
      const task = await runTask(ctx, { command: ['true'] });
      const ended = await waitFor(() => {
        const current = reconcileTask(ctx, ctx.store.get(task.id)!);
        return current.status !== 'running' && current;
      });
      removeTasks(ctx, [ended]);
      await expect(startAgain(ctx, ended)).rejects.toMatchObject({ code: 'TASK_NOT_FOUND', message: expect.stringMatching(/removed/) });
      // The aborted launch took its journal with it.
      expect(readdirSync(ctx.paths.journal)).toEqual([]);
    } finally {
      ctx.close();
    }
  });
});

describe('runs ended by a stop', () => {
  it('are recorded as stopped, however they ended; a crash or a run a stop found ended is not', async () => {
    const ghost = openGhost();
    const polite = await ghost.run({ command: ['sh', '-c', 'trap "exit 0" TERM; while :; do sleep 0.05; done'] });
    const plain = await ghost.run({ command: ['sleep', '60'] });
    const crashed = await ghost.run({ command: ['sh', '-c', 'exit 3'] });
    await ghost.stop(polite.id);
    await ghost.stop(plain.id);
    expect(ghost.status(polite.id)).toMatchObject({ status: 'exited', exitCode: 0, reason: 'stopped' });
    expect(ghost.status(plain.id)).toMatchObject({ status: 'killed', signal: 'SIGTERM', reason: 'stopped' });
    expect(endedInFailure(ghost.status(plain.id))).toBe(false);
    const ended = await waitForEnd(ghost, crashed.id);
    expect(ended).toMatchObject({ status: 'exited', exitCode: 3, reason: null });
    await ghost.stop(crashed.id);
    expect(ghost.status(crashed.id).reason).toBeNull();
    // A restart stops the run it replaces.
    await ghost.restart(plain.id);
    const [latest, first] = ghost.runs(plain.id);
    expect([latest!.status, latest!.reason, first!.reason]).toEqual(['running', null, 'stopped']);
  });
});
