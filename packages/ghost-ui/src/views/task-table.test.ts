import { describe, expect, it } from 'vitest';
import { fakeTask, manyTasks } from '../test-support/tasks.js';
import { setColorsEnabled } from '../text/colors.js';
import { displayWidth } from '../text/width.js';
import { projectSummaries } from '@ghost/core';
import { COLUMNS, computeLayout, headerLine, projectLine, rowLine } from './task-table.js';

const plain = (tagged: string) => tagged.replace(/\{\/?[a-z-]+\}/g, '');

describe('computeLayout', () => {
  it.each([80, 100, 120, 200])('fills exactly %i columns', (width) => {
    const layout = computeLayout(manyTasks(50), width);
    const shown = COLUMNS.filter((column) => layout.widths[column] > 0);
    const total = shown.reduce((sum, column) => sum + layout.widths[column], 0) + layout.gap * (shown.length - 1);
    expect(total).toBe(width);
    const line = plain(rowLine(manyTasks(1)[0]!, layout, Date.now()));
    expect(displayWidth(line)).toBe(width);
  });

  it('gives short commands and paths what they need and the rest to the last column', () => {
    const layout = computeLayout([fakeTask({ name: 'api', command: ['make'], cwd: '/x' })], 120);
    expect(layout.widths.name).toBe(4);
    expect(layout.widths.command).toBe(7);
    expect(layout.widths.cwd).toBeGreaterThan(30);
  });

  it('shows restarts only when some task has a restart policy, and a task waiting to restart as such', () => {
    const plainTask = fakeTask();
    expect(plain(headerLine(computeLayout([plainTask], 160)))).not.toContain('RESTARTS');
    const waiting = fakeTask({
      status: 'restarting',
      exitCode: 1,
      restartPolicy: 'on-failure',
      restarts: 3,
      restartAt: new Date(Date.now() + 4_000),
      finishedAt: new Date(),
    });
    const layout = computeLayout([plainTask, waiting], 160);
    expect(plain(headerLine(layout))).toMatch(/STATUS +RESTARTS +PID/);
    const row = plain(rowLine(waiting, layout, Date.now()));
    expect(row).toMatch(/restarting in \d\.\ds \(exited 1\) +3 /);
    expect(plain(rowLine(plainTask, layout, Date.now()))).toMatch(/running +- /);
  });

  it('shows the health in its own column when some task has a health check, not in the status', () => {
    const plainTask = fakeTask();
    expect(plain(headerLine(computeLayout([plainTask], 160)))).not.toContain('HEALTH');
    const healthy = fakeTask({ health: 'healthy', healthAt: new Date() });
    const unhealthy = fakeTask({ health: 'unhealthy', healthAt: new Date() });
    const starting = fakeTask({ health: 'starting' });
    const tasks = [plainTask, healthy, unhealthy, starting];
    const layout = computeLayout(tasks, 160);
    expect(plain(headerLine(layout))).toMatch(/STATUS +HEALTH +PID/);
    expect(plain(rowLine(healthy, layout, Date.now()))).toMatch(/ running +healthy +\d+ /);
    expect(plain(rowLine(unhealthy, layout, Date.now()))).toMatch(/ running +unhealthy +\d+ /);
    expect(plain(rowLine(starting, layout, Date.now()))).toMatch(/ running +starting +\d+ /);
    expect(plain(rowLine(plainTask, layout, Date.now()))).toMatch(/ running +\d+ /);
    expect(plain(rowLine(healthy, layout, Date.now()))).not.toContain('(healthy)');
  });

  it('colours the health, and not without colour', () => {
    const healthy = fakeTask({ health: 'healthy', healthAt: new Date() });
    const unhealthy = fakeTask({ health: 'unhealthy', healthAt: new Date() });
    const layout = computeLayout([healthy, unhealthy], 160);
    expect(rowLine(healthy, layout, Date.now())).toMatch(/\{green-fg\}healthy +\{\/green-fg\}/);
    expect(rowLine(unhealthy, layout, Date.now())).toMatch(/\{red-fg\}unhealthy\{\/red-fg\}/);
    setColorsEnabled(false);
    try {
      expect(rowLine(unhealthy, layout, Date.now())).not.toContain('-fg}');
    } finally {
      setColorsEnabled(true);
    }
  });

  it('drops the health column whole on a narrow terminal, and the status says the health instead', () => {
    const healthy = fakeTask({ health: 'healthy', healthAt: new Date(), cpuPercent: 1, memoryBytes: 1024 });
    const layout = computeLayout([healthy], 80);
    expect(layout.widths.health).toBe(0);
    expect(plain(headerLine(layout))).not.toContain('HEALTH');
    const row = plain(rowLine(healthy, layout, Date.now()));
    expect(row).toMatch(/ running \(healthy\) +\d+ /);
    expect(displayWidth(row)).toBe(80);
    expect(computeLayout([healthy], 120).widths.health).toBe(9);
  });

  it('keeps the end of a long working directory, where paths differ', () => {
    const task = fakeTask({ cwd: '/very/long/path/to/some/project/that/does/not/fit/anywhere/near/80/columns/my-service' });
    const line = plain(rowLine(task, computeLayout([task], 80), Date.now()));
    expect(line.trimEnd()).toMatch(/…[\w/-]*my-service$/);
  });

  it('shows CPU and memory of running tasks, and drops those columns whole where they do not fit', () => {
    const running = fakeTask({ cpuPercent: 99.5, memoryBytes: 5 * 1024 * 1024 });
    const ended = fakeTask({ status: 'exited', exitCode: 0, finishedAt: new Date() });
    const wide = computeLayout([running, ended], 120);
    expect(plain(headerLine(wide))).toMatch(/PID +CPU +MEM +STARTED/);
    expect(plain(rowLine(running, wide, Date.now()))).toMatch(/ 99\.5% +5\.0 MiB /);
    expect(plain(rowLine(ended, wide, Date.now()))).toMatch(/ - +- +/);
    const narrow = computeLayout([running], 80);
    expect(narrow.widths).toMatchObject({ started: 0, mem: 0, cpu: 6 });
    expect(plain(headerLine(narrow))).not.toContain('MEM');
    expect(computeLayout([running], 60).widths).toMatchObject({ started: 0, mem: 0, cpu: 0 });
  });

  it('drops the working directory whole rather than cut it to a few cells, and gives its room to the command', () => {
    const task = fakeTask({ name: 'web', command: ['npm', 'run', 'dev', '--port', '80'], cwd: '/home/me/src/projects/ghost-ui-dashboard-experimental' });
    const layout = computeLayout([task], 60);
    expect(layout.widths.cwd).toBe(0);
    expect(plain(headerLine(layout))).not.toContain('CWD');
    const row = plain(rowLine(task, layout, Date.now()));
    expect(row).toMatch(/ npm run dev --port 80 *$/);
    expect(displayWidth(row)).toBe(60);
    // Where it fits, even cut from the start, it stays.
    expect(computeLayout([task], 100).widths.cwd).toBeGreaterThanOrEqual(12);
  });

  it('words a run ended by a stop as a stop, uncoloured, and a kill or a crash as before', () => {
    const stopped = fakeTask({ status: 'killed', signal: 'SIGTERM', reason: 'stopped', finishedAt: new Date() });
    const politely = fakeTask({ status: 'exited', exitCode: 0, reason: 'stopped', finishedAt: new Date() });
    const killed = fakeTask({ status: 'killed', signal: 'SIGKILL', finishedAt: new Date() });
    const layout = computeLayout([stopped, politely, killed], 120);
    expect(rowLine(stopped, layout, Date.now())).toMatch(/ stopped \(SIGTERM\) /);
    expect(rowLine(stopped, layout, Date.now())).not.toContain('-fg}stopped');
    expect(plain(rowLine(politely, layout, Date.now()))).toMatch(/ stopped \(exited 0\) /);
    expect(rowLine(killed, layout, Date.now())).toContain('{yellow-fg}killed SIGKILL');
  });

  it('shows an action in flight in place of the status', () => {
    const task = fakeTask();
    expect(plain(rowLine(task, computeLayout([task], 80), Date.now(), { pending: 'stopping…' }))).toContain('stopping…');
  });
});

describe('projectLine', () => {
  const [summary] = projectSummaries([
    fakeTask({ project: 'shop', service: 'db', health: 'unhealthy' }),
    fakeTask({ project: 'shop', service: 'migrate', status: 'exited', exitCode: 0 }),
  ]);

  it("reads as the project's fold marker, name, state and counts, exactly as wide as the list", () => {
    const line = plain(projectLine(summary!, 80));
    expect(line).toMatch(/^▾ shop  degraded  2 services · 1 running · 1 completed · 1 failing\s+$/);
    expect(displayWidth(line)).toBe(80);
    expect(plain(projectLine(summary!, 80, { folded: true, pending: 'down…' }))).toMatch(/^▸ shop  down… /);
  });

  it('cuts the counts first, then the state, on a narrow list', () => {
    expect(plain(projectLine(summary!, 20))).toBe('▾ shop  degraded  2…');
    expect(displayWidth(plain(projectLine(summary!, 10)))).toBe(10);
    expect(plain(projectLine(summary!, 4))).toBe('▾ s…');
  });
});
