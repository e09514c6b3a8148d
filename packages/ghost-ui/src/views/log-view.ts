import { type Task, statusText } from '@ghost/core';
import { statusColor, taskLabel } from '../format/task-cells.js';
import type { LogViewState } from '../state/log-view-state.js';
import { lineWidth, sliceColumns } from '../text/ansi.js';
import { escapeTags } from '../text/tags.js';
import { type Blessed, type Box, type Screen, sizeOf } from './blessed-types.js';
import { logLineForDisplay, paint } from '../text/colors.js';

/** The lines the viewer draws from: core's LogLines (already sanitised). */
export interface LineSource {
  readonly length: number;
  line(index: number): string;
}

/**
 * The log viewer: a title line (which task, its status, following or paused, where in the
 * log) and the lines in view, cut to the horizontal window. Lines are drawn without markup
 * (tags off), so the program's own colours show and braces are just braces.
 */
export class LogView {
  readonly container: Box;
  readonly #title: Box;
  readonly #body: Box;

  constructor(blessed: Blessed, screen: Screen, handlers: { onWheel(delta: number): void }) {
    this.container = blessed.box({ parent: screen, top: 0, left: 0, width: '100%', height: '100%-2', hidden: true });
    this.#title = blessed.box({ parent: this.container, top: 0, left: 0, width: '100%', height: 1, tags: true, wrap: false });
    this.#body = blessed.box({ parent: this.container, top: 1, left: 0, width: '100%', height: '100%-1', tags: false, wrap: false });
    this.#body.on('wheeldown', () => handlers.onWheel(3));
    this.#body.on('wheelup', () => handlers.onWheel(-3));
  }

  get size(): { width: number; height: number } {
    return sizeOf(this.#body);
  }

  /** The widest line in view, for the limit of sideways scrolling. */
  widestInView(lines: LineSource, state: LogViewState): number {
    let widest = 0;
    const end = Math.min(lines.length, state.top + state.height);
    for (let i = state.top; i < end; i++) widest = Math.max(widest, lineWidth(lines.line(i)));
    return widest;
  }

  render(task: Task, lines: LineSource, state: LogViewState, problem?: string): void {
    const { width } = this.size;
    const color = statusColor(task);
    const mode = state.following ? paint('green', 'following') : `${paint('yellow', 'paused')}, G follows`;
    const shown = lines.length === 0 ? 'empty' : `${state.top + 1}-${Math.min(lines.length, state.top + state.height)}/${lines.length}`;
    const sideways = state.left > 0 ? ` · column ${state.left + 1}` : '';
    this.#title.setContent(
      ` {bold}log ${escapeTags(taskLabel(task))}{/bold} · ${paint(color, escapeTags(statusText(task)))} · ${mode} · ${shown}${sideways}`,
    );
    if (problem !== undefined) {
      this.#body.setContent(`\n  ${problem}`);
      return;
    }
    if (lines.length === 0) {
      this.#body.setContent(`\n  (no output yet${state.following ? '; new output appears here' : ''})`);
      return;
    }
    const end = Math.min(lines.length, state.top + state.height);
    const rows: string[] = [];
    for (let i = state.top; i < end; i++) rows.push(sliceColumns(logLineForDisplay(lines.line(i)), state.left, width));
    this.#body.setContent(rows.join('\n'));
  }
}
