import { tempDir } from '@ghost/test-support';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { rawDatabase } from '../test-support/store.js';
import { SCHEMA_VERSION } from './migrations.js';
import { openDatabase } from './open.js';


describe('openDatabase', () => {
  it('creates a private WAL database at the current schema version', () => {
    const file = join(tempDir(), 'tasks.db');
    const db = openDatabase(file);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(db.pragma('busy_timeout', { simple: true })).toBeGreaterThanOrEqual(1000);
    const columns = (db.pragma('table_info(tasks)') as { name: string }[]).map((column) => column.name);
    // A task says what it is; its runs say what happened.
    expect(columns).toEqual(['id', 'name', 'command', 'cwd', 'log_path', 'description', 'run', 'reuse_key', 'policy', 'project', 'service', 'service_digest', 'seq']);
    const runColumns = (db.pragma('table_info(runs)') as { name: string }[]).map((column) => column.name);
    expect(runColumns).toEqual(
      expect.arrayContaining(['task_id', 'run', 'launch_id', 'pid', 'pgid', 'pid_start', 'supervisor_start', 'status',
        'exit_code', 'signal', 'reason', 'stop_signal', 'log_offset', 'started_at', 'finished_at', 'attempt', 'restart_at']),
    );
    // Environments are kept apart from task rows.
    expect((db.pragma('table_info(task_env)') as { name: string }[]).map((column) => column.name)).toEqual(['task_id', 'env']);
    const indexes = (db.pragma('index_list(tasks)') as { name: string }[]).map((index) => index.name);
    expect(indexes).toEqual(expect.arrayContaining(['tasks_by_name', 'tasks_by_cwd', 'tasks_by_reuse_key']));
    expect((db.pragma('index_list(runs)') as { name: string }[]).map((index) => index.name)).toContain('runs_one_running');
    db.close();
    // Reopening an up-to-date database changes nothing.
    openDatabase(file).close();
  });

  it('refuses a database written by a newer ghost, naming both versions', () => {
    const file = join(tempDir(), 'tasks.db');
    const raw = rawDatabase(file);
    raw.pragma('user_version = 999');
    raw.close();
    expect(() => openDatabase(file)).toThrow(/schema version 999, newer than this ghost understands \(\d+\); upgrade ghost/);
  });

  it('says so when the file is not a database', () => {
    const file = join(tempDir(), 'tasks.db');
    writeFileSync(file, 'this is not sqlite, just text that is long enough to have a header........');
    expect(() => openDatabase(file)).toThrow(/cannot open database .*: not a ghost database/);
  });

  it('says why when the directory cannot hold a database', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'file'), '');
    expect(() => openDatabase(join(dir, 'file', 'tasks.db'))).toThrow(/cannot open database .*: not a directory/);
  });
});
