import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { type JournalEnd, decodeShellStatus, removeFile } from './journal.js';

/**
 * Protocol 0: supervisors started by ghost before runs had journals write the shell's `$?` to
 * `exits/<task-id>` (temp file, then rename; the mtime is the end time). Runs migrated from such
 * a database have no launch id and are still reconciled from these records.
 */
export function legacyExitRecordPath(exitsDir: string, taskId: string): string {
  return join(exitsDir, taskId);
}

/** The outcome in a legacy exit record, `unknown` for garbage, or null if there is none (yet). */
export function readLegacyExitRecord(path: string): (Omit<JournalEnd, 'status'> & { status: JournalEnd['status'] | 'unknown' }) | null {
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

export function removeLegacyExitRecord(path: string): void {
  removeFile(path);
  removeFile(`${path}.tmp`);
}
