// Schema 7: tasks of a version-6 database become plain tasks (no project, no service), and
// the new index keeps one task per (project, service).
import { tempDir } from '@ghost/test-support';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS, SCHEMA_VERSION } from '../db/migrations.js';
import { openDatabase } from '../db/open.js';
import { rawDatabase } from '../test-support/store.js';

describe('migration 7', () => {
  it('keeps the tasks of a version-6 database as plain tasks, and allows one task per project and service', () => {
    const file = join(tempDir(), 'tasks.db');
    const v6 = rawDatabase(file);
    for (const migration of MIGRATIONS.slice(0, 6)) migration(v6);
    v6.pragma('user_version = 6');
    v6.prepare(`INSERT INTO tasks (id, name, command, cwd, log_path, run) VALUES ('a1', 'old', '["true"]', '/', '/l', 1)`).run();
    v6.prepare(`INSERT INTO runs (task_id, run, status, started_at) VALUES ('a1', 1, 'exited', '2026-01-01T00:00:00.000Z')`).run();
    v6.close();
    const db = openDatabase(file);
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(db.prepare('SELECT id, name, project, service, service_digest FROM tasks').get()).toEqual({
      id: 'a1',
      name: 'old',
      project: null,
      service: null,
      service_digest: null,
    });
    const insert = db.prepare(`INSERT INTO tasks (id, command, cwd, log_path, project, service) VALUES (?, '["x"]', '/', '/l', ?, ?)`);
    insert.run('b1', 'shop', 'db');
    insert.run('b2', 'other', 'db');
    // Plain tasks of a project are not services: any number of them.
    insert.run('b3', 'shop', null);
    insert.run('b4', 'shop', null);
    expect(() => insert.run('b5', 'shop', 'db')).toThrow(/UNIQUE constraint failed: tasks.project, tasks.service/);
    db.close();
  });
});
