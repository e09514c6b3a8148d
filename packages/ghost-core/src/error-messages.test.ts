// Core speaks data: every error it throws carries a code and the facts (details) a front end
// needs to say what to do next, and its message says what is wrong in words, with no front
// end's syntax. Each case below makes core fail for real, as a person or a program could.
import { tempDir } from '@ghost/test-support';
import { chmodSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { openDatabase } from './db/open.js';
import { TaskStore } from './db/task-store.js';
import { GhostError, type GhostErrorCode, isGhostError } from './errors.js';
import { Ghost } from './ghost.js';
import { openGhost, waitForEnd } from './test-support/ghosts.js';
import { taskRow } from './test-support/store.js';

/** What only a command line says: a ghost command, an option, a usage line. */
const CLI_SYNTAX = [
  /\bghost\s+(?:run|start|stop|restart|list|ls|status|logs?|wait|kill|rm|cleanup|ports|events|runs|ui|mcp|doctor|completion)\b/,
  /(?:^|[\s(])--?[a-z]/i,
  /\busage\b/i,
  /\(ghost\b/,
];

// db/open.ts's errors say which database in their message; their details come with its owner's next change.
const DETAILS_NOT_YET = new Set<GhostErrorCode>(['DATABASE_TOO_NEW', 'DATABASE_UNUSABLE']);

describe('core error messages', () => {
  it('name no CLI syntax, and every error carries its facts as details', async () => {
    const ghost = openGhost();
    const running = await ghost.run({ command: ['sleep', '30'], name: 'busy' });
    const ended = await ghost.run({ command: ['true'], name: 'done' });
    await waitForEnd(ghost, ended.id);
    const noLog = await ghost.run({ command: ['true'] });
    await waitForEnd(ghost, noLog.id);
    rmSync(noLog.logPath);
    // Two tasks whose ids share a prefix, written as another ghost process would have.
    const db = openDatabase(ghost.paths.database);
    const store = new TaskStore(db);
    for (const id of ['abcd0001-0000-4000-8000-000000000001', 'abcd0002-0000-4000-8000-000000000002']) store.insert(taskRow({ id }));
    db.close();
    const notExecutable = join(tempDir(), 'script');
    writeFileSync(notExecutable, 'echo hi\n', { mode: 0o644 });

    const cases: { code: GhostErrorCode; act: () => unknown }[] = [
      { code: 'TASK_NOT_FOUND', act: () => ghost.status('no-such-task') },
      { code: 'TASK_AMBIGUOUS', act: () => ghost.status('abcd') },
      { code: 'INVALID_ARGUMENT', act: () => ghost.status(' ') },
      { code: 'TASK_NOT_FOUND', act: () => ghost.resolve(['busy', 'no-such-task', 'abcd']) },
      { code: 'TASK_NOT_FOUND', act: () => ghost.wait(['done', 'no-such-task']) },
      { code: 'INVALID_ARGUMENT', act: () => ghost.wait([]) },
      { code: 'INVALID_ARGUMENT', act: () => ghost.run({ command: [] }) },
      { code: 'INVALID_ARGUMENT', act: () => ghost.run({ command: ['', 'x'] }) },
      { code: 'INVALID_ARGUMENT', act: () => ghost.run({ command: ['true'], name: '\u202eevil' }) },
      { code: 'INVALID_ARGUMENT', act: () => ghost.run({ command: ['true'], description: 'a\x1b[2J' }) },
      { code: 'INVALID_ARGUMENT', act: () => ghost.run({ command: ['true'], env: { 'A=B': 'c' } }) },
      { code: 'CWD_NOT_FOUND', act: () => ghost.run({ command: ['true'], cwd: join(tempDir(), 'missing') }) },
      { code: 'COMMAND_NOT_FOUND', act: () => ghost.run({ command: ['no-such-command-for-ghost'] }) },
      { code: 'COMMAND_NOT_EXECUTABLE', act: () => ghost.run({ command: [notExecutable] }) },
      { code: 'INVALID_ARGUMENT', act: () => ghost.list({ status: 'sleeping' as never }) },
      { code: 'TASK_RUNNING', act: () => ghost.start('busy') },
      { code: 'TASK_RUNNING', act: () => ghost.remove('busy') },
      { code: 'TASK_RUNNING', act: () => ghost.removeMany(['done', 'busy']) },
      { code: 'TASK_NOT_RUNNING', act: () => ghost.kill('done') },
      { code: 'INVALID_ARGUMENT', act: () => ghost.kill('busy', 'SIGBOGUS') },
      { code: 'INVALID_ARGUMENT', act: () => ghost.stop('busy', { timeoutMs: -1 }) },
      { code: 'INVALID_ARGUMENT', act: () => ghost.cleanup({ status: 'running' }) },
      { code: 'INVALID_ARGUMENT', act: () => ghost.cleanup({ olderThanDays: -1 }) },
      { code: 'LOG_UNREADABLE', act: () => ghost.readLog(noLog.id) },
      { code: 'DATA_DIR_UNUSABLE', act: () => Ghost.open({ dataDir: notExecutable }) },
      { code: 'DATA_DIR_UNSAFE', act: () => Ghost.open({ dataDir: sharedDir() }) },
      { code: 'DATABASE_TOO_NEW', act: () => Ghost.open({ dataDir: dataDirWith((file) => setVersion(file, 999)) }) },
      { code: 'DATABASE_UNUSABLE', act: () => Ghost.open({ dataDir: dataDirWith((file) => writeFileSync(file, 'not a database at all'.repeat(100))) }) },
    ];

    const problems: string[] = [];
    for (const { code, act } of cases) {
      let error: unknown;
      try {
        await act();
      } catch (thrown) {
        error = thrown;
      }
      if (!isGhostError(error)) {
        problems.push(`${code}: expected a GhostError, got ${String(error)}`);
        continue;
      }
      if (error.code !== code) problems.push(`${code}: got ${error.code} (${error.message})`);
      for (const syntax of CLI_SYNTAX) if (syntax.test(error.message)) problems.push(`${code}: CLI syntax in "${error.message}"`);
      if (!DETAILS_NOT_YET.has(error.code) && Object.keys(error.details).length === 0) problems.push(`${code}: no details for "${error.message}"`);
    }
    expect(problems).toEqual([]);
    expect(ghost.status(running.id).status).toBe('running');
  });
});

/** A fresh data dir that is group- and world-writable (which ghost refuses). */
function sharedDir(): string {
  const dir = join(tempDir(), 'shared');
  mkdirSync(dir);
  chmodSync(dir, 0o777);
  return dir;
}

/** A data dir made by ghost whose database `change` then alters (as a newer ghost, or a disk fault, would). */
function dataDirWith(change: (database: string) => void): string {
  const dataDir = join(tempDir(), 'ghost');
  const ghost = Ghost.open({ dataDir });
  const { database } = ghost.paths;
  ghost.close();
  for (const suffix of ['-wal', '-shm']) rmSync(database + suffix, { force: true });
  change(database);
  return dataDir;
}

function setVersion(database: string, version: number): void {
  const db = openDatabase(database);
  db.pragma(`user_version = ${version}`);
  db.close();
}

describe('isGhostError', () => {
  it("knows ghost's errors from another copy of core (a bundle's), and nothing else", async () => {
    // A second copy of the module, as the CLI's bundle and the `@ghost/core/stack` bundle each have.
    vi.resetModules();
    const other = await import('./errors.js');
    const foreign = new other.GhostError('INVALID_ARGUMENT', 'from the other copy');
    expect(foreign instanceof GhostError).toBe(false);
    expect(isGhostError(foreign)).toBe(true);
    expect(isGhostError(new Error('plain'))).toBe(false);
    expect(isGhostError({ code: 'INVALID_ARGUMENT', message: 'look-alike' })).toBe(false);
  });
});
