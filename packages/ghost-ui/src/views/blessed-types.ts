import type { Widgets } from 'blessed';

/** The blessed module, passed in by whoever loaded it (it is loaded lazily: see main.ts). */
export type Blessed = typeof import('blessed');
export type Screen = Widgets.Screen;
export type Box = Widgets.BoxElement;

/** An element's size in cells, as laid out for the current screen size. */
export function sizeOf(element: Widgets.BlessedElement): { width: number; height: number } {
  // blessed computes these from the screen size on access; `iheight` is borders and padding.
  const el = element as unknown as { width: number; height: number; iwidth: number; iheight: number };
  return { width: Math.max(0, el.width - el.iwidth), height: Math.max(0, el.height - el.iheight) };
}

/** A cell of blessed's screen buffer: attribute bits and the character drawn. */
export type ScreenCell = [attr: number, ch: string];

/** The parts of blessed's screen that its type declarations leave out. */
export interface ScreenInternals {
  lines: ScreenCell[][];
  program: { tput: { unicode: boolean; brokenACS: boolean } };
}

export function internals(screen: Screen): ScreenInternals {
  return screen as unknown as ScreenInternals;
}

/** The text last given to each box (see setText). */
const shownText = new WeakMap<Widgets.BoxElement, string>();
let changedSinceRender = false;

/**
 * Sets a box's content, remembering whether any box's content changed since the last
 * `takeChanged()`: the slow tick redraws only when a duration or an age really moved.
 */
export function setText(box: Widgets.BoxElement, text: string): void {
  if (shownText.get(box) === text) return;
  shownText.set(box, text);
  changedSinceRender = true;
  box.setContent(text);
}

/** Whether some box's content changed since the last call. */
export function takeChanged(): boolean {
  const changed = changedSinceRender;
  changedSinceRender = false;
  return changed;
}
