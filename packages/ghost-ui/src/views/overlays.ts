import { colorsEnabled } from '../text/colors.js';
import { escapeTags, taggedWidth } from '../text/tags.js';
import { type Blessed, type Box, type Screen, setText } from './blessed-types.js';
import { helpLines } from './help-lines.js';

/**
 * The `?` overlay: every key, in two columns when the screen is wide enough for them, else in
 * one; when that is taller than the screen, it scrolls (j/k, arrows, PageUp/PageDown, g/G) and
 * its label says so.
 */
export class HelpOverlay {
  readonly #box: Box;
  #rows: string[] = [];
  #top = 0;
  #height = 0;

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

  /** Whether it is taller than the screen (then the moving keys scroll it). */
  get scrolls(): boolean {
    return this.#rows.length > this.#height;
  }

  show(screenWidth: number, screenHeight: number): void {
    const lines = helpLines();
    // Split at a section boundary near the middle so that each column reads on its own.
    const column = Math.ceil(lines.length / 2);
    const split = nearestBlank(lines, column);
    const left = lines.slice(0, split);
    const right = lines.slice(split + 1);
    const colWidth = Math.max(...left.map(taggedWidth)) + 3;
    const twoColumns = colWidth + Math.max(...right.map(taggedWidth)) + 4 <= screenWidth && left.length + 2 <= screenHeight - 1;
    this.#rows = twoColumns
      ? Array.from({ length: Math.max(left.length, right.length) }, (_, i) => `${padTagged(left[i] ?? '', colWidth)}${right[i] ?? ''}`)
      : lines;
    this.#height = Math.max(1, screenHeight - 3);
    this.#top = Math.min(this.#top, Math.max(0, this.#rows.length - this.#height));
    const width = Math.min(screenWidth, Math.max(...this.#rows.map(taggedWidth)) + 4);
    this.#box.width = width;
    const height = Math.min(screenHeight - 1, this.#rows.length + 2);
    this.#box.height = height;
    // Centred in the rows above the footer's keys, which stay visible.
    this.#box.top = Math.max(0, Math.floor((screenHeight - 1 - height) / 2));
    this.#draw();
    this.#box.show();
    this.#box.setFront();
  }

  /** Scrolls by `delta` rows (clamped); `Infinity` / `-Infinity` go to the end / the start. */
  scrollBy(delta: number): void {
    this.#top = Math.max(0, Math.min(this.#top + delta, this.#rows.length - this.#height));
    this.#draw();
  }

  get pageHeight(): number {
    return this.#height;
  }

  hide(): void {
    this.#box.hide();
    this.#top = 0;
  }

  #draw(): void {
    const shown = this.scrolls ? this.#rows.slice(this.#top, this.#top + this.#height) : this.#rows;
    const end = Math.min(this.#rows.length, this.#top + this.#height);
    this.#box.setLabel(this.scrolls ? ` keys ${this.#top + 1}-${end} of ${this.#rows.length} ` : ' keys (any key closes) ');
    setText(this.#box, shown.map((row) => ` ${row}`).join('\n'));
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

  /** `always`: offer `a`, yes and do not ask again (for the actions that can skip asking). */
  show(question: string, screenWidth: number, options: { always?: boolean } = {}): void {
    const always = options.always ? `   {bold}a{/bold} yes, stop asking` : '';
    this.#box.width = Math.min(screenWidth, Math.max(options.always ? 48 : 40, question.length + 6));
    setText(this.#box, `${escapeTags(question)}\n\n{bold}y{/bold} yes   {bold}n{/bold}/{bold}Esc{/bold} no${always}`);
    this.#box.show();
    this.#box.setFront();
  }

  hide(): void {
    this.#box.hide();
  }
}

function padTagged(tagged: string, width: number): string {
  return tagged + ' '.repeat(Math.max(0, width - taggedWidth(tagged)));
}

function nearestBlank(lines: readonly string[], around: number): number {
  let best = -1;
  lines.forEach((line, i) => {
    if (line === '' && (best < 0 || Math.abs(i - around) < Math.abs(best - around))) best = i;
  });
  return best < 0 ? around : best;
}
