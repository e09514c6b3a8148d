// Text that ghost did not write (task names, commands, paths, descriptions, references typed
// by someone) may hold characters a terminal obeys instead of showing: ESC starts sequences that
// clear the screen or set the clipboard (OSC 52), BEL rings, bidi overrides reorder what
// follows. Every human-readable output passes such text through here first.

/** Control characters (C0, DEL, C1) and bidi controls (embeddings, overrides, isolates, marks). */
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\p{Cc}\p{Bidi_C}]/u;
const UNSAFE_ALL = new RegExp(UNSAFE.source, 'gu');

const NAMED: Readonly<Record<string, string>> = { '\t': '\\t', '\n': '\\n', '\r': '\\r', '\x1b': '\\e' };

/**
 * `text` with every control and bidi control character shown as an escape, as bash's $'…' writes
 * it: `\e`, `\n`, `\x07`, `\u202e`. Everything else, backslashes included, is left as it is, so
 * escaping twice changes nothing and no output of this function can act on a terminal.
 */
export function escapeForTerminal(text: string): string {
  if (!UNSAFE.test(text)) return text;
  return text.replace(UNSAFE_ALL, escapeChar);
}

/** Whether `text` holds a character that escapeForTerminal would escape. */
export function hasTerminalControls(text: string): boolean {
  return UNSAFE.test(text);
}

/** `word` quoted as $'…' for bash, zsh and ksh: exact, and safe to show (see escapeForTerminal). */
export function dollarQuote(word: string): string {
  return `$'${word.replace(/[\\']/g, '\\$&').replace(UNSAFE_ALL, escapeChar)}'`;
}

function escapeChar(char: string): string {
  const named = NAMED[char];
  if (named) return named;
  const code = char.charCodeAt(0);
  return code < 0x80 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}
