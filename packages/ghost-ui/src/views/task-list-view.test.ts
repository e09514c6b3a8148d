import blessed from 'blessed';
import { describe, expect, it } from 'vitest';
import { App } from '../app.js';
import { fakeGhost } from '../test-support/fake-ghost.js';
import { fakeTask, manyTasks } from '../test-support/tasks.js';
import { virtualTerminal } from '../test-support/virtual-terminal.js';
import { setColorsEnabled } from '../text/colors.js';

/** Tasks that have all ended: the status order is then core's order, newest first. */
const endedTasks = (count: number) => manyTasks(count).map((task) => ({ ...task, status: 'exited' as const, exitCode: 0 }));

function startList(tasks = manyTasks(1_000), size?: { columns: number; rows: number }) {
  const terminal = virtualTerminal(size);
  const ghost = fakeGhost(tasks);
  const app = new App(blessed, terminal.screen, ghost, { tickMs: 60_000 });
  void app.start();
  return { terminal, ghost, app, tasks };
}

/** The row on screen that shows a task's short id, and whether it is drawn selected. */
function rowOf(terminal: ReturnType<typeof virtualTerminal>, shortId: string) {
  const y = terminal.rows().findIndex((row) => row.startsWith(shortId));
  return { y, selected: y >= 0 && terminal.cell(0, y).inverse };
}

describe('task list', () => {
  it('shows the columns that fit 80x24, newest first, with a title, a status line and the keys', () => {
    const task = fakeTask({ name: 'web', command: ['npm', 'run', 'dev'], cwd: '/srv/app', pid: 4321, cpuPercent: 12.5, memoryBytes: 1 << 20 });
    const ended = fakeTask({ name: 'build', status: 'exited', exitCode: 2, finishedAt: new Date(), pid: 99 });
    const { terminal } = startList([task, ended]);
    const rows = terminal.rows();
    expect(rows[0]).toMatch(/ghost\s+2 tasks, 1 running/);
    // STARTED and MEM are dropped whole before name, command and cwd get too narrow.
    expect(rows[1]).toMatch(/^ID\s+NAME\s+STATUS\s+PID\s+CPU\s+DURATION\s+COMMAND\s+CWD$/);
    expect(rows[2]).toMatch(new RegExp(`^${task.id.slice(0, 8)}\\s+web\\s+running\\s+4321\\s+12\\.5%\\s+1m05s\\s+npm run dev\\s+/srv/app$`));
    expect(rows[3]).toMatch(/build\s+exited 2\s+99/);
    expect(rows[23]).toContain('Enter details');
    expect(rows[23]).toContain('? help');
    expect(rows.every((row) => row.length <= 80)).toBe(true);
  });

  it('colours the status: running green, a failed exit red', () => {
    const { terminal, tasks } = startList([fakeTask(), fakeTask({ status: 'exited', exitCode: 1, finishedAt: new Date() })]);
    const x = terminal.rows()[1]!.indexOf('STATUS');
    expect(terminal.cell(x, 2).fg % 8).toBe(2); // green (selected rows are inverse, the colour stays)
    expect(terminal.cell(x, 3).fg % 8).toBe(1); // red
    expect(tasks).toHaveLength(2);
  });

  it('draws no colour when NO_COLOR is set (selection stays visible as inverse video)', () => {
    setColorsEnabled(false);
    try {
      const { terminal } = startList([fakeTask(), fakeTask({ status: 'exited', exitCode: 1, finishedAt: new Date() })]);
      const x = terminal.rows()[1]!.indexOf('STATUS');
      expect(terminal.cell(x, 2)).toMatchObject({ fg: 0x1ff, inverse: true });
      expect(terminal.cell(x, 3)).toMatchObject({ fg: 0x1ff, inverse: false });
      expect(terminal.cell(0, 23).bg).toBe(0x1ff);
    } finally {
      setColorsEnabled(true);
    }
  });

  it('draws the footer across the whole width, in colour and without', () => {
    const { terminal } = startList([fakeTask()]);
    expect(terminal.cell(79, 23).bg % 8).toBe(4); // blue, to the last column
    setColorsEnabled(false);
    try {
      const { terminal: plain } = startList([fakeTask()]);
      expect([plain.cell(0, 23).inverse, plain.cell(79, 23).inverse]).toEqual([true, true]);
    } finally {
      setColorsEnabled(true);
    }
  });

  it('says how to start a task when there are none', () => {
    const { terminal } = startList([]);
    expect(terminal.text()).toContain('No tasks yet. Start one from a shell with:  ghost run -- <command>');
  });

  it('moves through 1,000 tasks with j/k, G/g, Ctrl-d/Ctrl-u, PageDown, keeping the selection on screen', async () => {
    const { terminal, tasks } = startList(endedTasks(1_000));
    const id = (i: number) => tasks[i]!.id.slice(0, 8);
    expect(rowOf(terminal, id(0))).toEqual({ y: 2, selected: true });
    await terminal.press('j', 'j', 'down');
    expect(rowOf(terminal, id(3)).selected).toBe(true);
    await terminal.press('k');
    expect(rowOf(terminal, id(2)).selected).toBe(true);
    await terminal.press('G');
    expect(rowOf(terminal, id(999))).toEqual({ y: 21, selected: true });
    await terminal.press('C-u');
    expect(rowOf(terminal, id(989)).selected).toBe(true);
    await terminal.press('g', 'C-d', 'C-d');
    expect(rowOf(terminal, id(20)).selected).toBe(true);
    for (let i = 0; i < 200; i++) await terminal.press('j');
    expect(rowOf(terminal, id(220)).selected).toBe(true);
    expect(terminal.rows().filter((row) => /^[0-9a-f]{8} /.test(row))).toHaveLength(20);
    await terminal.press('pagedown');
    expect(rowOf(terminal, id(240)).selected).toBe(true);
    expect(terminal.rows()[0]).toMatch(/row 241 of 1,000$/);
  });

  it('shows a scrollbar while the rows overflow, its thumb where the view is', async () => {
    const { terminal } = startList(endedTasks(100));
    const bar = () => terminal.rows().slice(2, 22).map((row) => row.at(-1)).join('');
    expect(bar()).toBe('████' + '│'.repeat(16));
    await terminal.press('G');
    expect(bar()).toBe('│'.repeat(16) + '████');
    expect(terminal.rows().slice(2, 22).every((row) => row.length === 80)).toBe(true);
    const { terminal: few } = startList(endedTasks(3));
    expect(few.rows()[2]!.at(-1)).not.toBe('│');
  });

  it('scrolls with the mouse wheel and selects with a click', async () => {
    const { terminal, tasks } = startList(endedTasks(1_000));
    await terminal.mouse('wheeldown', 10, 5);
    await terminal.mouse('wheeldown', 10, 5);
    expect(rowOf(terminal, tasks[6]!.id.slice(0, 8)).selected).toBe(true);
    await terminal.mouse('click', 10, 4);
    expect(rowOf(terminal, tasks[2]!.id.slice(0, 8)).selected).toBe(true);
  });

  it('Tab cycles the status filter, Shift-Tab goes back, and the title says so', async () => {
    const { terminal } = startList();
    await terminal.press('tab');
    expect(terminal.rows()[0]).toMatch(/showing 200\s+·\s+filter: running/);
    expect(terminal.rows().slice(2, 22).every((row) => row.includes('running'))).toBe(true);
    await terminal.press('tab');
    expect(terminal.rows()[0]).toContain('filter: failed');
    expect(terminal.rows().slice(2, 22).every((row) => /exited 1|unknown/.test(row))).toBe(true);
    await terminal.press('tab', 'tab');
    expect(terminal.rows()[0]).toContain('filter: killed');
    expect(terminal.rows()[2]).toContain('killed SIGTERM');
    await terminal.press('S-tab');
    expect(terminal.rows()[0]).toContain('filter: exited');
    await terminal.press('tab', 'tab', 'tab');
    expect(terminal.rows()[0]).not.toContain('filter');
  });

  it('lists running tasks first, and o cycles the sort', async () => {
    const { terminal, tasks } = startList(manyTasks(30));
    const shown = () => terminal.rows().slice(2, 22).map((row) => row.slice(0, 8));
    expect(shown().slice(0, 6)).toEqual(tasks.filter((task) => task.status === 'running').map((task) => task.id.slice(0, 8)));
    await terminal.press('o');
    expect(terminal.rows()[0]).toContain('sort: started');
    expect(shown()).toEqual(tasks.slice(0, 20).map((task) => task.id.slice(0, 8)));
  });

  it('/ searches names and commands as you type; Esc clears it', async () => {
    const { terminal } = startList();
    await terminal.press('/', 'w', 'o', 'r', 'k', 'e', 'r', '-', '9', '9');
    expect(terminal.rows()[22]).toContain('/worker-99');
    expect(terminal.rows()[0]).toContain('showing 5');
    expect(terminal.rows().filter((row) => /^[0-9a-f]{8} /.test(row))).toHaveLength(5);
    await terminal.press('backspace', 'backspace', 'enter');
    expect(terminal.rows()[0]).toContain('search: worker-');
    await terminal.press('/', 'escape');
    expect(terminal.rows()[0]).not.toContain('search');
    await terminal.press('/', 'job-5.js', 'enter');
    expect(terminal.rows()[0]).toContain('showing 1');
  });

  it('explains an empty result and how to get out of it', async () => {
    const { terminal } = startList();
    await terminal.press('/', 'nothing-like-this', 'enter');
    expect(terminal.text()).toContain('No tasks matching "nothing-like-this".');
  });

  it('shows in the footer only the keys that apply to the selected task', async () => {
    const { terminal } = startList([fakeTask(), fakeTask({ status: 'exited', exitCode: 0, finishedAt: new Date() })]);
    expect(terminal.rows()[23]).toMatch(/s stop.*K kill/);
    expect(terminal.rows()[23]).not.toContain('delete');
    await terminal.press('j');
    expect(terminal.rows()[23]).not.toMatch(/stop|kill/);
    expect(terminal.rows()[23]).toContain('d delete');
  });

  it('redraws for a new size and fits it', async () => {
    const { terminal } = startList();
    terminal.resize(120, 40);
    await terminal.waitFor(() => terminal.rows().length === 40 && terminal.rows()[39]!.includes('help'));
    expect(terminal.rows().filter((row) => /^[0-9a-f]{8} /.test(row))).toHaveLength(36);
    terminal.resize(80, 24);
    await terminal.waitFor(() => terminal.rows().length === 24);
    expect(terminal.rows().every((row) => row.length <= 80)).toBe(true);
  });

  it('updates when core reports a change', async () => {
    const { terminal, ghost } = startList([]);
    ghost.tasks = [fakeTask({ name: 'arrived' })];
    ghost.changed();
    await terminal.waitFor('arrived');
  });
});
