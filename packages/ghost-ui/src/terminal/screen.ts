import type { Readable, Writable } from 'node:stream';
import { WIDE_CHARS, charWidth } from '../text/width.js';
import { type Blessed, type Screen, internals } from '../views/blessed-types.js';

export interface ScreenOptions {
  input?: Readable | undefined;
  output?: Writable | undefined;
  /** The terminfo entry (default: TERM). */
  terminal?: string | undefined;
}

/**
 * A blessed screen, created without letting blessed write diagnostics to the terminal.
 *
 * blessed compiles the terminfo entry when the screen is created, and for several common
 * entries (screen-256color, xterm-256color with Setulc, ...) its compiler fails and it prints
 * "Error on <term>.<cap>:" and the generated code with console.error before falling back to a
 * built-in xterm description. Those lines would land on the terminal under the UI (and stay
 * after exit), so console output is swallowed for the duration of the call: it is synchronous,
 * and nothing else runs meanwhile. The fallback itself works fine for drawing.
 */
export function createScreen(blessed: Blessed, options: ScreenOptions = {}): Screen {
  measureAsTerminalsDo(blessed);
  const restore = silenceConsole();
  let screen: Screen;
  try {
    screen = blessed.screen({
      input: options.input,
      output: options.output,
      terminal: options.terminal,
      smartCSR: true,
      fullUnicode: true,
      // blessed's warnings are the same terminfo complaints, shown as pop-ups.
      warnings: false,
      title: 'ghost',
      autoPadding: true,
    } as Parameters<Blessed['screen']>[0]);
  } finally {
    restore();
  }
  // In a UTF-8 locale, draw '·', '─', '│' as UTF-8 rather than through the VT100 alternate
  // character set: every terminal in use today draws them, and tmux's capture-pane (and copy
  // mode) then shows the real characters instead of the ACS letters ("q", "x", "~").
  const { tput } = internals(screen).program;
  if (tput.unicode) tput.brokenACS = true;
  return screen;
}

/** The parts of blessed's unicode module that decide how many cells a character takes. */
interface BlessedUnicode {
  charWidth(str: string | number, index?: number): number;
  codePointAt(str: string, index: number): number | undefined;
  combining: Record<number, boolean>;
  chars: { all: RegExp };
}

const measured = new WeakSet<object>();

/**
 * blessed measures characters with its own table, older than emoji: it lays out 🚀 in one cell,
 * the terminal draws two, and everything after it on the row lands one cell to the right of
 * where blessed thinks it is (so later partial redraws leave stale cells: "230953" for a pid of
 * 23095). blessed reads its unicode module at every use, so pointing the three things it asks
 * (a character's width, whether it combines with the previous one, which characters are wide
 * and get a filler cell after them) at our measure makes blessed, our layout and the terminal
 * agree.
 */
function measureAsTerminalsDo(blessed: Blessed): void {
  const unicode = (blessed as unknown as { unicode: BlessedUnicode }).unicode;
  if (measured.has(unicode)) return;
  measured.add(unicode);
  const ownWidth = unicode.charWidth.bind(unicode);
  unicode.charWidth = (str, index) => {
    const point = typeof str === 'number' ? str : unicode.codePointAt(str, index ?? 0);
    // Tabs (blessed's tab width) and anything that is not a code point stay blessed's business.
    if (point === undefined || !(point > 0x09)) return ownWidth(str, index);
    return charWidth(point);
  };
  // Controls are not combining: blessed keeps its own filler (\x03) and SGR bytes in cells.
  unicode.combining = new Proxy({} as Record<number, boolean>, {
    get: (_target, key) => typeof key === 'string' && Number(key) >= 0x300 && charWidth(Number(key)) === 0,
  });
  unicode.chars.all = WIDE_CHARS;
}

function silenceConsole(): () => void {
  const saved = { error: console.error, warn: console.warn, log: console.log, info: console.info };
  const stderrWrite = process.stderr.write;
  const quiet = () => {};
  console.error = console.warn = console.log = console.info = quiet;
  process.stderr.write = (() => true) as typeof process.stderr.write;
  return () => {
    Object.assign(console, saved);
    process.stderr.write = stderrWrite;
  };
}
