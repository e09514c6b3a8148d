import type { Task } from '@ghost/core';
import { taskLabel } from '../format/task-cells.js';
import { escapeTags } from '../text/tags.js';
import { type Blessed, type Box, type Screen, sizeOf, setText } from './blessed-types.js';
import { type DetailsInput, detailsLines } from './details-lines.js';

/** The details view: a title line and every fact about one task, scrollable. */
export class DetailsView {
  readonly container: Box;
  readonly #title: Box;
  readonly #body: Box;
  #top = 0;
  #lineCount = 0;

  constructor(blessed: Blessed, screen: Screen, handlers: { onWheel(delta: number): void }) {
    this.container = blessed.box({ parent: screen, top: 0, left: 0, width: '100%', height: '100%-2', hidden: true });
    this.#title = blessed.box({ parent: this.container, top: 0, left: 0, width: '100%', height: 1, tags: true, wrap: false });
    this.#body = blessed.box({ parent: this.container, top: 1, left: 0, width: '100%', height: '100%-1', tags: true, wrap: false });
    this.#body.on('wheeldown', () => handlers.onWheel(3));
    this.#body.on('wheelup', () => handlers.onWheel(-3));
  }

  get width(): number {
    return sizeOf(this.#body).width;
  }

  /** A new task is shown: back to the top. */
  reset(): void {
    this.#top = 0;
  }

  scrollBy(delta: number): void {
    this.#top += delta;
    this.#clamp();
  }

  scrollTo(where: 'top' | 'bottom'): void {
    this.#top = where === 'top' ? 0 : Number.MAX_SAFE_INTEGER;
    this.#clamp();
  }

  get pageHeight(): number {
    return sizeOf(this.#body).height;
  }

  render(task: Task, input: Omit<DetailsInput, 'task' | 'width'>): void {
    const lines = detailsLines({ ...input, task, width: this.width });
    this.#lineCount = lines.length;
    this.#clamp();
    const more = this.#lineCount > this.pageHeight ? `  ·  lines ${this.#top + 1}-${Math.min(this.#lineCount, this.#top + this.pageHeight)} of ${this.#lineCount}` : '';
    setText(this.#title, ` {bold}task ${escapeTags(taskLabel(task))}{/bold}${more}`);
    setText(this.#body, lines.slice(this.#top, this.#top + this.pageHeight).join('\n'));
  }

  #clamp(): void {
    this.#top = Math.max(0, Math.min(this.#top, this.#lineCount - this.pageHeight));
  }
}
