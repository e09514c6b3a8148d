import { describe, expect, it } from 'vitest';
import { fakeTask, manyTasks } from '../test-support/tasks.js';
import { displayWidth } from '../text/width.js';
import { COLUMNS, computeLayout, rowLine } from './task-table.js';

const plain = (tagged: string) => tagged.replace(/\{\/?[a-z-]+\}/g, '');

describe('computeLayout', () => {
  it.each([80, 100, 120, 200])('fills exactly %i columns', (width) => {
    const layout = computeLayout(manyTasks(50), width);
    const total = COLUMNS.reduce((sum, column) => sum + layout.widths[column], 0) + layout.gap * (COLUMNS.length - 1);
    expect(total).toBe(width);
    const line = plain(rowLine(manyTasks(1)[0]!, layout, Date.now()));
    expect(displayWidth(line)).toBe(width);
  });

  it('gives short commands and paths what they need and the rest to the last column', () => {
    const layout = computeLayout([fakeTask({ name: 'api', command: ['make'], cwd: '/x' })], 120);
    expect(layout.widths.name).toBe(4);
    expect(layout.widths.command).toBe(7);
    expect(layout.widths.cwd).toBeGreaterThan(40);
  });

  it('keeps the end of a long working directory, where paths differ', () => {
    const task = fakeTask({ cwd: '/very/long/path/to/some/project/that/does/not/fit/anywhere/near/80/columns/my-service' });
    const line = plain(rowLine(task, computeLayout([task], 80), Date.now()));
    expect(line.trimEnd()).toMatch(/…[\w/-]*my-service$/);
  });

  it('shows an action in flight in place of the status', () => {
    const task = fakeTask();
    expect(plain(rowLine(task, computeLayout([task], 80), Date.now(), { pending: 'stopping…' }))).toContain('stopping…');
  });
});
