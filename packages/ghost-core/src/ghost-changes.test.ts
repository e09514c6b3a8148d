// listChanges: a viewer that holds every task re-reads only what changed, whoever changed it.
import { tempDir } from '@ghost/test-support';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Ghost } from './ghost.js';
import { openGhost, waitForEnd } from './test-support/ghosts.js';
import type { Task } from './tasks/types.js';

import { mergeTaskChanges as merge } from './tasks/task-changes.js';

const ids = (tasks: readonly Task[]) => tasks.map((task) => `${task.id}:${task.run}:${task.status}`).sort();

describe('listChanges', () => {
  it('answers with everything first, then only what was added, changed or removed from anywhere', async () => {
    const dataDir = join(tempDir(), 'ghost');
    const viewer = openGhost(dataDir);
    const other = openGhost(dataDir);
    const old = await other.run({ command: ['true'], name: 'old' });
    await waitForEnd(other, old.id);

    const first = viewer.listChanges();
    expect(first).toMatchObject({ full: true, removed: [] });
    expect(ids(first.tasks)).toEqual(ids(viewer.list()));
    expect(viewer.listChanges(first.cursor)).toEqual({ cursor: first.cursor, full: false, tasks: [], removed: [] });

    const web = await other.run({ command: ['sleep', '60'], name: 'web' });
    const added = viewer.listChanges(first.cursor);
    expect(added.tasks.map((task) => [task.name, task.status])).toEqual([['web', 'running']]);
    expect(added.cursor).toBeGreaterThan(first.cursor);

    await other.stop(web.id);
    const stopped = viewer.listChanges(added.cursor);
    expect(stopped.tasks.map((task) => [task.name, task.status, task.signal])).toEqual([['web', 'killed', 'SIGTERM']]);

    await other.restart(web.id);
    const restarted = viewer.listChanges(stopped.cursor);
    expect(restarted.tasks.map((task) => [task.name, task.run, task.status])).toEqual([['web', 2, 'running']]);

    other.remove(old.id);
    const removed = viewer.listChanges(restarted.cursor);
    expect(removed).toMatchObject({ full: false, tasks: [], removed: [old.id] });

    // A cursor this database cannot answer for (another database's, or garbage): everything.
    expect(viewer.listChanges(removed.cursor + 1_000).full).toBe(true);
    expect(viewer.listChanges(-5).full).toBe(true);
  });

  it('reports an end that only the supervisor recorded, once reconciled', async () => {
    const viewer = openGhost();
    const task = await viewer.run({ command: ['sh', '-c', 'sleep 0.2; exit 4'] });
    const { cursor } = viewer.listChanges();
    await waitForEnd(viewer, task.id);
    // waitForEnd read it through status(): the end is recorded, and the next call reports it.
    const ended = viewer.listChanges(cursor);
    expect(ended.tasks.map((each) => [each.id, each.status, each.exitCode])).toEqual([[task.id, 'exited', 4]]);
  });

  it('keeps a viewer equal to list() while other processes change tasks at the same time', async () => {
    const dataDir = join(tempDir(), 'ghost');
    const viewer = openGhost(dataDir);
    const writers: Ghost[] = [openGhost(dataDir), openGhost(dataDir)];
    let { cursor, tasks: held } = viewer.listChanges();
    const work = writers.map(async (writer, w) => {
      for (let i = 0; i < 6; i++) {
        const task = await writer.run({ command: ['sleep', '60'], name: `w${w}-${i}` });
        if (i % 2 === 0) await writer.stop(task.id);
        if (i % 3 === 0) await writer.restart(task.id);
        if (i === 4) writer.remove(task.id);
      }
    });
    let polling = true;
    const poller = (async () => {
      while (polling) {
        const changes = viewer.listChanges(cursor);
        held = merge(held, changes);
        cursor = changes.cursor;
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    })();
    await Promise.all(work);
    polling = false;
    await poller;
    held = merge(held, viewer.listChanges(cursor));
    // The same tasks in the same order as list() (ties in start time aside, which list breaks by insertion).
    const listed = viewer.list();
    expect(ids(held)).toEqual(ids(listed));
    expect(held.map((task) => task.startedAt.getTime())).toEqual(listed.map((task) => task.startedAt.getTime()));
    expect(held).toHaveLength(10);
  });
});
