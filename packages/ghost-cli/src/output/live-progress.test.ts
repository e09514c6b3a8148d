import { type StackProgress } from '@ghost/core';
import { stripColors } from '@ghost/core/format';
import { Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LiveProgress, type ProgressRow, progressBlock } from './live-progress.js';
import { styleFor, visibleLength } from './style.js';

const plain = styleFor(new Writable(), { NO_COLOR: '1' });
const colored = styleFor(new Writable(), { FORCE_COLOR: '1' });

const event = (service: string, state: StackProgress['state'], dependencies?: string[]): StackProgress => ({ project: 'shop', service, state, dependencies });
const row = (service: string, state: StackProgress['state'], since = 0, dependencies?: string[]): ProgressRow => ({ event: event(service, state, dependencies), since });

describe('progressBlock', () => {
  const rows = [row('db', 'healthy'), row('api', 'waiting-for', 1_000, ['db', 'migrate']), row('worker', 'starting', 3_400)];

  it('shows each row as its plain line, with a spinner and the seconds so far while in progress', () => {
    expect(progressBlock(rows, { style: plain, nameWidth: 7, now: 3_500 })).toEqual([
      'db       healthy',
      'api      waiting for db, migrate ⠴ 2s',
      // Under a second: the spinner alone.
      'worker   starting ⠴',
    ]);
  });

  it('draws the last states without spinners, as the plain lines end', () => {
    expect(progressBlock(rows, { style: plain, nameWidth: 7, now: 9_000, final: true })).toEqual([
      'db       healthy',
      'api      waiting for db, migrate',
      'worker   starting',
    ]);
  });

  it('cuts every line to the terminal width, colour escapes left whole', () => {
    const lines = progressBlock(rows, { style: colored, nameWidth: 7, now: 3_500, columns: 20 });
    expect(lines.map(stripColors)).toEqual(['db       healthy', 'api      waiting fo…', 'worker   starting ⠴']);
    for (const line of lines) expect(visibleLength(line)).toBeLessThanOrEqual(20);
    // The name is bold and closed again; the cut state is not painted.
    expect(lines[1]).toBe('\x1b[1mapi    \x1b[22m  waiting fo…');
  });

  it('fits a live block to the screen, and shows every row once final', () => {
    const many = ['a', 'b', 'c', 'd', 'e'].map((name) => row(name, 'started'));
    expect(progressBlock(many, { style: plain, nameWidth: 1, now: 0, rows: 4 })).toEqual(['a  started', 'b  started', '… 3 more']);
    expect(progressBlock(many, { style: plain, nameWidth: 1, now: 0, rows: 4, final: true })).toHaveLength(5);
    expect(progressBlock(many, { style: plain, nameWidth: 1, now: 0, rows: 6 })).toHaveLength(5);
  });
});

/** A terminal of fixed width that `LiveProgress` writes to, with the screen its bytes draw. */
class FakeTerminal extends Writable {
  readonly isTTY = true;
  columns = 40;
  rows = 24;
  written = '';

  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    this.written += String(chunk);
    done();
  }

  /** The screen as a terminal draws the bytes: text, CR, LF, cursor up, erase line, erase below. */
  screen(): string[] {
    const lines: string[] = [''];
    let [y, x] = [0, 0];
    for (const token of this.written.match(/\x1b\[\d*[A-Za-z]|[\s\S]/g) ?? []) {
      const move = /^\x1b\[(\d*)([A-Za-z])$/.exec(token);
      if (move?.[2] === 'A') y = Math.max(0, y - Number(move[1] || 1));
      else if (move?.[2] === 'K') lines[y] = '';
      else if (move?.[2] === 'J') lines.splice(y, Infinity, (lines[y] ?? '').slice(0, x));
      else if (move) throw new Error(`unexpected escape ${JSON.stringify(token)}`);
      else if (token === '\r') x = 0;
      else if (token === '\n') [y, x] = [y + 1, 0];
      else {
        const line = (lines[y] ?? '').padEnd(x);
        lines[y] = line.slice(0, x) + token + line.slice(x + 1);
        x += 1;
      }
      while (lines.length <= y) lines.push('');
    }
    return lines;
  }
}

describe('LiveProgress', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(0);
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  const services = ['db', 'migrate', 'api'];

  it('rewrites its block in place: one line per service with its last state', () => {
    const terminal = new FakeTerminal();
    const live = new LiveProgress(services, terminal, plain, () => Date.now());
    live.update(event('db', 'starting'));
    expect(terminal.written).toBe('\r\x1b[2Kdb       starting ⠋\n');
    live.update(event('api', 'waiting-for', ['db']));
    // Up the one line drawn, then both lines again.
    expect(terminal.written.slice(terminal.written.lastIndexOf('\x1b[1A'))).toBe('\x1b[1A\r\x1b[2Kdb       starting ⠋\n\x1b[2Kapi      waiting for db ⠋\n');
    live.update(event('db', 'started'));
    live.update(event('db', 'healthy'));
    live.update(event('api', 'starting'));
    live.update(event('api', 'started'));
    live.finish();
    // migrate had no event (not selected): it never shows.
    expect(terminal.screen()).toEqual(['db       healthy', 'api      started', '']);
  });

  it('turns its spinner only while a service is in progress, and stops the timer when finished', () => {
    const terminal = new FakeTerminal();
    const live = new LiveProgress(services, terminal, plain, () => Date.now());
    live.update(event('api', 'waiting-for', ['db']));
    expect(vi.getTimerCount()).toBe(1);
    vi.advanceTimersByTime(1_200);
    expect(terminal.screen()[0]).toBe('api      waiting for db ⠹ 1s');
    live.update(event('api', 'started'));
    expect(vi.getTimerCount()).toBe(0);
    live.update(event('db', 'starting'));
    expect(vi.getTimerCount()).toBe(1);
    live.finish();
    expect(vi.getTimerCount()).toBe(0);
    expect(terminal.screen()).toEqual(['db       starting', 'api      started', '']);
    // Finished is finished: a late event or a second finish draws nothing.
    const written = terminal.written;
    live.update(event('db', 'started'));
    live.finish();
    expect(terminal.written).toBe(written);
  });

  it('puts a service that is not in the file (an orphan removed) last, and draws nothing for no event', () => {
    const terminal = new FakeTerminal();
    const live = new LiveProgress(services, terminal, plain, () => Date.now());
    live.update(event('old', 'removed'));
    live.update(event('api', 'unchanged'));
    live.finish();
    expect(terminal.screen()).toEqual(['api      unchanged', 'old      removed', '']);
    const idle = new FakeTerminal();
    new LiveProgress(services, idle, plain).finish();
    expect(idle.written).toBe('');
  });

  it('fits the block to the screen, clearing below when it gets shorter, and shows it whole once final', () => {
    const terminal = new FakeTerminal();
    const live = new LiveProgress(services, terminal, plain, () => Date.now());
    for (const name of services) live.update(event(name, 'stopped'));
    expect(terminal.screen()).toEqual(['db       stopped', 'migrate  stopped', 'api      stopped', '']);
    terminal.rows = 3;
    live.update(event('api', 'removed'));
    expect(terminal.written.endsWith('\x1b[J')).toBe(true);
    expect(terminal.screen()).toEqual(['db       stopped', '… 2 more', '']);
    live.finish();
    expect(terminal.screen()).toEqual(['db       stopped', 'migrate  stopped', 'api      removed', '']);
  });
});
