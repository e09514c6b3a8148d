import { plainText } from './ansi.js';

// Whether the UI draws in colour. Like the CLI, it follows the NO_COLOR convention
// (https://no-color.org): set and not empty, it turns colour off. Without colour nothing is
// lost: selection is inverse video, statuses are words, and the log viewer drops programs'
// colours (keeping their text).

let enabled = !process.env.NO_COLOR;

export function colorsEnabled(): boolean {
  return enabled;
}

/** For tests, and for a front end that knows better than the environment. */
export function setColorsEnabled(on: boolean): void {
  enabled = on;
}

/** Already-escaped tagged text in a foreground colour (or as it is, without colour). */
export function paint(color: string | undefined, tagged: string): string {
  return enabled && color ? `{${color}-fg}${tagged}{/${color}-fg}` : tagged;
}

/** A sanitised log line as the viewer should draw it: its SGR sequences only with colour on. */
export function logLineForDisplay(line: string): string {
  return enabled ? line : plainText(line);
}
