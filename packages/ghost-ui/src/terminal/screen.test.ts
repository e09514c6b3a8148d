import blessed from 'blessed';
import { PassThrough, Writable } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
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
