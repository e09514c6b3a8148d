import { describe, expect, it } from 'vitest';
import { taskRow, testContext } from '../test-support/store.js';
import { type TaskStatus, taskToJSON } from '../tasks/types.js';
import { type TaskQuery, listQuery } from './task-store.js';

describe('TaskStore', () => {
  it('lists newest first and filters by status and name', () => {
    const ctx = testContext();
    for (const [index, name] of ['a', 'b', 'a'].entries()) ctx.store.insert(taskRow({ name, startedAt: 1000 + index }));
    const all = ctx.store.list();
    expect(all.map((task) => task.startedAt.getTime())).toEqual([1002, 1001, 1000]);
    expect(ctx.store.list({ name: 'a' }).length).toBe(2);
    ctx.store.endRun(all[0]!.id, 1, { status: 'exited', exitCode: 0, signal: null, finishedAt: 2000 });
    expect(ctx.store.list({ status: 'running' }).map((task) => task.name)).toEqual(['b', 'a']);
    expect(ctx.store.list({ limit: 1 }).length).toBe(1);
  });

  it('filters by several statuses at once, restarting included', () => {
    const ctx = testContext();
    const [exited, killed, restarting, running] = [1, 2, 3, 4].map((startedAt) => taskRow({ startedAt }));
    for (const row of [exited!, killed!, restarting!, running!]) ctx.store.insert(row);
    ctx.store.endRun(exited!.id, 1, { status: 'exited', exitCode: 0, signal: null, finishedAt: 10 });
    ctx.store.endRun(killed!.id, 1, { status: 'killed', exitCode: null, signal: 'SIGTERM', finishedAt: 10 });
    ctx.store.endRun(restarting!.id, 1, { status: 'exited', exitCode: 1, signal: null, finishedAt: 10 });
    ctx.store.setRestartAt(restarting!.id, 1, 20);
    const statuses = (status: TaskStatus[]) => ctx.store.list({ status }).map((task) => task.status);
    expect(statuses(['exited', 'killed'])).toEqual(['killed', 'exited']);
    expect(statuses(['restarting', 'running'])).toEqual(['running', 'restarting']);
    expect(statuses(['exited'])).toEqual(['exited']);
    expect(statuses([])).toEqual([]);
    expect(ctx.store.endedBefore(null, ['killed', 'unknown']).map((task) => task.id)).toEqual([killed!.id]);
  });

  it('lists every active task and only the newest ended ones, and counts the ended ones it leaves out', () => {
    const ctx = testContext();
    // Oldest first: an old running task, ten ended ones, a restarting one, a newer running one.
    const rows = Array.from({ length: 13 }, (_, index) => taskRow({ startedAt: 1000 + index, name: index % 2 ? 'odd' : 'even' }));
    for (const row of rows) ctx.store.insert(row);
    for (const row of rows.slice(1, 12)) ctx.store.endRun(row.id, 1, { status: 'exited', exitCode: 0, signal: null, finishedAt: 5000 });
    ctx.store.setRestartAt(rows[11]!.id, 1, 9000);
    const ids = (query: TaskQuery) => ctx.store.list(query).map((task) => rows.findIndex((row) => row.id === task.id));
    expect(ids({ ended: 3 })).toEqual([12, 11, 10, 9, 8, 0]);
    expect(ctx.store.countEnded({})).toBe(10);
    expect(ids({ ended: 0 })).toEqual([12, 11, 0]);
    expect(ids({ ended: 100 })).toEqual(ids({}));
    // The filters apply to both parts, and to the count.
    expect(ids({ ended: 2, name: 'odd' })).toEqual([11, 9, 7]);
    expect(ctx.store.countEnded({ name: 'odd' })).toBe(5);
    expect(ids({ ended: 2, status: ['exited', 'running'] })).toEqual([12, 10, 9, 0]);
    expect(ctx.store.countEnded({ status: ['exited', 'running'] })).toBe(10);
    expect(ctx.store.countEnded({ status: 'running' })).toBe(0);
    expect(JSON.parse(ctx.store.listJSON({ ended: 3 }))).toEqual(ctx.store.list({ ended: 3 }).map(taskToJSON));
  });

  it('reads only the rows it lists: active tasks and the newest ended ones through indexes', () => {
    const ctx = testContext();
    const scans = (query: TaskQuery) => {
      const { sql, params } = listQuery(query);
      const plan = ctx.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(params) as { detail: string }[];
      return plan.map((row) => row.detail).filter((step) => /^SCAN [rt]\b/.test(step));
    };
    for (const query of [{ ended: 20 }, { ended: 20, status: ['exited', 'killed'] as TaskStatus[] }]) {
      expect(scans(query).map((step) => step.replace(/ USING (COVERING )?INDEX /, ' by '))).toEqual([
        'SCAN r by runs_one_running',
        'SCAN r by runs_restarting',
        'SCAN r by runs_by_started',
      ]);
    }
    // A name is looked up by its index: nothing is scanned.
    expect(scans({ ended: 20, name: 'web' })).toEqual([]);
  });

  it('serialises lists to JSON exactly as taskToJSON does', () => {
    const ctx = testContext();
    const awkward = taskRow({
      name: 'wëb "quoted" \\ \n\t\u0001 ✓',
      command: ['sh', '-c', 'echo "$HOME" \u001b[31m; printf \'%s\\n\''],
      cwd: '/tmp/dir with spaces/ünï',
      startedAt: Date.UTC(2026, 0, 2, 3, 4, 5, 7),
    });
    const killed = taskRow({ startedAt: Date.UTC(2026, 0, 1), name: null });
    const plain = taskRow({ startedAt: 1 });
    for (const row of [awkward, killed, plain]) ctx.store.insert(row);
    ctx.store.endRun(killed.id, 1, { status: 'killed', exitCode: null, signal: 'SIGTERM', finishedAt: Date.UTC(2026, 0, 1, 0, 0, 0, 999) });
    ctx.store.endRun(plain.id, 1, { status: 'exited', exitCode: 255, signal: null, finishedAt: 1234 });
    for (const query of [{}, { status: 'killed' as const }, { name: awkward.name! }, { limit: 2 }, { name: 'none' }]) {
      const fromSql = JSON.parse(ctx.store.listJSON(query));
      expect(fromSql).toEqual(ctx.store.list(query).map(taskToJSON));
    }
    // Key order is part of the output's shape.
    expect(Object.keys(JSON.parse(ctx.store.listJSON())[0])).toEqual(Object.keys(taskToJSON(ctx.store.list()[0]!)));
  });

  it('serialises a long history in list order: tied start times, restarts by the supervisor and by hand', () => {
    const ctx = testContext();
    const end = { status: 'exited', exitCode: 1, signal: null, finishedAt: 9_000 } as const;
    const rows = Array.from({ length: 60 }, (_, index) => taskRow({ startedAt: 1_000 + Math.floor(index / 4), name: `t${index % 7}` }));
    for (const row of rows) ctx.store.insert(row);
    for (const [index, row] of rows.entries()) {
      if (index % 3 === 0) continue; // Still on its first run, running.
      ctx.store.endRun(row.id, 1, end);
      // Restarted by its supervisor (attempts 2 and 3 of one launch), or started again by hand.
      const next = { ...row, startedAt: row.startedAt + index };
      if (index % 3 === 1) {
        expect(ctx.store.startAttempt(row.id, 1, next, 2)).toBe(true);
        ctx.store.endRun(row.id, 2, end);
        expect(ctx.store.startAttempt(row.id, 2, next, 3)).toBe(true);
      } else expect(ctx.store.startRun(row.id, 1, next)).toBe('started');
    }
    const tasks = ctx.store.list();
    expect(new Set(tasks.map((task) => task.restarts))).toEqual(new Set([0, 2]));
    expect(new Set(tasks.map((task) => task.startedAt.getTime())).size).toBeLessThan(tasks.length);
    for (const query of [{}, { limit: 7 }, { ended: 5 }, { name: 't3' }, { status: 'running' as const }]) {
      expect(JSON.parse(ctx.store.listJSON(query))).toEqual(ctx.store.list(query).map(taskToJSON));
    }
  });

  it('never records an end before the start', () => {
    const ctx = testContext();
    const row = taskRow({ startedAt: 5_000 });
    ctx.store.insert(row);
    ctx.store.endRun(row.id, 1, { status: 'exited', exitCode: 0, signal: null, finishedAt: 4_996 });
    expect(ctx.store.get(row.id)?.finishedAt?.getTime()).toBe(5_000);
  });

  it('keeps environments out of task rows and deletes them with the task', () => {
    const ctx = testContext();
    const row = taskRow();
    ctx.store.insert(row);
    expect(ctx.store.env(row.id)).toEqual({ SECRET: 'hunter2' });
    expect(JSON.stringify(ctx.store.list())).not.toContain('hunter2');
    expect(ctx.store.listJSON()).not.toContain('hunter2');
    expect(ctx.store.deleteEnded([{ id: row.id, run: 1 }])).toEqual([]);
    ctx.store.endRun(row.id, 1, { status: 'exited', exitCode: 0, signal: null, finishedAt: 1 });
    expect(ctx.store.deleteEnded([{ id: row.id, run: 1 }])).toEqual([row.id]);
    expect(ctx.store.env(row.id)).toBeUndefined();
  });

  it('changes only the run it names: ending run 1 never ends run 2', () => {
    const ctx = testContext();
    const row = taskRow();
    ctx.store.insert(row);
    const end = { status: 'exited' as const, exitCode: 0, signal: null, finishedAt: Date.now() };
    expect(ctx.store.endRun(row.id, 1, end)).toBe(true);
    expect(ctx.store.startRun(row.id, 1, taskRow())).toBe('started');
    // A writer that still believes run 1 is current changes nothing.
    expect(ctx.store.endRun(row.id, 1, { ...end, exitCode: 125 })).toBe(false);
    expect(ctx.store.markStopping(row.id, 1, 'SIGKILL')).toBe(false);
    expect(ctx.store.get(row.id)).toMatchObject({ run: 2, status: 'running', stopSignal: null });
    expect(ctx.store.runs(row.id).map((run) => [run.run, run.status, run.exitCode])).toEqual([
      [2, 'running', null],
      [1, 'exited', 0],
    ]);
  });

  it('lets one of several starts of the same ended run win', () => {
    const ctx = testContext();
    const row = taskRow();
    ctx.store.insert(row);
    // Run 1 is running: nobody may start run 2.
    expect(ctx.store.startRun(row.id, 1, taskRow())).toBe('taken');
    ctx.store.endRun(row.id, 1, { status: 'killed', exitCode: null, signal: 'SIGKILL', finishedAt: Date.now() });
    const outcomes = [0, 1, 2].map(() => ctx.store.startRun(row.id, 1, taskRow()));
    expect(outcomes).toEqual(['started', 'taken', 'taken']);
    expect(ctx.store.startRun('no-such-task', 1, taskRow())).toBe('removed');
    expect(ctx.store.runs(row.id).length).toBe(2);
  });

  it("moves run offsets by a launch's rotations once, and carries what it applied to the launch's next attempt", () => {
    const ctx = testContext();
    const row = taskRow({ logOffset: 500 });
    ctx.store.insert(row);
    expect(ctx.store.applyRotations(row.id, 300)).toBe(300);
    // The same journal read again, or an older read of it, moves nothing more.
    expect(ctx.store.applyRotations(row.id, 300)).toBe(0);
    expect(ctx.store.applyRotations(row.id, 100)).toBe(0);
    expect(ctx.store.get(row.id)).toMatchObject({ logOffset: 200, rotated: 300 });
    ctx.store.endRun(row.id, 1, { status: 'exited', exitCode: 1, signal: null, finishedAt: Date.now() });
    expect(ctx.store.startAttempt(row.id, 1, { ...taskRow(), launchId: row.launchId, logOffset: 50 }, 2)).toBe(true);
    expect(ctx.store.get(row.id)).toMatchObject({ run: 2, logOffset: 50, rotated: 300 });
    expect(ctx.store.applyRotations(row.id, 350)).toBe(50);
    expect(ctx.store.runs(row.id).map((run) => run.logOffset)).toEqual([0, 150]);
    // A new launch starts from none applied.
    ctx.store.endRun(row.id, 2, { status: 'exited', exitCode: 0, signal: null, finishedAt: Date.now() });
    expect(ctx.store.startRun(row.id, 2, taskRow({ logOffset: 10 }))).toBe('started');
    expect(ctx.store.get(row.id)).toMatchObject({ run: 3, rotated: 0 });
  });

  it('gives a reuse key to one task only', () => {
    const ctx = testContext();
    ctx.store.insert(taskRow({ reuseKey: 'k' }));
    expect(() => ctx.store.insert(taskRow({ reuseKey: 'k' }))).toThrow(expect.objectContaining({ code: 'SQLITE_CONSTRAINT_UNIQUE' }));
  });

  it('does not delete a task that was started again after it was looked at', () => {
    const ctx = testContext();
    const row = taskRow();
    ctx.store.insert(row);
    ctx.store.endRun(row.id, 1, { status: 'exited', exitCode: 0, signal: null, finishedAt: Date.now() });
    ctx.store.startRun(row.id, 1, taskRow());
    ctx.store.endRun(row.id, 2, { status: 'exited', exitCode: 0, signal: null, finishedAt: Date.now() });
    expect(ctx.store.deleteEnded([{ id: row.id, run: 1 }])).toEqual([]);
    expect(ctx.store.deleteEnded([{ id: row.id, run: 2 }])).toEqual([row.id]);
    expect(ctx.store.runs(row.id)).toEqual([]);
  });
});
