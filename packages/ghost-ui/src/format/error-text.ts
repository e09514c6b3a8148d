import { isGhostError } from '@ghost/core';
import { keyFor } from '../keys/keymap.js';

/** What to press about a running task that an action refused, e.g. "stop it first (s)". */
export function stopFirst(): string {
  return `stop it first (${keyFor('list', 'stop')})`;
}

/**
 * One line for the status line: core's own message, with the UI's words where they help (the
 * key to press), or the first line of any other error.
 */
export function errorText(error: unknown): string {
  if (isGhostError(error)) return error.code === 'TASK_RUNNING' ? `${error.message}: ${stopFirst()}` : error.message;
  if (error instanceof Error) return error.message.split('\n')[0]!;
  return String(error);
}
