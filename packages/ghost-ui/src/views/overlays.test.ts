import blessed from 'blessed';
import { describe, expect, it } from 'vitest';
import { App } from '../app.js';
import { KEYMAP } from '../keys/keymap.js';
import { fakeGhost } from '../test-support/fake-ghost.js';
import { fakeTask } from '../test-support/tasks.js';
import { virtualTerminal } from '../test-support/virtual-terminal.js';

describe('help overlay', () => {
  it('lists every key of every view, fits 80x24, and any key closes it', async () => {
    const terminal = virtualTerminal();
    void new App(blessed, terminal.screen, fakeGhost([fakeTask()]), { tickMs: 60_000 }).start();
    await terminal.press('?');
    const text = terminal.text();
    for (const section of ['Task list', 'Log viewer', 'Details']) expect(text).toContain(section);
    for (const bindings of Object.values(KEYMAP)) {
      for (const binding of bindings) {
        // Each binding is listed by its label, or named on an "also" line.
        const listed = text.includes(binding.label) || text.includes(binding.label.split('/')[0]!);
        expect(listed, `help lists ${binding.label}`).toBe(true);
      }
    }
    for (const help of ['stop (TERM, KILL after 10s)', 'kill (SIGKILL)', 'restart in place (new run)', 'run again as a new task', 'delete ended task and log']) {
      expect(text).toContain(help);
    }
    expect(text).toContain('scroll, click to select');
    expect(terminal.rows().every((row) => row.length <= 80)).toBe(true);
    expect(terminal.rows()[23]).toContain('any key close help');
    await terminal.press('x');
    expect(terminal.text()).not.toContain('Log viewer');
    expect(terminal.rows()[1]).toMatch(/^ID\s+NAME/);
  });
});

describe('confirm dialog', () => {
  it('asks before deleting, and Esc says no', async () => {
    const ghost = fakeGhost([fakeTask({ name: 'old', status: 'exited', exitCode: 0, finishedAt: new Date() })]);
    const terminal = virtualTerminal();
    void new App(blessed, terminal.screen, ghost, { tickMs: 60_000 }).start();
    await terminal.press('d');
    expect(terminal.text()).toMatch(/Delete task [0-9a-f]{8} \(old\) and its log\?/);
    expect(terminal.text()).toContain('y yes   n/Esc no');
    await terminal.press('j', 'escape');
    expect(ghost.calls).toEqual([]);
    expect(terminal.text()).not.toContain('Delete task');
  });
});

describe('help overlay on a small terminal', () => {
  it('scrolls with the moving keys, says where it is, and any other key closes it', async () => {
    const terminal = virtualTerminal({ columns: 60, rows: 16 });
    void new App(blessed, terminal.screen, fakeGhost([fakeTask()]), { tickMs: 60_000 }).start();
    await terminal.press('?');
    expect(terminal.text()).toMatch(/keys 1-13 of \d+ /);
    expect(terminal.text()).toContain('Task list');
    await terminal.press('G');
    expect(terminal.text()).not.toContain('Task list');
    expect(terminal.text()).toContain('click to select');
    await terminal.press('g', 'j');
    expect(terminal.text()).toMatch(/keys 2-14 of/);
    expect(terminal.rows()[15]).toMatch(/j\/k scroll\s+any other key close help/);
    await terminal.press('x');
    expect(terminal.text()).not.toContain('keys 2-14');
  });
});

describe('confirmations', () => {
  const running = () => fakeGhost([fakeTask({ name: 'web' })]);

  it('asks before stopping, killing or restarting a running task; a says yes and stops asking', async () => {
    const ghost = running();
    const terminal = virtualTerminal();
    void new App(blessed, terminal.screen, ghost, { tickMs: 60_000 }).start();
    const id = ghost.tasks[0]!.id;
    for (const [key, question] of [['s', 'Stop'], ['K', 'Kill (SIGKILL)'], ['r', 'Restart']] as const) {
      await terminal.press(key);
      expect(terminal.text()).toContain(`${question} ${id.slice(0, 8)} (web)?`);
      expect(terminal.text()).toContain('a yes, stop asking');
      await terminal.press('n');
      expect(terminal.rows()[22]).toContain('left as it is');
    }
    expect(ghost.calls).toEqual([]);
    await terminal.press('r', 'a');
    await terminal.waitFor(/restarted \w+: run 2/);
    await terminal.press('r');
    await terminal.waitFor(() => ghost.calls.length === 2);
    expect(ghost.calls).toEqual([`restart ${id}`, `restart ${id}`]);
  });

  it('does not ask with confirm off, nor about an ended task, which r starts again', async () => {
    const ghost = fakeGhost([fakeTask({ name: 'web' }), fakeTask({ name: 'old', status: 'exited', exitCode: 0, finishedAt: new Date() })]);
    const terminal = virtualTerminal();
    void new App(blessed, terminal.screen, ghost, { tickMs: 60_000, confirm: false }).start();
    await terminal.press('s');
    await terminal.waitFor(/stopped \w+/);
    await terminal.press('j', 'r');
    await terminal.waitFor(/started \w+: run 2/);
    expect(ghost.calls).toEqual([`stop ${ghost.tasks[0]!.id}`, `start ${ghost.tasks[1]!.id}`]);
  });
});

describe('Esc followed quickly by a key', () => {
  it('is Esc, then the key, not Alt and the key', async () => {
    const ghost = fakeGhost([fakeTask({ name: 'one' }), fakeTask({ name: 'two' })]);
    const terminal = virtualTerminal();
    void new App(blessed, terminal.screen, ghost, { tickMs: 60_000 }).start();
    await terminal.press('enter');
    expect(terminal.rows()[0]).toContain('task ');
    // One read: Esc and j together, as a fast typist's terminal sends them.
    await terminal.press('\x1bj');
    expect(terminal.rows()[1]).toMatch(/^ID\s+NAME/);
    expect(terminal.cell(0, 3).inverse).toBe(true);
  });
});

