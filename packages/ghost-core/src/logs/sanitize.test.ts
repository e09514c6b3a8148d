import { describe, expect, it } from 'vitest';
import { TerminalLogFilter, plainLine, sanitizeLine, stripColors } from './sanitize.js';

describe('sanitizeLine', () => {
  it('keeps plain text, tabs and colours', () => {
    expect(sanitizeLine('plain text\twith a tab')).toBe('plain text\twith a tab');
    expect(sanitizeLine('\x1b[31mred\x1b[0m \x1b[1;38;5;208mbold orange\x1b[m')).toBe(
      '\x1b[31mred\x1b[0m \x1b[1;38;5;208mbold orange\x1b[m',
    );
  });

  it('removes cursor movement, screen clearing, titles and hyperlinks', () => {
    expect(sanitizeLine('a\x1b[2Jb\x1b[10;5Hc\x1b[?25ld\x1b[Ke')).toBe('abcde');
    expect(sanitizeLine('\x1b]0;window title\x07text')).toBe('text');
    expect(sanitizeLine('\x1b]8;;https://example.com\x1b\\link\x1b]8;;\x1b\\')).toBe('link');
    expect(sanitizeLine('\x1b7saved\x1b8 \x1bc')).toBe('saved ');
    expect(sanitizeLine('bell\x07 backspace\x08 nul\x00 del\x7f')).toBe('bell backspace nul del');
    expect(sanitizeLine('csi8\u009b2Jx')).toBe('csi8x');
    expect(sanitizeLine('dangling \x1b')).toBe('dangling ');
  });

  it('shows what a carriage return leaves on the line', () => {
    expect(sanitizeLine('progress 10%\rprogress 50%\rprogress 100%')).toBe('progress 100%');
  });
});

describe('stripColors', () => {
  it('removes colour sequences only', () => {
    expect(stripColors('\x1b[31mred\x1b[0m and \x1b[38:5:208mplain\x1b[m')).toBe('red and plain');
    expect(stripColors('no colour\there')).toBe('no colour\there');
  });
});

describe('plainLine', () => {
  it('keeps what a reader that is not a terminal can use: no colours, no escapes, the last carriage-return segment', () => {
    expect(plainLine('a\x1b[31mred\x1b[0m\x1b]0;title\x07\x1b[2K\x00b\x07c\tt')).toBe('aredbc\tt');
    expect(plainLine('10%\r50%\r100%')).toBe('100%');
    expect(plainLine('windows\r')).toBe('windows');
  });
});

describe('TerminalLogFilter', () => {
  const filter = (...chunks: string[]) => {
    const stream = new TerminalLogFilter();
    return chunks.map((chunk) => stream.push(Buffer.from(chunk))).join('') + stream.end();
  };

  it('removes what sanitizeLine removes, and keeps colours, tabs, line feeds and carriage returns', () => {
    expect(filter('a\x1b]52;c;cHduZWQ=\x07\x1b[2Jb\n\x1b[31mred\x1b[0m\tx\r\ny\rz\x07\n')).toBe('ab\n\x1b[31mred\x1b[0m\tx\r\ny\rz\n');
  });

  it('ends an unterminated string sequence with its line', () => {
    expect(filter('a\x1b]0;title\nb\n')).toBe('a\nb\n');
  });

  it('holds a sequence split between chunks until it completes', () => {
    const stream = new TerminalLogFilter();
    expect(stream.push(Buffer.from('x\x1b[3'))).toBe('x');
    expect(stream.push(Buffer.from('1mred\x1b]52;c;'))).toBe('\x1b[31mred');
    expect(stream.push(Buffer.from('cHduZWQ=\x07done\x1b'))).toBe('done');
    expect(stream.push(Buffer.from('[2J!'))).toBe('!');
    expect(stream.end()).toBe('');
  });

  it('decodes a character split between chunks, and never fails on invalid bytes', () => {
    const bytes = Buffer.from('é\n');
    const stream = new TerminalLogFilter();
    expect(stream.push(bytes.subarray(0, 1)) + stream.push(bytes.subarray(1)) + stream.end()).toBe('é\n');
    const invalid = new TerminalLogFilter();
    expect(invalid.push(Buffer.from([0xff, 0x0a])) + invalid.end()).toBe('\ufffd\n');
  });
});
