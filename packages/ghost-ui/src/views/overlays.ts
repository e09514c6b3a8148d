import { colorsEnabled } from '../text/colors.js';
import { escapeTags } from '../text/tags.js';
import { type Blessed, type Box, type Screen } from './blessed-types.js';
import { helpLines } from './help-lines.js';

/**
 * The `?` overlay: every key, in two columns when the screen is wide enough for them and in
 * one scrolling-free column otherwise (at 80x24 two columns fit).
 */
export class HelpOverlay {
  readonly #box: Box;

  constructor(blessed: Blessed, screen: Screen) {
    this.#box = blessed.box({
      parent: screen,
      top: 'center',
      left: 'center',
      width: '100%',
      height: '100%-1',
      hidden: true,
      border: 'line',
      tags: true,
      wrap: false,
      label: ' keys (any key closes) ',
      style: colorsEnabled() ? { border: { fg: 'cyan' } } : {},
    });
  }

  get visible(): boolean {
    return !this.#box.hidden;
  }

  show(screenWidth: number, screenHeight: number): void {
    const lines = helpLines();
    // Split at a section boundary near the middle so that each column reads on its own.
    const column = Math.ceil(lines.length / 2);
    const split = nearestBlank(lines, column);
    const left = lines.slice(0, split);
    const right = lines.slice(split + 1);
    const colWidth = Math.max(...left.map(visibleLength)) + 3;
    const twoColumns = colWidth + Math.max(...right.map(visibleLength)) + 4 <= screenWidth && left.length + 2 <= screenHeight - 1;
    const rows = twoColumns
      ? Array.from({ length: Math.max(left.length, right.length) }, (_, i) => `${padTagged(left[i] ?? '', colWidth)}${right[i] ?? ''}`)
      : lines;
    const width = Math.min(screenWidth, Math.max(...rows.map(visibleLength)) + 4);
    this.#box.width = width;
    this.#box.height = Math.min(screenHeight - 1, rows.length + 2);
    this.#box.setContent(rows.map((row) => ` ${row}`).join('\n'));
    this.#box.show();
    this.#box.setFront();
  }

  hide(): void {
    this.#box.hide();
  }
}

/** A yes/no question in the middle of the screen (deleting a task asks first). */
export class ConfirmDialog {
  readonly #box: Box;

  constructor(blessed: Blessed, screen: Screen) {
    this.#box = blessed.box({
      parent: screen,
      top: 'center',
      left: 'center',
      width: 60,
      height: 5,
      hidden: true,
      border: 'line',
      tags: true,
      align: 'center',
      label: ' confirm ',
      style: colorsEnabled() ? { border: { fg: 'yellow' } } : {},
    });
  }

  get visible(): boolean {
    return !this.#box.hidden;
  }

  show(question: string, screenWidth: number): void {
    this.#box.width = Math.min(screenWidth, Math.max(40, question.length + 6));
    this.#box.setContent(`${escapeTags(question)}\n\n{bold}y{/bold} yes   {bold}n{/bold}/{bold}Esc{/bold} no`);
    this.#box.show();
    this.#box.setFront();
  }

  hide(): void {
    this.#box.hide();
  }
}

function visibleLength(tagged: string): number {
  return tagged.replace(/\{\/?[a-z-]+\}/g, (tag) => (tag === '{open}' || tag === '{close}' ? '.' : '')).length;
}

function padTagged(tagged: string, width: number): string {
  return tagged + ' '.repeat(Math.max(0, width - visibleLength(tagged)));
}

function nearestBlank(lines: readonly string[], around: number): number {
  let best = -1;
  lines.forEach((line, i) => {
    if (line === '' && (best < 0 || Math.abs(i - around) < Math.abs(best - around))) best = i;
  });
  return best < 0 ? around : best;
}
