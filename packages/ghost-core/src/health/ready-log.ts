import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

/**
 * How much of a run's output a ready-log check reads at most: its first bytes from where the
 * run's output starts, or (once there is more than this) the newest. A reader pays this at
 * most once per look while the task is `starting`; once ready, the log is not read again.
 */
const MAX_SCAN_BYTES = 1024 * 1024;

/**
 * Whether a line of the log from `offset` on matches `pattern` (a ready-log check). `offset`
 * null (where the run's output starts is not known) reads the newest bytes.
 */
export function logIsReady(path: string, offset: number | null, pattern: string): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return false;
  }
  try {
    const size = fstatSync(fd).size;
    const from = offset !== null && size - offset <= MAX_SCAN_BYTES ? offset : Math.max(0, size - MAX_SCAN_BYTES);
    const buffer = Buffer.alloc(size - from);
    const length = readSync(fd, buffer, 0, buffer.length, from);
    const regex = new RegExp(pattern);
    const text = buffer.subarray(0, length).toString('utf8');
    // Complete lines only, as process-compose does: a line being written may not match yet.
    const complete = text.slice(0, text.lastIndexOf('\n') + 1);
    return complete.split('\n').some((line) => regex.test(line));
  } catch {
    return false;
  } finally {
    closeSync(fd);
  }
}
