// `ghost cleanup`: which ended tasks go (--all, --days, --status), --dry-run, --json; running
// tasks never go; a task's log goes with its row.
import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectTaskShape } from '../src/assertions.js';
import {
  type TaskJSON,
  ghost,
  ghostJSON,
  ghostOk,
  isAlive,
  listTasks,
  makeDataDir,
  startTask,
  taskStatus,
  waitUntilEnded,
} from '../src/harness.js';
import { patchTask, withTasksDb } from '../src/tasks-db.js';

const DAY_MS = 24 * 60 * 60 * 1000;

interface Fixture {
  dataDir: string;
  /** exited 0, ended 40 days ago */
  oldExited: TaskJSON;
  /** killed SIGTERM, ended 40 days ago */
  oldKilled: TaskJSON;
  /** exited 1, ended 5 days ago */
  recentFailed: TaskJSON;
  /** exited 0 just now */
  fresh: TaskJSON;
  /** running, started 100 days ago */
  running: TaskJSON;
}

/** A data directory with tasks of every kind and age (ages set in the database). */
async function fixture(): Promise<Fixture> {
  const dataDir = makeDataDir();
  const [oldExitedId, oldKilledId, recentFailedId, freshId, runningId] = await Promise.all([
    startTask(dataDir, ['sh', '-c', 'echo old'], { name: 'old-exited' }),
    startTask(dataDir, ['sh', '-c', 'kill -TERM $$'], { name: 'old-killed' }),
    startTask(dataDir, ['sh', '-c', 'exit 1'], { name: 'recent-failed' }),
    startTask(dataDir, ['true'], { name: 'fresh' }),
    startTask(dataDir, ['sleep', '300'], { name: 'running' }),
  ]);
  for (const id of [oldExitedId, oldKilledId, recentFailedId, freshId]) await waitUntilEnded(dataDir, id);
  const now = Date.now();
  const age = (id: string, days: number) =>
    patchTask(dataDir, id, { started_at: now - days * DAY_MS - 1000, finished_at: now - days * DAY_MS });
  age(oldExitedId, 40);
  age(oldKilledId, 40);
  age(recentFailedId, 5);
  patchTask(dataDir, runningId, { started_at: now - 100 * DAY_MS });
  const tasks = await listTasks(dataDir);
  const get = (id: string) => tasks.find((task) => task.id === id)!;
  return {
    dataDir,
    oldExited: get(oldExitedId),
    oldKilled: get(oldKilledId),
    recentFailed: get(recentFailedId),
    fresh: get(freshId),
    running: get(runningId),
  };
}

async function remainingIds(dataDir: string): Promise<string[]> {
  return (await listTasks(dataDir)).map((task) => task.id).sort();
}

function ids(...tasks: TaskJSON[]): string[] {
  return tasks.map((task) => task.id).sort();
}

function expectRunningUntouched(f: Fixture): void {
  expect(existsSync(f.running.log_path)).toBe(true);
  expect(isAlive(f.running.pid!)).toBe(true);
}

describe('ghost cleanup', () => {
  it.concurrent('by default deletes tasks that ended over 30 days ago, with their logs', async ({ expect }) => {
    const f = await fixture();
    expect(f.oldKilled).toMatchObject({ status: 'killed', signal: 'SIGTERM' });
    const result = await ghostOk(['cleanup'], { dataDir: f.dataDir });
    expect(result.stdout.split('\n')[0]).toBe('deleted 2 tasks');
    expect(result.stdout).toContain('old-exited');
    expect(result.stdout).toContain('old-killed');
    expect(await remainingIds(f.dataDir)).toEqual(ids(f.recentFailed, f.fresh, f.running));
    expect(existsSync(f.oldExited.log_path)).toBe(false);
    expect(existsSync(f.oldKilled.log_path)).toBe(false);
    expect(existsSync(f.recentFailed.log_path)).toBe(true);
    expect(existsSync(f.fresh.log_path)).toBe(true);
    expectRunningUntouched(f);
    // Nothing left to do: still a success.
    const again = await ghostOk(['cleanup'], { dataDir: f.dataDir });
    expect(again.stdout).toBe('deleted 0 tasks\n');
  });

  it.concurrent('--days N deletes tasks that ended over N days ago', async ({ expect }) => {
    const f = await fixture();
    const removed = await ghostJSON<TaskJSON[]>(['cleanup', '--days', '3'], { dataDir: f.dataDir });
    expect(ids(...removed)).toEqual(ids(f.oldExited, f.oldKilled, f.recentFailed));
    expect(await remainingIds(f.dataDir)).toEqual(ids(f.fresh, f.running));
    expect(existsSync(f.recentFailed.log_path)).toBe(false);
    expect(existsSync(f.fresh.log_path)).toBe(true);
    expectRunningUntouched(f);
  });

  it.concurrent('--days 0 deletes every ended task; --days 0.5 keeps the fresh one', async ({ expect }) => {
    const f = await fixture();
    const half = await ghostJSON<TaskJSON[]>(['cleanup', '--days', '0.5'], { dataDir: f.dataDir });
    expect(ids(...half)).toEqual(ids(f.oldExited, f.oldKilled, f.recentFailed));
    const zero = await ghostJSON<TaskJSON[]>(['cleanup', '--days', '0'], { dataDir: f.dataDir });
    expect(ids(...zero)).toEqual(ids(f.fresh));
    expect(await remainingIds(f.dataDir)).toEqual(ids(f.running));
    expectRunningUntouched(f);
  });

  it.concurrent('--all deletes every ended task but never a running one, however old', async ({ expect }) => {
    const f = await fixture();
    const result = await ghostOk(['cleanup', '--all'], { dataDir: f.dataDir });
    expect(result.stdout.split('\n')[0]).toBe('deleted 4 tasks');
    expect(result.stdout).not.toContain('running');
    expect(await remainingIds(f.dataDir)).toEqual(ids(f.running));
    for (const task of [f.oldExited, f.oldKilled, f.recentFailed, f.fresh]) expect(existsSync(task.log_path)).toBe(false);
    expectRunningUntouched(f);
    expect((await taskStatus(f.dataDir, f.running.id)).status).toBe('running');
  });

  it.concurrent('--status limits cleanup to one status', async ({ expect }) => {
    const f = await fixture();
    const killed = await ghostJSON<TaskJSON[]>(['cleanup', '--all', '--status', 'killed'], { dataDir: f.dataDir });
    expect(ids(...killed)).toEqual(ids(f.oldKilled));
    const exited = await ghostJSON<TaskJSON[]>(['cleanup', '--status', 'exited'], { dataDir: f.dataDir });
    expect(ids(...exited)).toEqual(ids(f.oldExited));
    expect(await remainingIds(f.dataDir)).toEqual(ids(f.recentFailed, f.fresh, f.running));
    expectRunningUntouched(f);
  });

  it.concurrent('--dry-run reports what would go and deletes nothing', async ({ expect }) => {
    const f = await fixture();
    const before = await listTasks(f.dataDir);
    const plain = await ghostOk(['cleanup', '--all', '--dry-run'], { dataDir: f.dataDir });
    expect(plain.stdout.split('\n')[0]).toBe('would delete 4 tasks');
    const json = await ghostJSON<TaskJSON[]>(['cleanup', '--all', '--dry-run'], { dataDir: f.dataDir });
    expect(ids(...json)).toEqual(ids(f.oldExited, f.oldKilled, f.recentFailed, f.fresh));
    expect(await listTasks(f.dataDir)).toEqual(before);
    for (const task of before) expect(existsSync(task.log_path)).toBe(true);
  });

  it.concurrent('--json prints the deleted tasks as task objects', async ({ expect }) => {
    const f = await fixture();
    const result = await ghost(['cleanup', '--json'], { dataDir: f.dataDir });
    expect(result.exitCode).toBe(0);
    const removed = JSON.parse(result.stdout) as TaskJSON[];
    expect(ids(...removed)).toEqual(ids(f.oldExited, f.oldKilled));
    for (const task of removed) expectTaskShape(task);
    expect(removed.find((task) => task.id === f.oldExited.id)).toEqual(f.oldExited);
    const none = await ghostJSON<TaskJSON[]>(['cleanup'], { dataDir: f.dataDir });
    expect(none).toEqual([]);
  });

  it.concurrent('deletes a task whose end was never recorded (unknown)', async ({ expect }) => {
    const dataDir = makeDataDir();
    const id = await startTask(dataDir, ['sleep', '300']);
    const task = await taskStatus(dataDir, id);
    process.kill(task.pgid!, 'SIGKILL');
    process.kill(task.pid!, 'SIGKILL');
    expect((await waitUntilEnded(dataDir, id)).status).toBe('unknown');
    const removed = await ghostJSON<TaskJSON[]>(['cleanup', '--all', '--status', 'unknown'], { dataDir });
    expect(ids(...removed)).toEqual([id]);
    expect(existsSync(task.log_path)).toBe(false);
    expect(await listTasks(dataDir)).toEqual([]);
  });
});

describe('cleanup and stored environments', () => {
  it('deleting a task deletes its stored environment', async () => {
    const dataDir = makeDataDir();
    const unique = `${process.pid}-${Date.now()}`;
    const keptSecret = `kept-secret-${unique}`;
    const goneSecret = `gone-secret-${unique}`;
    const kept = await startTask(dataDir, ['true'], { env: { KEPT_SECRET: keptSecret } });
    const id = await startTask(dataDir, ['true'], { env: { SECRET_TOKEN: goneSecret } });
    await waitUntilEnded(dataDir, id);
    await waitUntilEnded(dataDir, kept);
    patchTask(dataDir, id, { status: 'killed', signal: 'SIGTERM', exit_code: null });
    // ghost keeps environments (by design); look in every table, whatever the schema.
    expect(databaseText(dataDir)).toContain(keptSecret);
    expect(databaseText(dataDir)).toContain(goneSecret);
    await ghostOk(['cleanup', '--all', '--status', 'killed'], { dataDir });
    expect((await listTasks(dataDir)).map((task) => task.id)).toEqual([kept]);
    expect(databaseText(dataDir)).toContain(keptSecret);
    expect(databaseText(dataDir)).not.toContain(goneSecret);
  });
});

/** Every row of every table, as text. */
function databaseText(dataDir: string): string {
  return withTasksDb(dataDir, (db) => {
    const tables = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).all() as { name: string }[];
    return tables.map(({ name }) => JSON.stringify(db.prepare(`SELECT * FROM "${name}"`).all())).join('\n');
  });
}

describe('cleanup of files no row knows', () => {
  it('removes logs and journals a killed ghost left behind, once they are old, and never a running run\'s', async () => {
    const dataDir = makeDataDir();
    const running = await startTask(dataDir, ['sleep', '30']);
    const [liveJournal] = readdirSync(join(dataDir, 'journal'));
    // What a `ghost run` SIGKILLed between its launch and its record leaves: a log and a
    // journal that no row refers to. Old ones go; a fresh one may belong to a launch in flight.
    const orphanLog = join(dataDir, 'logs', `${randomUUID()}.log`);
    const orphanJournal = join(dataDir, 'journal', randomUUID());
    const freshJournal = join(dataDir, 'journal', randomUUID());
    writeFileSync(orphanLog, 'partial output\n');
    writeFileSync(orphanJournal, 'ghost-supervisor 1 999999\nexited 125\n');
    writeFileSync(freshJournal, 'ghost-supervisor 1 999998\n');
    const hourAgo = (Date.now() - 60 * 60 * 1000) / 1000;
    for (const file of [orphanLog, orphanJournal, join(dataDir, 'journal', liveJournal!)]) utimesSync(file, hourAgo, hourAgo);
    await ghostOk(['cleanup'], { dataDir });
    expect(existsSync(orphanLog)).toBe(false);
    expect(existsSync(orphanJournal)).toBe(false);
    expect(existsSync(freshJournal)).toBe(true);
    expect(existsSync(join(dataDir, 'journal', liveJournal!))).toBe(true);
    expect(await taskStatus(dataDir, running)).toMatchObject({ status: 'running' });
    expect(existsSync((await taskStatus(dataDir, running)).log_path)).toBe(true);
  });
});
