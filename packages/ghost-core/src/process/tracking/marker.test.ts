import { waitFor } from '@ghost/test-support';
import { spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { MARKER_VARIABLE, markedProcesses, markerIn } from './marker.js';

describe('markerIn', () => {
  it("finds the variable's value anywhere in an environment block, and only the variable", () => {
    expect(markerIn(`${MARKER_VARIABLE}=a\0B=c\0`)).toBe('a');
    expect(markerIn(`B=c\0${MARKER_VARIABLE}=x-1\0`)).toBe('x-1');
    expect(markerIn(`B=c\0${MARKER_VARIABLE}=end`)).toBe('end');
    expect(markerIn(`NOT_${MARKER_VARIABLE}=a\0`)).toBeNull();
    expect(markerIn('')).toBeNull();
  });
});

describe.runIf(process.platform === 'linux')('markedProcesses', () => {
  const started: number[] = [];
  afterEach(() => {
    for (const pid of started.splice(0)) process.kill(pid, 'SIGKILL');
  });

  it('finds the processes that carry a marker, also after they changed their environment', async () => {
    const marker = `test-${process.pid}-${Date.now()}`;
    const child = spawn('/bin/sh', ['-c', 'unset OTHER; export NEW=1; exec sleep 30'], {
      env: { PATH: process.env.PATH, OTHER: '1', [MARKER_VARIABLE]: marker },
      stdio: 'ignore',
    });
    started.push(child.pid!);
    const found = await waitFor(() => markedProcesses(new Set([marker, 'absent'])).get(marker));
    expect(found).toEqual([child.pid]);
    expect(markedProcesses(new Set(['absent'])).size).toBe(0);
  });
});
