import { describe, expect, it } from 'vitest';
import { fakeTask, manyTasks } from '../test-support/tasks.js';
import { TaskListState } from './task-list-state.js';

describe('TaskListState', () => {
  it('keeps the selected task selected when a newer task arrives at the top', () => {
    const [a, b] = [fakeTask(), fakeTask()];
    const state = new TaskListState();
    state.setHeight(10);
    state.setTasks([a!, b!]);
    state.moveBy(1);
    expect(state.selected).toBe(b);
    state.setTasks([fakeTask(), a!, b!]);
    expect(state.selected).toBe(b);
    expect(state.selectedIndex).toBe(2);
  });

  it('stays on the same row when the selected task disappears', () => {
    const tasks = [fakeTask(), fakeTask(), fakeTask()];
    const state = new TaskListState();
    state.setTasks(tasks);
    state.moveBy(1);
    state.setTasks([tasks[0]!, tasks[2]!]);
    expect(state.selected).toBe(tasks[2]);
  });

  it('cycles the status filter all → running → failed → exited → killed → unknown → all, and back', () => {
    const state = new TaskListState();
    state.setTasks(manyTasks(10));
    const forward = Array.from({ length: 6 }, () => state.cycleFilter());
    expect(forward).toEqual(['running', 'failed', 'exited', 'killed', 'unknown', 'all']);
    expect([state.cycleFilter(-1), state.cycleFilter(-1)]).toEqual(['unknown', 'killed']);
    expect(state.visible.every((task) => task.status === 'killed')).toBe(true);
    expect(state.visible).toHaveLength(2);
    // Failed: a non-zero exit or an unknown end, not a clean exit nor a stop.
    state.setFilter('failed');
    expect(state.visible.map((task) => [task.status, task.exitCode])).toEqual([
      ['exited', 1],
      ['exited', 1],
      ['unknown', null],
      ['unknown', null],
    ]);
  });

  it('sorts what runs above what ended, and cycles the order: started, name, CPU, memory', () => {
    const ended = fakeTask({ name: 'b-ended', status: 'exited', exitCode: 0 });
    const busy = fakeTask({ name: 'c-busy', cpuPercent: 90, memoryBytes: 10 });
    const big = fakeTask({ name: 'a-big', cpuPercent: 1, memoryBytes: 1_000 });
    const idle = fakeTask({ name: 'd-idle', status: 'restarting', cpuPercent: null, memoryBytes: null });
    const state = new TaskListState();
    state.setTasks([ended, busy, big, idle]);
    const names = () => state.visible.map((task) => task.name);
    expect([state.sort, names()]).toEqual(['status', ['c-busy', 'a-big', 'd-idle', 'b-ended']]);
    expect([state.cycleSort(), names()]).toEqual(['started', ['b-ended', 'c-busy', 'a-big', 'd-idle']]);
    expect([state.cycleSort(), names()]).toEqual(['name', ['a-big', 'b-ended', 'c-busy', 'd-idle']]);
    expect([state.cycleSort(), names()]).toEqual(['cpu', ['c-busy', 'a-big', 'b-ended', 'd-idle']]);
    expect([state.cycleSort(), names()]).toEqual(['memory', ['a-big', 'c-busy', 'b-ended', 'd-idle']]);
    expect(state.cycleSort()).toBe('status');
  });

  it('pages a whole view at a time, and to either end once the view cannot move', () => {
    const state = new TaskListState();
    state.setTasks(manyTasks(45));
    state.setHeight(20);
    state.moveBy(3);
    state.page(1);
    expect([state.selectedIndex, state.top]).toEqual([23, 20]);
    state.page(1);
    expect([state.selectedIndex, state.top]).toEqual([28, 25]);
    state.page(1);
    expect([state.selectedIndex, state.top]).toEqual([44, 25]);
    state.page(-1);
    expect([state.selectedIndex, state.top]).toEqual([24, 5]);
    state.page(-1);
    state.page(-1);
    expect([state.selectedIndex, state.top]).toEqual([0, 0]);
  });

  it('searches names and commands, case-insensitively, together with the status filter', () => {
    const web = fakeTask({ name: 'Web', command: ['npm', 'run', 'dev'] });
    const db = fakeTask({ name: 'db', command: ['postgres'], status: 'exited', exitCode: 0 });
    const state = new TaskListState();
    state.setTasks([web, db]);
    state.setQuery('web');
    expect(state.visible).toEqual([web]);
    state.setQuery('POSTGRES');
    expect(state.visible).toEqual([db]);
    state.setFilter('running');
    expect(state.visible).toEqual([]);
    expect(state.selected).toBeUndefined();
  });

  it('scrolls to keep the selection in view: j/k, g/G, half pages, clicks', () => {
    const state = new TaskListState();
    state.setTasks(manyTasks(1_000));
    state.setHeight(20);
    state.moveToEnd();
    expect(state.selectedIndex).toBe(999);
    expect(state.top).toBe(980);
    expect(state.window).toHaveLength(20);
    state.moveToStart();
    expect([state.selectedIndex, state.top]).toEqual([0, 0]);
    state.halfPage(1);
    expect([state.selectedIndex, state.top]).toEqual([10, 10]);
    state.halfPage(-1);
    expect([state.selectedIndex, state.top]).toEqual([0, 0]);
    for (let i = 0; i < 25; i++) state.moveBy(1);
    expect([state.selectedIndex, state.top]).toEqual([25, 6]);
    expect(state.selectRow(3)).toBe(true);
    expect(state.selectedIndex).toBe(9);
    expect(state.selectRow(20)).toBe(false);
  });

  it('never moves past either end', () => {
    const state = new TaskListState();
    state.setTasks(manyTasks(3));
    state.moveBy(-5);
    expect(state.selectedIndex).toBe(0);
    state.moveBy(50);
    expect(state.selectedIndex).toBe(2);
  });

  it('filters 1,000 tasks per keystroke without rebuilding anything else', () => {
    const state = new TaskListState();
    const tasks = manyTasks(1_000);
    state.setTasks(tasks);
    state.setHeight(20);
    for (const query of ['w', 'wo', 'wor', 'work', 'worker-99']) state.setQuery(query);
    expect(state.visible.map((task) => task.name).sort()).toEqual(['worker-99', 'worker-990', 'worker-993', 'worker-996', 'worker-999']);
  });

  it('narrows a search key by key, and widens it again when a key is taken back, the order or the tasks change', () => {
    const state = new TaskListState();
    const tasks = Array.from({ length: 30 }, (_, i) => fakeTask({ name: `worker-${i}`, command: ['run'] }));
    const names = () => state.visible.map((task) => task.name);
    state.setTasks(tasks);
    state.setSort('name');
    state.setQuery('worker-1');
    expect(names()).toEqual(['worker-1', 'worker-10', 'worker-11', 'worker-12', 'worker-13', 'worker-14', 'worker-15', 'worker-16', 'worker-17', 'worker-18', 'worker-19']);
    state.setQuery('worker-12');
    expect(names()).toEqual(['worker-12']);
    state.setQuery('worker-2');
    expect(names()).toEqual(['worker-2', 'worker-20', 'worker-21', 'worker-22', 'worker-23', 'worker-24', 'worker-25', 'worker-26', 'worker-27', 'worker-28', 'worker-29']);
    state.setTasks([fakeTask({ name: 'worker-2x' }), ...tasks]);
    state.setQuery('worker-2x');
    expect(names()).toEqual(['worker-2x']);
    state.setQuery('worker-2');
    state.setSort('started');
    expect(names()).toEqual(['worker-2x', 'worker-2', 'worker-20', 'worker-21', 'worker-22', 'worker-23', 'worker-24', 'worker-25', 'worker-26', 'worker-27', 'worker-28', 'worker-29']);
  });

  it('sorts by name ahead of the key, and keeps that order for the same tasks with new values only', () => {
    const state = new TaskListState();
    const tasks = ['c', 'a', 'b'].map((name) => fakeTask({ name }));
    state.setTasks(tasks);
    expect(state.presort()).toBe(true);
    expect(state.presort()).toBe(false);
    // The same tasks, newly measured: the order is kept, with the new objects in it.
    const measured = tasks.map((task) => ({ ...task, cpuPercent: 5 }));
    state.setTasks(measured);
    expect(state.presort()).toBe(false);
    state.setSort('name');
    expect(state.visible).toEqual([measured[1], measured[2], measured[0]]);
    expect(state.visible[0]).toBe(measured[1]);
    // A task more: sorted again.
    const more = [fakeTask({ name: 'aa' }), ...measured];
    state.setTasks(more);
    expect(state.visible.map((task) => task.name)).toEqual(['a', 'aa', 'b', 'c']);
    expect(state.presort()).toBe(false);
  });

  describe('grouped by project', () => {
    const shop = (service: string, overrides = {}) => fakeTask({ project: 'shop', service, name: service, ...overrides });
    const rowText = (state: TaskListState) =>
      state.rows.map((row) => (row.kind === 'project' ? `[${row.summary.project} ${row.summary.state}${row.folded ? ' folded' : ''}]` : (row.task.name ?? '-')));

    it("lists a project's tasks under its head, where its newest task is, services by name", () => {
      const loose = fakeTask({ name: 'loose' });
      const older = fakeTask({ name: 'older' });
      const tasks = [loose, shop('web'), older, shop('api'), shop('db', { status: 'exited', exitCode: 0 }), fakeTask({ project: 'blog', service: 'db', name: 'blogdb' })];
      const state = new TaskListState();
      state.setTasks(tasks);
      expect(rowText(state)).toEqual(['loose', '[shop up]', 'api', 'db', 'web', 'older', '[blog up]', 'blogdb']);
      expect(state.rows.filter((row) => row.kind === 'task').map((row) => row.kind === 'task' && row.grouped)).toEqual([false, true, true, true, false, true]);
      expect(state.toggleGrouping()).toBe(false);
      // Flat, in the status order: db has ended.
      expect(rowText(state)).toEqual(['loose', 'web', 'older', 'api', 'blogdb', 'db']);
    });

    it('selects a head as a row of its own, folds it, and keeps the selection on the same task or head', () => {
      const [api, web] = [shop('api'), shop('web')];
      const loose = fakeTask({ name: 'loose' });
      const state = new TaskListState();
      state.setHeight(10);
      state.setTasks([web, api, loose]);
      expect(state.selectedRow).toMatchObject({ kind: 'project' });
      expect([state.selected, state.selectedProject]).toEqual([undefined, 'shop']);
      state.moveBy(2);
      expect([state.selected, state.selectedProject]).toEqual([web, 'shop']);
      // Folding from a task folds its project; the head is then selected.
      state.toggleFold();
      expect(rowText(state)).toEqual(['[shop up folded]', 'loose']);
      expect(state.selectedIndex).toBe(0);
      state.setTasks([fakeTask({ name: 'new' }), web, api, loose]);
      expect(state.selectedRow).toMatchObject({ kind: 'project', summary: { project: 'shop' } });
      state.toggleFold();
      expect(rowText(state)).toEqual(['new', '[shop up]', 'api', 'web', 'loose']);
      expect(state.selectId(web.id)).toBe(true);
      expect(state.selectedIndex).toBe(3);
      state.moveBy(1);
      expect(state.selectedProject).toBeUndefined();
    });

    it("shows a project's head while some of its tasks pass the filters, with the state of all of them", () => {
      const state = new TaskListState();
      state.setTasks([shop('api', { status: 'killed', signal: 'SIGTERM' }), shop('db'), fakeTask({ name: 'loose', status: 'exited', exitCode: 0 })]);
      state.setFilter('running');
      expect(rowText(state)).toEqual(['[shop partial]', 'db']);
      state.setFilter('exited');
      expect(rowText(state)).toEqual(['loose']);
      state.setFilter('all');
      state.setQuery('SHOP');
      expect(rowText(state)).toEqual(['[shop partial]', 'api', 'db']);
    });
  });
});
