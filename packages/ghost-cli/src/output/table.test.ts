import { describe, expect, it } from 'vitest';
import { renderTable } from './table.js';
import { styleFor, visibleLength, wantsColor } from './style.js';
import { PassThrough } from 'node:stream';

const columns = [{ header: 'ID' }, { header: 'PID', right: true }, { header: 'COMMAND', shrink: true }];

describe('renderTable', () => {
  it('aligns columns and right-aligns numbers', () => {
    expect(renderTable(columns, [['a', '7', 'sleep 1'], ['bbb', '1234', 'x']])).toBe(
      ['ID    PID  COMMAND', 'a       7  sleep 1', 'bbb  1234  x', ''].join('\n'),
    );
  });

  it('lines up wide characters (CJK, emoji) by the cells a terminal draws them in', () => {
    const table = renderTable(columns, [['漢字', '1', 'x'], ['🚀', '22', 'y'], ['ab', '333', 'z']]);
    const starts = table.trimEnd().split('\n').map((line) => visibleLength(line.slice(0, line.search(/[xyzC]/))));
    expect(new Set(starts).size).toBe(1);
    const cut = renderTable(columns, [['a', '1', '漢字漢字漢字漢字漢字漢字漢字漢字漢字漢字']], 24);
    expect(cut.split('\n').every((line) => visibleLength(line) <= 24)).toBe(true);
  });

  it('cuts shrinkable columns to fit a terminal, and nothing without one', () => {
    const rows = [['a', '1', 'a very long command line that does not fit']];
    const narrow = renderTable(columns, rows, 30);
    expect(narrow.split('\n').every((line) => visibleLength(line) <= 30)).toBe(true);
    expect(narrow).toContain('…');
    expect(renderTable(columns, rows)).toContain('does not fit');
  });

  it('measures coloured text by what is visible', () => {
    const red = styleFor(Object.assign(new PassThrough(), { isTTY: true }), { TERM: 'xterm' }).status('killed', 'killed');
    expect(red).not.toBe('killed');
    expect(visibleLength(red)).toBe(6);
  });
});

describe('wantsColor', () => {
  const tty = Object.assign(new PassThrough(), { isTTY: true });
  const pipe = new PassThrough();
  it('colours terminals only, honouring NO_COLOR, TERM=dumb and FORCE_COLOR', () => {
    expect(wantsColor(tty, {})).toBe(true);
    expect(wantsColor(pipe, {})).toBe(false);
    expect(wantsColor(tty, { NO_COLOR: '1' })).toBe(false);
    expect(wantsColor(tty, { TERM: 'dumb' })).toBe(false);
    expect(wantsColor(pipe, { FORCE_COLOR: '1' })).toBe(true);
    expect(wantsColor(tty, { FORCE_COLOR: '0' })).toBe(false);
    expect(wantsColor(tty, { NO_COLOR: '1', FORCE_COLOR: '1' })).toBe(false);
  });
});
