import { closeSync, copyFileSync, fstatSync, ftruncateSync, openSync, readSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';

/**
 * Log rotation. The task holds its log open (O_APPEND) and ghost has no process in the output
 * stream, so the only rotation that keeps the task writing to a file readers can find is
 * copy-then-truncate: the log's bytes go to `<log>.1` (older ones move to `.2` … `.N`), then the
 * log is truncated to 0 and the task's next write lands at 0 (O_APPEND). What the task writes
 * between the last read of the copy and the truncate is lost: the copy chases the writer
 * until it reads nothing more, so that window is two system calls long (see README, "Logs").
 *
 * One rotation at a time per log: `<log>.lock`, created with O_EXCL, is held throughout (a
 * lock older than STALE_LOCK_MS is from a rotation that died and is taken over). Followers skip
 * a look while it is held, so they see the log either before or after, never in between.
 */
const STALE_LOCK_MS = 30_000;

const CHUNK = 1024 * 1024;

export function rotatedPath(path: string, index: number): string {
  return `${path}.${index}`;
}

export function lockPath(path: string): string {
  return `${path}.lock`;
}

/** A rotation of this log is in progress (a fresh lock is held). */
export function isRotating(path: string): boolean {
  try {
    return Date.now() - statSync(lockPath(path)).mtimeMs < STALE_LOCK_MS;
  } catch {
    return false;
  }
}

/**
 * Waits (at most a couple of seconds) for a rotation in progress to finish, so offsets read
 * next match the log: they are moved just after the truncate, under the lock.
 */
export function waitWhileRotating(path: string): void {
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (let waited = 0; waited < 2_000 && isRotating(path); waited += 5) Atomics.wait(pause, 0, 0, 5);
}

/** The same without blocking, for at most `timeoutMs`, and no longer once `signal` aborts. */
export async function rotationFinished(path: string, timeoutMs: number, signal?: AbortSignal): Promise<void> {
  for (const deadline = Date.now() + timeoutMs; isRotating(path) && Date.now() < deadline && !signal?.aborted; ) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/**
 * Rotates the log if it is bigger than `maxBytes`, keeping `maxFiles` rotated files. Returns
 * how many bytes left the log (what its offsets shrink by), or 0 if it did not rotate (small
 * enough, or another process is rotating it). `afterTruncate` runs with the lock still held (to
 * record the rotation where readers of offsets look): not before, since anything done between
 * the copy's last read and the truncate widens the window in which writes are lost.
 */
export function rotateLog(path: string, maxBytes: number, maxFiles: number, afterTruncate?: (bytes: number) => void): number {
  if (!lock(path)) return 0;
  let fd: number | undefined;
  const temp = `${path}.rotating`;
  try {
    fd = openSync(path, 'r+');
    const size = fstatSync(fd).size;
    if (size <= maxBytes) return 0;
    let bytes = size;
    if (maxFiles > 0) {
      // The bulk in the kernel (copy_file_range or sendfile where there is one), then what the
      // task wrote meanwhile, until a read finds nothing more.
      copyFileSync(path, temp);
      bytes = catchUp(fd, temp, Math.max(maxBytes, CHUNK));
    }
    ftruncateSync(fd, 0);
    if (maxFiles > 0) {
      for (let index = maxFiles - 1; index >= 1; index--) renameIfThere(rotatedPath(path, index), rotatedPath(path, index + 1));
      renameSync(temp, rotatedPath(path, 1));
    }
    afterTruncate?.(bytes);
    return bytes;
  } finally {
    if (fd !== undefined) closeSync(fd);
    removeIfThere(temp);
    removeIfThere(lockPath(path));
  }
}

/**
 * Appends to `temp` whatever the log holds past temp's size, chasing the writer until it reads
 * nothing more, but by at most `limit` bytes: a writer faster than the copy would otherwise be
 * chased to its end (on a loaded machine, a 1 GiB "rotation" while the log grows uncapped).
 * Returns temp's final size.
 */
function catchUp(fd: number, temp: string, limit: number): number {
  const out = openSync(temp, 'a');
  try {
    let position = fstatSync(out).size;
    const stop = position + limit;
    const buffer = Buffer.allocUnsafe(CHUNK);
    while (position < stop) {
      const read = readSync(fd, buffer, 0, Math.min(CHUNK, stop - position), position);
      if (read === 0) break;
      writeSync(out, buffer, 0, read);
      position += read;
    }
    return position;
  } finally {
    closeSync(out);
  }
}

function lock(path: string): boolean {
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      closeSync(openSync(lockPath(path), 'wx', 0o600));
      return true;
    } catch {
      // Held. Only a lock seen to be stale is taken over: one that is gone by the time it is
      // looked at was released, and removing "it" then could remove the next rotator's fresh
      // lock (the supervisor's), letting two rotations run at once.
      let age: number;
      try {
        age = Date.now() - statSync(lockPath(path)).mtimeMs;
      } catch {
        continue;
      }
      if (age < STALE_LOCK_MS) return false;
      removeIfThere(lockPath(path));
    }
  }
  return false;
}

function renameIfThere(from: string, to: string): void {
  try {
    renameSync(from, to);
  } catch {
    // Not that many rotated files yet.
  }
}

function removeIfThere(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // Already gone.
  }
}

/** The rotated files of a log, newest first, as far as they go without a gap. */
export function rotatedFiles(path: string): { path: string; ino: number }[] {
  const files: { path: string; ino: number }[] = [];
  for (let index = 1; index <= 1000; index++) {
    try {
      files.push({ path: rotatedPath(path, index), ino: statSync(rotatedPath(path, index)).ino });
    } catch {
      break;
    }
  }
  return files;
}

/** Removes a log with everything rotation made of it (its rotated files, a stale lock or copy). */
export function removeLog(path: string): void {
  for (const file of rotatedFiles(path)) removeIfThere(file.path);
  for (const file of [path, `${path}.rotating`, lockPath(path)]) removeIfThere(file);
}
