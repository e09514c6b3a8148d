// The status line's one-line prompt (`/` in the list and in the log view): the keys that edit
// it are handled here once; what the text does (filter as you type, search on Enter) is the
// target's.

export interface Prompt {
  /** The text typed so far. */
  readonly text: string;
  set(text: string): void;
  /** Enter, once the prompt has closed: returns what the status line should say. */
  accept(): string;
  /** Esc, likewise. */
  cancel(): string;
  /** ↑/↓ while typing, if the target does something with them. */
  move?(delta: 1 | -1): void;
  /** What the status line says after the text: "Enter keeps, Esc clears". */
  readonly hint: string;
  /** The footer's keys while the prompt is open. */
  readonly keys: readonly [string, string][];
}

export interface PromptKey {
  full: string;
  ctrl?: boolean;
  meta?: boolean;
}

/**
 * Applies a key to an open prompt: 'accept' and 'cancel' close it (the caller closes it, then
 * calls the target's accept or cancel), 'edited' changed it, undefined did nothing.
 */
export function editPrompt(prompt: Prompt, ch: string | undefined, key: PromptKey): 'accept' | 'cancel' | 'edited' | undefined {
  switch (key.full) {
    case 'enter':
      return 'accept';
    case 'escape':
      return 'cancel';
    case 'backspace':
      prompt.set(Array.from(prompt.text).slice(0, -1).join(''));
      return 'edited';
    case 'C-u':
      prompt.set('');
      return 'edited';
    case 'down':
    case 'up':
      if (!prompt.move) return undefined;
      prompt.move(key.full === 'down' ? 1 : -1);
      return 'edited';
    default:
      if (ch === undefined || key.ctrl || key.meta || ch.length === 0 || /[\x00-\x1f\x7f]/.test(ch)) return undefined;
      prompt.set(prompt.text + ch);
      return 'edited';
  }
}
