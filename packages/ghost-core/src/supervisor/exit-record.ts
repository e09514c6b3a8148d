import { readFileSync, statSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import type { TaskEnd } from '../db/task-store.js';
import { signalName } from '../process/signals.js';

export function exitRecordPath(exitsDir: string, taskId: string): string {
  return join(exitsDir, taskId);
}

/**
 * Reads the exit record a supervisor left for a task, or null if there is none (yet).
 * The record holds the shell's `$?`; its mtime is when the command ended.
 */
export function readExitRecord(path: string): TaskEnd | null {
  let text: string;
  let finishedAt: number;
  try {
    text = readFileSync(path, 'utf8');
    finishedAt = Math.round(statSync(path).mtimeMs);
  } catch {
    return null;
  }
  const value = Number.parseInt(text.trim(), 10);
  if (!Number.isInteger(value) || value < 0 || value > 255) {
    return { status: 'unknown', exitCode: null, signal: null, finishedAt };
  }
  return { ...decodeShellStatus(value), finishedAt };
}

/**
 * Turns a shell's `$?` into an outcome: above 128 is death by signal ($? - 128) when such a
 * signal exists; otherwise it is an exit code (so 255 stays exit code 255).
 * A command that itself exits with 128+n is indistinguishable from one killed by signal n:
 * every shell has this ambiguity.
 */
export function decodeShellStatus(value: number): Omit<TaskEnd, 'finishedAt'> {
  if (value > 128) {
    const name = signalName(value - 128);
    if (name) return { status: 'killed', exitCode: null, signal: name };
  }
  return { status: 'exited', exitCode: value, signal: null };
}

export function removeExitRecord(path: string): void {
  for (const file of [path, `${path}.tmp`]) {
    try {
      unlinkSync(file);
    } catch {
      // Already consumed by another ghost process.
    }
  }
}
