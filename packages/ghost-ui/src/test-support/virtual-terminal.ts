import { type ScreenPattern, waitForScreen } from '@ghost/test-support';
import blessed from 'blessed';
import { PassThrough, Writable } from 'node:stream';
import { createScreen } from '../terminal/screen.js';
import { type Screen, internals } from '../views/blessed-types.js';

/** Bytes a terminal sends for the keys tests press, by the names blessed gives them. */
const KEY_BYTES: Record<string, string> = {
  enter: '\r',
  escape: '\x1b',
  tab: '\t',
  space: ' ',
  'S-tab': '\x1b[Z',
  backspace: '\x7f',
  up: '\x1b[A',
  down: '\x1b[B',
  right: '\x1b[C',
  left: '\x1b[D',
  home: '\x1b[H',
  end: '\x1b[F',
  pageup: '\x1b[5~',
  pagedown: '\x1b[6~',
};

export interface VirtualTerminal {
  screen: Screen;
  /** What a person sees: one string per row, trailing spaces trimmed. */
  rows(): string[];
  /** All rows joined by newlines. */
  text(): string;
  /** The style of one cell, decoded from blessed's attribute bits. */
  cell(x: number, y: number): { ch: string; fg: number; bg: number; bold: boolean; inverse: boolean };
  /** Types keys: "j", "G", "enter", "C-d", "escape", or any literal text. Resolves once handled. */
  press(...keys: string[]): Promise<void>;
  /** Sends a mouse event (SGR encoding) at a cell, 0-based. */
  mouse(action: 'wheelup' | 'wheeldown' | 'click', x: number, y: number): Promise<void>;
  resize(columns: number, rows: number): void;
  /** Polls until the screen shows `condition` (and returns it), or fails with the screen in the message. */
  waitFor(condition: ScreenPattern, timeoutMs?: number): Promise<string>;
  destroy(): void;
}

const open: VirtualTerminal[] = [];

/** Destroys every virtual terminal made so far (the test setup does after each test). */
export function destroyVirtualTerminals(): void {
  for (const terminal of open.splice(0)) terminal.destroy();
}

/**
 * A blessed screen on fake streams, the size of a real terminal: views render into it exactly
 * as they would on a tty, and tests read back the cells. Destroyed after each test (see
 * setup.ts); the UI's bench drives one the same way.
 */
export function virtualTerminal(options: { columns?: number; rows?: number; terminal?: string } = {}): VirtualTerminal {
  const input = new PassThrough();
  const output = Object.assign(
    new Writable({
      write(_chunk, _encoding, callback) {
        callback();
      },
    }),
    { isTTY: true, columns: options.columns ?? 80, rows: options.rows ?? 24 },
  );
  const screen = createScreen(blessed, { input, output, terminal: options.terminal ?? 'xterm-256color' });
  const settle = () => new Promise<void>((resolve) => setImmediate(resolve));
  const rows = () => internals(screen).lines.map((line) => line.map((cell) => cell[1]).join('').replace(/\u0003/g, '').trimEnd());
  let destroyed = false;
  const terminal: VirtualTerminal = {
    screen,
    rows,
    text: () => rows().join('\n'),
    cell(x, y) {
      const [attr, ch] = internals(screen).lines[y]![x]!;
      const flags = attr >> 18;
      return { ch, fg: (attr >> 9) & 0x1ff, bg: attr & 0x1ff, bold: (flags & 1) !== 0, inverse: (flags & 8) !== 0 };
    },
    async press(...keys) {
      for (const key of keys) {
        const ctrl = /^C-([a-z])$/.exec(key);
        input.write(ctrl ? String.fromCharCode(ctrl[1]!.charCodeAt(0) - 96) : (KEY_BYTES[key] ?? key));
        // Keys are parsed from the input stream's data events: let them run.
        await settle();
        await settle();
      }
    },
    async mouse(action, x, y) {
      const button = action === 'wheelup' ? 64 : action === 'wheeldown' ? 65 : 0;
      input.write(`\x1b[<${button};${x + 1};${y + 1}M`);
      if (action === 'click') input.write(`\x1b[<0;${x + 1};${y + 1}m`);
      await settle();
      await settle();
    },
    resize(columns, rowCount) {
      output.columns = columns;
      output.rows = rowCount;
      output.emit('resize');
    },
    waitFor(condition, timeout) {
      return waitForScreen(() => terminal.text(), condition, { timeout });
    },
    destroy() {
      if (destroyed) return;
      destroyed = true;
      screen.destroy();
    },
  };
  open.push(terminal);
  return terminal;
}
