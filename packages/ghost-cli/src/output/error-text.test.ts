import { GhostError } from '@ghost/core';
import { describe, expect, it } from 'vitest';
import { RUN_USAGE, errorLine } from './error-text.js';

const web = { id: '3f2a9c1b-0000-4000-8000-000000000001', name: 'web' };
const bare = { id: '3f2a77d0-0000-4000-8000-000000000002', name: null };

describe('errorLine', () => {
  it("adds the CLI's hint for a code to core's words", () => {
    expect(errorLine(new GhostError('TASK_NOT_FOUND', 'no task matches "x"', { details: { ref: 'x' } }))).toBe('no task matches "x" (see ghost list)');
    // Not a reference that failed: nothing to look up in the list.
    expect(errorLine(new GhostError('TASK_NOT_FOUND', 'task 3f2a9c1b was removed while waiting', { details: { id: web.id } }))).toBe(
      'task 3f2a9c1b was removed while waiting',
    );
    const ambiguous = new GhostError('TASK_AMBIGUOUS', '"3f2a" matches several tasks', { details: { ref: '3f2a', candidates: [web, bare], more: true } });
    expect(errorLine(ambiguous)).toBe('"3f2a" matches several tasks: 3f2a9c1b (web), 3f2a77d0, …; use more of the id');
    expect(errorLine(new GhostError('INVALID_ARGUMENT', 'no command given', { details: { argument: 'command' } }))).toBe(`no command given (${RUN_USAGE})`);
  });

  it('says what to do about a running task by the command that met it', () => {
    const running = new GhostError('TASK_RUNNING', 'task 3f2a9c1b (web) is running', { details: { ...web, status: 'running' } });
    expect(errorLine(running, 'rm')).toBe('task 3f2a9c1b (web) is running (stop it first: ghost stop web)');
    expect(errorLine(running, 'start')).toBe('task 3f2a9c1b (web) is running (restart it: ghost restart web)');
    const unnamed = new GhostError('TASK_RUNNING', 'task 3f2a77d0 is running', { details: bare });
    expect(errorLine(unnamed, 'rm')).toBe('task 3f2a77d0 is running (stop it first: ghost stop 3f2a77d0)');
    const cleanup = new GhostError('INVALID_ARGUMENT', 'running tasks are never cleaned up', { details: { argument: 'status', value: 'running' } });
    expect(errorLine(cleanup, 'cleanup')).toBe('running tasks are never cleaned up (stop them first: ghost stop --all)');
  });

  it('names every reference of several that did not resolve, and the list once', () => {
    const error = new GhostError('TASK_NOT_FOUND', 'no task matches "a"; "3f2a" matches several tasks', {
      details: {
        ref: 'a',
        unresolved: [
          { ref: 'a', code: 'TASK_NOT_FOUND', message: 'no task matches "a"' },
          { ref: '3f2a', code: 'TASK_AMBIGUOUS', message: '"3f2a" matches several tasks', candidates: [web, bare], more: false },
        ],
      },
    });
    expect(errorLine(error)).toBe('no task matches "a"; "3f2a" matches several tasks: 3f2a9c1b (web), 3f2a77d0; use more of the id (see ghost list)');
  });

  it('escapes what the message and the hint echo, and offers a known fix', () => {
    const evil = { id: web.id, name: 'web\x1b]52;c;x\x07' };
    expect(errorLine(new GhostError('TASK_RUNNING', 'task is running', { details: evil }), 'rm')).toBe('task is running (stop it first: ghost stop web\\e]52;c;x\\x07)');
    expect(errorLine(new GhostError('DATA_DIR_UNSAFE', 'data directory /d is world-writable', { details: { fix: ['chmod', '700', '/d'] } }))).toBe(
      'data directory /d is world-writable (run: chmod 700 /d)',
    );
    expect(errorLine(new Error('boom\nstack'))).toBe('boom');
  });
});
