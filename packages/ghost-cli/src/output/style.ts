import { type TaskStatus } from '@ghost/core';
import { stripColors, displayWidth } from '@ghost/core/format';
import type { Writable } from 'node:stream';

/**
 * Colour only for a terminal, and never when NO_COLOR is set (https://no-color.org) or the
 * terminal is dumb. FORCE_COLOR=1 forces it on (for `| less -R`), FORCE_COLOR=0 off.
 */
export function wantsColor(stream: Writable, env: NodeJS.ProcessEnv): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined) return env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false';
  return (stream as { isTTY?: boolean }).isTTY === true && env.TERM !== 'dumb';
}

export interface Style {
  status(status: TaskStatus, text: string): string;
  dim(text: string): string;
  bold(text: string): string;
}

const plain: Style = { status: (_status, text) => text, dim: (text) => text, bold: (text) => text };

const STATUS_COLORS: Record<TaskStatus, number> = { running: 32, restarting: 35, exited: 36, killed: 31, unknown: 33 };

const colored: Style = {
  status: (status, text) => `\x1b[${STATUS_COLORS[status]}m${text}\x1b[39m`,
  dim: (text) => `\x1b[2m${text}\x1b[22m`,
  bold: (text) => `\x1b[1m${text}\x1b[22m`,
};

export function styleFor(stream: Writable, env: NodeJS.ProcessEnv): Style {
  return wantsColor(stream, env) ? colored : plain;
}

/** Width of text as a terminal draws it: colour escapes take none, wide characters two cells. */
export function visibleLength(text: string): number {
  return displayWidth(stripColors(text));
}

/** The longest start of `text` that takes at most `width` cells (cells come from plain text cells). */
export function cutToWidth(text: string, width: number): string {
  let taken = '';
  for (const char of text) {
    if (visibleLength(taken + char) > width) break;
    taken += char;
  }
  return taken;
}
