import { type StackFailureDetails, type StackProgress, escapeForTerminal } from '@ghost/core';
import type { Style } from './style.js';

/** What each progress state reads as. */
const STATE_WORDS: Record<StackProgress['state'], string> = {
  'waiting-for': 'waiting for',
  starting: 'starting',
  started: 'started',
  restarted: 'restarted (its definition changed)',
  healthy: 'healthy',
  completed: 'completed',
  unchanged: 'unchanged',
  failed: 'failed',
  stopped: 'stopped',
  removed: 'removed',
};

/**
 * One plain line per progress event of `up` / `down`, the service name padded to `nameWidth`
 * (the longest service name) so the states line up: `api      waiting for db, migrate`.
 */
export function progressLine(event: StackProgress, style: Style, nameWidth = 0): string {
  const name = escapeForTerminal(event.service).padEnd(nameWidth);
  const words = STATE_WORDS[event.state];
  const dependencies = event.state === 'waiting-for' && event.dependencies ? ` ${event.dependencies.map(escapeForTerminal).join(', ')}` : '';
  const state = event.state === 'failed' ? style.bold(words) : event.state === 'unchanged' ? style.dim(words) : words;
  return `${style.bold(name)}  ${state}${dependencies}\n`;
}

/** A failed `up`'s log tail, indented under the service it came from. */
export function failureLogText(details: Pick<StackFailureDetails, 'service' | 'logTail'>, style: Style): string {
  if (details.logTail.length === 0) return `${style.dim(`(${escapeForTerminal(details.service)} wrote nothing to its log)`)}\n`;
  return details.logTail.map((line) => `  ${style.dim('|')} ${escapeForTerminal(line)}\n`).join('');
}
