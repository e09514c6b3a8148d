import { describe, expect, it } from 'vitest';
import { taskRow, testContext } from '../test-support/store.js';
import { taskToJSON } from '../tasks/types.js';

describe('TaskStore', () => {
  it('lists newest first and filters by status and name', () => {
    const ctx = testContext();
    for (const [index, name] of ['a', 'b', 'a'].entries()) ctx.store.insert(taskRow({ name, startedAt: 1000 + index }));
    const all = ctx.store.list();
    expect(all.map((task) => task.startedAt.getTime())).toEqual([1002, 1001, 1000]);
    expect(ctx.store.list({ name: 'a' }).length).toBe(2);
    ctx.store.markEnded(all[0]!.id, { status: 'exited', exitCode: 0, signal: null, finishedAt: 2000 });
    expect(ctx.store.list({ status: 'running' }).map((task) => task.name)).toEqual(['b', 'a']);
    expect(ctx.store.list({ limit: 1 }).length).toBe(1);
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
    ctx.store.markEnded(killed.id, { status: 'killed', exitCode: null, signal: 'SIGTERM', finishedAt: Date.UTC(2026, 0, 1, 0, 0, 0, 999) });
    ctx.store.markEnded(plain.id, { status: 'exited', exitCode: 255, signal: null, finishedAt: 1234 });
    for (const query of [{}, { status: 'killed' as const }, { name: awkward.name! }, { limit: 2 }, { name: 'none' }]) {
      const fromSql = JSON.parse(ctx.store.listJSON(query));
      expect(fromSql).toEqual(ctx.store.list(query).map(taskToJSON));
    }
    // Key order is part of the output's shape.
    expect(Object.keys(JSON.parse(ctx.store.listJSON())[0])).toEqual(Object.keys(taskToJSON(ctx.store.list()[0]!)));
  });

  it('never records an end before the start', () => {
    const ctx = testContext();
    const row = taskRow({ startedAt: 5_000 });
    ctx.store.insert(row);
    ctx.store.markEnded(row.id, { status: 'exited', exitCode: 0, signal: null, finishedAt: 4_996 });
    expect(ctx.store.get(row.id)?.finishedAt?.getTime()).toBe(5_000);
  });

  it('keeps environments out of task rows and deletes them with the task', () => {
    const ctx = testContext();
    const row = taskRow();
    ctx.store.insert(row);
    expect(ctx.store.env(row.id)).toEqual({ SECRET: 'hunter2' });
    expect(JSON.stringify(ctx.store.list())).not.toContain('hunter2');
    expect(ctx.store.listJSON()).not.toContain('hunter2');
    expect(ctx.store.deleteEnded([row.id])).toEqual([]);
    ctx.store.markEnded(row.id, { status: 'exited', exitCode: 0, signal: null, finishedAt: 1 });
    expect(ctx.store.deleteEnded([row.id])).toEqual([row.id]);
    expect(ctx.store.env(row.id)).toBeUndefined();
  });
});
