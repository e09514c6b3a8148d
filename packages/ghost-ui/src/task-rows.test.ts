import type { Task } from '@ghost/core';
import { describe, expect, it } from 'vitest';
import { HEADER, taskRows } from './task-rows.js';

const base: Task = {
  id: '3f2a9c1b-0000-4000-8000-000000000000',
  name: 'web',
  pid: 4321,
  pgid: 4320,
  command: ['npm', 'run', 'dev'],
  cwd: '/srv',
  status: 'running',
  exitCode: null,
  signal: null,
  startedAt: new Date(0),
  finishedAt: null,
  logPath: '/tmp/x.log',
};

describe('taskRows', () => {
  it('shows one cell per header column, in order', () => {
    const [row] = taskRows([base], 65_000);
    expect(row).toEqual(['3f2a9c1b', 'web', 'running', '4321', '1m ago', '1m05s', 'npm run dev']);
    expect(row).toHaveLength(HEADER.length);
  });

  it('shows how ended tasks ended, and dashes for what is missing', () => {
    const [row] = taskRows(
      [{ ...base, name: null, pid: null, status: 'killed', signal: 'SIGTERM', finishedAt: new Date(2_000) }],
      10_000,
    );
    expect(row).toEqual(['3f2a9c1b', '-', 'killed SIGTERM', '-', '10s ago', '2.0s', 'npm run dev']);
  });
});
