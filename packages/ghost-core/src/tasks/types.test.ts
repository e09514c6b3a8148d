import { describe, expect, it } from 'vitest';
import { endedInFailure } from './types.js';

describe('endedInFailure', () => {
  const end = (status: 'running' | 'restarting' | 'exited' | 'killed' | 'unknown', exitCode: number | null = null, reason: string | null = null) => ({ status, exitCode, reason });

  it('is a non-zero exit, an unknown end, or an end for a recorded reason', () => {
    expect(endedInFailure(end('exited', 1))).toBe(true);
    expect(endedInFailure(end('unknown'))).toBe(true);
    expect(endedInFailure(end('killed', null, 'out_of_memory'))).toBe(true);
    expect(endedInFailure(end('exited', 0, 'restart_limit'))).toBe(true);
  });

  it('is not a clean exit, a stop, nor a task that runs or waits to restart', () => {
    expect(endedInFailure(end('exited', 0))).toBe(false);
    expect(endedInFailure(end('killed'))).toBe(false);
    expect(endedInFailure(end('running'))).toBe(false);
    expect(endedInFailure(end('restarting', 1))).toBe(false);
  });
});
