import { GhostError } from '@ghost/core';
import { describe, expect, it } from 'vitest';
import { errorLine } from './error-text.js';

const web = { id: '3f2a9c1b-0000-4000-8000-000000000001', name: 'web' };
const bare = { id: '3f2a77d0-0000-4000-8000-000000000002', name: null };

describe('errorLine', () => {
  it("gives core's message with this server's words: tools, not commands, and full ids", () => {
    expect(errorLine(new GhostError('TASK_NOT_FOUND', 'no task matches "x"', { details: { ref: 'x' } }))).toBe(
      'no task matches "x" (the list tool shows every task)',
    );
    expect(errorLine(new GhostError('TASK_AMBIGUOUS', '"3f2a" matches several tasks', { details: { ref: '3f2a', candidates: [web, bare] } }))).toBe(
      `"3f2a" matches several tasks: ${web.id} (web), ${bare.id}; give a full id or more of one`,
    );
    const several = new GhostError('TASK_NOT_FOUND', 'no task matches "a"; no task matches "b"', {
      details: {
        unresolved: [
          { ref: 'a', code: 'TASK_NOT_FOUND', message: 'no task matches "a"' },
          { ref: 'b', code: 'TASK_NOT_FOUND', message: 'no task matches "b"' },
        ],
      },
    });
    expect(errorLine(several)).toBe('no task matches "a"; no task matches "b" (the list tool shows every task)');
    expect(errorLine(new GhostError('COMMAND_NOT_FOUND', 'command not found: x'))).toBe('command not found: x');
    expect(errorLine(new Error('first\nsecond'))).toBe('first');
  });
});
