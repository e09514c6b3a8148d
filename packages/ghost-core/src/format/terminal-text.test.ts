import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { dollarQuote, escapeForTerminal } from './terminal-text.js';
import { commandText, displayPath, taskLabel } from './task-text.js';

const INJECTION = 'x\x1b]52;c;cHduZWQ=\x07\x1b[2Jy';

describe('escapeForTerminal', () => {
  it('shows ESC, BEL and other C0 controls, DEL and C1 controls as escapes', () => {
    expect(escapeForTerminal(INJECTION)).toBe('x\\e]52;c;cHduZWQ=\\x07\\e[2Jy');
    expect(escapeForTerminal('a\tb\nc\rd\x00\x7f\x9b')).toBe('a\\tb\\nc\\rd\\x00\\x7f\\u009b');
  });

  it('shows bidi overrides, embeddings, isolates and marks as escapes', () => {
    const bidi = ['\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069', '\u200e', '\u200f', '\u061c'];
    expect(escapeForTerminal(`a${bidi.join('')}b`)).toBe(`a${bidi.map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join('')}b`);
  });

  it('leaves printable text alone: non-ASCII, emoji, joiners, backslashes', () => {
    for (const text of ['web', 'café', '中文', '👨‍👩‍👧', 'e\u0301', 'C:\\path\\e', '']) expect(escapeForTerminal(text)).toBe(text);
  });

  it('is idempotent, and its output holds no character a terminal acts on', () => {
    const once = escapeForTerminal(`${INJECTION}\u202e\x85`);
    expect(escapeForTerminal(once)).toBe(once);
    expect(once).not.toMatch(/[\p{Cc}\p{Bidi_C}]/u);
  });
});

describe('dollarQuote', () => {
  it('is read back by bash as exactly the word', () => {
    for (const word of [INJECTION, "it's \\e\u202e\n", '\x01\x9b']) {
      const quoted = dollarQuote(word);
      expect(quoted).not.toMatch(/[\p{Cc}\p{Bidi_C}]/u);
      expect(execFileSync('bash', ['-c', `printf %s ${quoted}`], { encoding: 'utf8', env: { LC_ALL: 'C.UTF-8' } })).toBe(word);
    }
  });
});

describe('task texts are safe to show', () => {
  it('escapes names, paths and commands', () => {
    expect(taskLabel({ id: '0123456789', name: 'a\u202eb' })).toBe('01234567 (a\\u202eb)');
    expect(displayPath('/tmp/\x1b[2J', '/home/me')).toBe('/tmp/\\e[2J');
    expect(displayPath('/home/me/\x07', '/home/me')).toBe('~/\\x07');
    expect(commandText(['sh', '-c', 'true', INJECTION])).toBe("sh -c true $'x\\e]52;c;cHduZWQ=\\x07\\e[2Jy'");
  });
});
