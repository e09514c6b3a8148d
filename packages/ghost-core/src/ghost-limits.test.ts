import { describe, expect, it } from 'vitest';
import { GhostError } from './errors.js';
import { openGhost } from './test-support/ghosts.js';

describe('the system limits', () => {
  it('an argv over the system limit (ARG_MAX) fails in one clear line and records nothing', async () => {
    const ghost = openGhost();
    // 40 words of 100 KB: 4 MB, over any usual ARG_MAX (2 MB here), each word under the 128 KB per-word limit.
    const command = ['true', ...Array.from({ length: 40 }, () => 'x'.repeat(100_000))];
    const error = await ghost.run({ command }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(GhostError);
    expect((error as GhostError).code).toBe('START_FAILED');
    expect((error as GhostError).message).toMatch(/^[^\n]*argument list too long[^\n]*$/);
    expect(ghost.list()).toEqual([]);
  });
});
