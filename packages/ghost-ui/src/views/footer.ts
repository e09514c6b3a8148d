import { type Command, type View, footerEntries } from '../keys/keymap.js';
import type { Prompt } from '../keys/prompt.js';
import { escapeTags } from '../text/tags.js';
import { oneLine } from '../text/width.js';
import { displayWidth } from '../text/width.js';
import { type Blessed, type Box, type Screen, sizeOf, setText } from './blessed-types.js';
import { colorsEnabled, paint } from '../text/colors.js';

export type MessageKind = 'info' | 'error' | 'progress';

const COLORS: Record<MessageKind, string | undefined> = { info: undefined, error: 'red', progress: 'yellow' };

/**
 * The bottom two lines: a status line (results of actions, errors, the search prompt) and the
 * keys that apply now. Keys that do nothing for the selected task (stop on an ended task,
 * delete on a running one) are left out; if the line is too narrow, `?` and `q` stay.
 */
export class Footer {
  readonly #status: Box;
  readonly #keys: Box;

  constructor(blessed: Blessed, screen: Screen) {
    this.#status = blessed.box({ parent: screen, bottom: 1, left: 0, width: '100%', height: 1, tags: true, wrap: false });
    this.#keys = blessed.box({ parent: screen, bottom: 0, left: 0, width: '100%', height: 1, tags: true, wrap: false, style: colorsEnabled() ? { bg: 'blue', fg: 'white' } : { inverse: true } });
  }

  showMessage(text: string, kind: MessageKind): void {
    const color = COLORS[kind];
    const escaped = escapeTags(oneLine(text));
    setText(this.#status, ` ${paint(color, escaped)}`);
  }

  /** The search prompt, with a block for the cursor. */
  showPrompt(prompt: Pick<Prompt, 'text' | 'hint'>): void {
    setText(this.#status, ` {bold}/{/bold}${escapeTags(prompt.text)}{inverse} {/inverse}   ${paint('gray', escapeTags(prompt.hint))}`);
  }

  /** `helpScrolls`: the help overlay is taller than the screen (its moving keys scroll it); `prompt`: the search prompt is open. */
  showKeys(view: View, applies: (command: Command) => boolean, overlay?: 'help' | 'confirm' | 'search', helpScrolls = false, prompt?: Pick<Prompt, 'keys'>): void {
    if (overlay === 'help') return this.#setKeys(helpScrolls ? [['j/k', 'scroll'], ['any other key', 'close help']] : [['any key', 'close help']]);
    if (overlay === 'confirm') return this.#setKeys([['y', 'yes'], ['n', 'no']]);
    if (overlay === 'search' && prompt) return this.#setKeys([...prompt.keys]);
    const entries = footerEntries(view)
      .filter((entry) => entry.commands.some(applies))
      .map((entry): [string, string] => [entry.key, entry.text]);
    this.#setKeys(entries);
  }

  #setKeys(entries: [string, string][]): void {
    const width = sizeOf(this.#keys).width;
    const kept = [...entries];
    const cost = (list: [string, string][]) =>
      list.reduce((sum, [key, text]) => sum + displayWidth(key) + 1 + displayWidth(text), 1) + 3 * Math.max(0, list.length - 1);
    // Drop from the middle (help and quit, at the end, stay; the first entries matter most).
    while (cost(kept) > width && kept.length > 3) kept.splice(kept.length - 3, 1);
    setText(this.#keys, ` ${kept.map(([key, text]) => `{bold}${escapeTags(key)}{/bold} ${escapeTags(text)}`).join('   ')}`);
  }
}
