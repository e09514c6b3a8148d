import { type StackFailureDetails, type StackProgress } from '@ghost/core';
import { SERVICE_STATE_TEXT, escapeForTerminal } from '@ghost/core/format';
import type { Style } from './style.js';

/** A piece of a line: its plain text and how it is painted (so that it can be cut before painting). */
export type Segment = readonly [text: string, paint: (text: string) => string];

const unpainted = (text: string) => text;

/** How wide the name column of a stack's progress is: its longest service name. */
export function progressNameWidth(services: readonly string[]): number {
  return Math.max(0, ...services.map((name) => name.length));
}

/**
 * What a progress event of `up` / `down` says, as segments: the service name padded to
 * `nameWidth` (the longest service name) so the states line up, the state, what it waits for.
 */
export function progressSegments(event: StackProgress, style: Style, nameWidth = 0): Segment[] {
  const words = SERVICE_STATE_TEXT[event.state];
  const state = event.state === 'failed' ? style.bold : event.state === 'unchanged' ? style.dim : unpainted;
  const dependencies = event.state === 'waiting-for' && event.dependencies ? ` ${event.dependencies.map(escapeForTerminal).join(', ')}` : '';
  return [
    [escapeForTerminal(event.service).padEnd(nameWidth), style.bold],
    ['  ', unpainted],
    [words, state],
    [dependencies, unpainted],
  ];
}

/** The segments painted and joined into one line of text (no newline). */
export function paintSegments(segments: readonly Segment[]): string {
  return segments.map(([text, paint]) => (text === '' ? '' : paint(text))).join('');
}

/** One plain line per progress event of `up` / `down`: `api      waiting for db, migrate`. */
export function progressLine(event: StackProgress, style: Style, nameWidth = 0): string {
  return `${paintSegments(progressSegments(event, style, nameWidth))}\n`;
}

/** A failed `up`'s log tail, indented under the service it came from. */
export function failureLogText(details: Pick<StackFailureDetails, 'service' | 'logTail'>, style: Style): string {
  if (details.logTail.length === 0) return `${style.dim(`(${escapeForTerminal(details.service)} wrote nothing to its log)`)}\n`;
  return details.logTail.map((line) => `  ${style.dim('|')} ${escapeForTerminal(line)}\n`).join('');
}
