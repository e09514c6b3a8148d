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
    for (const help of ['stop (TERM, KILL after 10s)', 'kill (SIGKILL)', 'rerun as a new task', 'delete ended task and log']) {
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
