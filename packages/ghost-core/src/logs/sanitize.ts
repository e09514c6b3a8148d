/**
 * Makes one line of program output safe to draw inside a terminal UI: SGR sequences (colours,
 * bold, ...) are kept, since they are what the program meant to show; every other escape
 * sequence (cursor movement, screen clearing, titles, hyperlinks) and every control character
 * but tab is removed, as they would wreck the screen around the line. A carriage return means
 * "back to the start of the line" (progress bars), so only what follows the last one is kept.
 */
export function sanitizeLine(line: string): string {
  const lastReturn = line.lastIndexOf('\r');
  const text = lastReturn >= 0 ? line.slice(lastReturn + 1) : line;
  // Fast path: most lines hold no escape and no control character.
  if (!UNSAFE.test(text)) return text;
  return text.replace(SEQUENCE, (match) => (SGR.test(match) ? match : ''));
}

/**
 * A log on its way to a terminal, chunk by chunk: what sanitizeLine keeps, and line feeds and
 * carriage returns too (a terminal shows them as meant: a progress bar redraws its line). An
 * escape sequence split between two chunks is held back until it completes, so a colour is
 * not lost at a chunk boundary. Bytes that are not UTF-8 become U+FFFD.
 */
export class TerminalLogFilter {
  #decoder = new TextDecoder('utf-8');
  #held = '';

  push(chunk: Uint8Array): string {
    const text = this.#held + this.#decoder.decode(chunk, { stream: true });
    const tail = text.slice(-HOLD_MAX);
    const incomplete = INCOMPLETE_TAIL.exec(tail);
    const cut = incomplete ? text.length - tail.length + incomplete.index : text.length;
    this.#held = text.slice(cut);
    return sanitizeKeepingBreaks(text.slice(0, cut));
  }

  /** What is left when the stream ends. */
  end(): string {
    const rest = this.#held + this.#decoder.decode();
    this.#held = '';
    return sanitizeKeepingBreaks(rest);
  }
}

function sanitizeKeepingBreaks(text: string): string {
  if (!UNSAFE_BUT_BREAKS.test(text)) return text;
  // Line by line, as sanitizeLine: an unterminated string sequence ends with its line.
  return text
    .split('\n')
    .map((line) => line.replace(SEQUENCE, (match) => (match === '\r' || SGR.test(match) ? match : '')))
    .join('\n');
}

/**
 * Removes colour (SGR) sequences, for readers that get nothing from them: a model, a width
 * measurement. Everything else is left as it is.
 */
export function stripColors(text: string): string {
  return text.includes('\x1b') ? text.replace(SGR_ANYWHERE, '') : text;
}

/**
 * One line as plain text, for readers that are not terminals (a model, a search): what
 * sanitizeLine keeps, without colours. A CRLF line ending is not a carriage return.
 */
export function plainLine(line: string): string {
  return stripColors(sanitizeLine(line.endsWith('\r') ? line.slice(0, -1) : line));
}

// eslint-disable-next-line no-control-regex
const SGR_ANYWHERE = /\x1b\[[0-9;:]*m/g;
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\x00-\x08\x0a-\x1f\x7f-\x9f]/;
// eslint-disable-next-line no-control-regex
const UNSAFE_BUT_BREAKS = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]/;
/** The start of an escape sequence that may go on in the next chunk (CSI, a string, a lone ESC). */
// eslint-disable-next-line no-control-regex
const INCOMPLETE_TAIL = /(?:(?:\x1b\[|\x9b)[0-?]*[ -/]*|(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])[^\x07\x1b\n]*\x1b?|\x1b)$/;
/** How much of an incomplete sequence is held back at most (a longer one is cut, and removed). */
const HOLD_MAX = 1024;
/** SGR: ESC [ params m, the only sequence kept. */
// eslint-disable-next-line no-control-regex
const SGR = /^\x1b\[[0-9;:]*m$/;
/**
 * In order: CSI (ESC [ or 0x9b, parameters, intermediates, a final byte); OSC, DCS, SOS, PM and
 * APC strings (ESC ] P X ^ _ ... ended by BEL or ESC \, or unterminated to the end of the line);
 * any other two-byte ESC sequence; a lone ESC; any other C0 or C1 control but tab.
 */
const SEQUENCE =
  // eslint-disable-next-line no-control-regex
  /(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]|(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])[^\x07\x1b]*(?:\x07|\x1b\\|$)|\x1b[ -~]|\x1b|[\x00-\x08\x0a-\x1f\x7f-\x9f]/g;
