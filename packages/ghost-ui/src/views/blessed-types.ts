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
