import type { Readable, Writable } from 'node:stream';
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
