import { isGhostError } from '@ghost/core';

/** One line for the status line: core's own message, or the first line of any other error. */
export function errorText(error: unknown): string {
  if (isGhostError(error)) return error.message;
  if (error instanceof Error) return error.message.split('\n')[0]!;
  return String(error);
}
