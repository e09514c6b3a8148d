import blessed from 'blessed';
import { PassThrough, Writable } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { virtualTerminal } from '../test-support/virtual-terminal.js';
import { internals } from '../views/blessed-types.js';
import { createScreen } from './screen.js';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('createScreen', () => {
  // blessed's terminfo compiler fails on some capabilities of these entries and prints
  // "Error on <term>.<cap>" with generated code; none of it may reach the terminal.
  it.each(['screen-256color', 'tmux-256color', 'xterm-256color'])('prints nothing while setting up %s', (terminal) => {
    const stderr = vi.spyOn(process.stderr, 'write');
    const stdout = vi.spyOn(process.stdout, 'write');
    const written: string[] = [];
    const output = Object.assign(
      new Writable({
        write(chunk, _encoding, callback) {
          written.push(String(chunk));
          callback();
        },
      }),
      { isTTY: true, columns: 80, rows: 24 },
    );
    const screen = createScreen(blessed, { input: new PassThrough(), output, terminal });
    screen.render();
    screen.destroy();
    expect(stderr).not.toHaveBeenCalled();
    expect(stdout).not.toHaveBeenCalled();
    expect(written.join('')).not.toContain('Error on');
    // Console output works again afterwards.
    expect(console.error).not.toBe(undefined);
    expect(process.stderr.write).toBe(stderr);
  });
});

describe('wide characters', () => {
  it('lays out emoji, CJK and combining marks in the cells terminals draw them in', () => {
    const terminal = virtualTerminal({ columns: 30, rows: 3 });
    blessed.box({ parent: terminal.screen, top: 0, left: 0, width: 30, height: 1, content: '🚀|中|𠀀|e\u0301|✅|x' });
    terminal.screen.render();
    const cells = internals(terminal.screen).lines[0]!.map((cell) => cell[1]);
    const bars = cells.flatMap((ch, x) => (ch === '|' ? [x] : []));
    // 🚀 2 cells, | at 2; 中 3-4, | at 5; 𠀀 6-7, | at 8; é 9, | at 10; ✅ 11-12, | at 13.
    expect(bars).toEqual([2, 5, 8, 10, 13]);
    expect(cells[14]).toBe('x');
  });
});
