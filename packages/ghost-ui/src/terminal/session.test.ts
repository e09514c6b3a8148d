import { describe, expect, it } from 'vitest';
import { virtualTerminal } from '../test-support/virtual-terminal.js';
import { guardTerminal } from './session.js';

const isAlt = (screen: unknown) => (screen as { program: { isAlt: boolean } }).program.isAlt;

describe('guardTerminal', () => {
  it('restores the terminal, then reports an uncaught error and exits 1', () => {
    const { screen } = virtualTerminal();
    screen.render();
    expect(isAlt(screen)).toBe(true);
    const reports: string[] = [];
    const exits: number[] = [];
    const guard = guardTerminal(screen, (message) => reports.push(message), (code) => exits.push(code));
    try {
      guard.fail(new Error('boom'));
      expect(isAlt(screen)).toBe(false);
      expect(reports[0]).toMatch(/^Error: boom/);
      expect(exits).toEqual([1]);
    } finally {
      guard.release();
    }
  });

  it('restores on SIGTERM with 143, and release() removes every handler', () => {
    const before = ['SIGTERM', 'SIGINT', 'SIGHUP', 'uncaughtException', 'unhandledRejection'].map((event) => process.listenerCount(event));
    const { screen } = virtualTerminal();
    const exits: number[] = [];
    const guard = guardTerminal(screen, () => {}, (code) => exits.push(code));
    process.emit('SIGTERM', 'SIGTERM');
    expect(exits).toEqual([143]);
    expect(isAlt(screen)).toBe(false);
    guard.release();
    // blessed's own handlers went with the screen.
    const after = ['SIGTERM', 'SIGINT', 'SIGHUP', 'uncaughtException', 'unhandledRejection'].map((event) => process.listenerCount(event));
    expect(after).toEqual(before);
  });
});
