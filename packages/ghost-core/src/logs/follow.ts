import { type FSWatcher, closeSync, fstatSync, openSync, watch } from 'node:fs';
import { readLogFrom } from './read.js';

export interface FollowOptions {
  /** Byte offset to start from (default 0). */
  from?: number | undefined;
  /** Asked whenever the reader has caught up: false ends the follow once the file is drained. */
  isActive: () => boolean;
  /** Extra paths whose changes mean "look again" (e.g. where exit records appear). */
  wakeOn?: readonly string[] | undefined;
  /** Fallback poll interval for changes no watcher reports (default 1000 ms). */
  pollMs?: number | undefined;
  signal?: AbortSignal | undefined;
}

/**
 * Yields a file's bytes as they are appended, until `isActive()` says the writer is done and
 * everything is read. Wakes on file-system notifications and falls back to a slow poll, so an
 * idle follower costs almost nothing. A file that shrinks (truncated) is read again from 0.
 */
export async function* followFile(path: string, options: FollowOptions): AsyncGenerator<Buffer, void, undefined> {
  const fd = openSync(path, 'r');
  let offset = options.from ?? 0;
  let wake: (() => void) | undefined;
  let pending = false;
  const notify = () => {
    pending = true;
    wake?.();
  };
  const watchers: FSWatcher[] = [];
  for (const target of [path, ...(options.wakeOn ?? [])]) {
    try {
      const watcher = watch(target, { persistent: false }, notify);
      watcher.on('error', () => {});
      watchers.push(watcher);
    } catch {
      // Not watchable here (some file systems): the poll covers it.
    }
  }
  options.signal?.addEventListener('abort', notify, { once: true });
  try {
    for (;;) {
      if (options.signal?.aborted) return;
      if (fstatSync(fd).size < offset) offset = 0;
      let chunk: Buffer | null;
      let readSomething = false;
      while ((chunk = readLogFrom(fd, offset)) !== null) {
        offset += chunk.length;
        readSomething = true;
        yield chunk;
        if (options.signal?.aborted) return;
      }
      if (readSomething) continue;
      if (!options.isActive()) {
        // The writer is done; whatever it wrote last was read by the loop above, but read once
        // more in case its final bytes landed between that read and the check.
        while ((chunk = readLogFrom(fd, offset)) !== null) {
          offset += chunk.length;
          yield chunk;
        }
        return;
      }
      if (!pending) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, options.pollMs ?? 1000);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        wake = undefined;
      }
      pending = false;
    }
  } finally {
    for (const watcher of watchers) watcher.close();
    options.signal?.removeEventListener('abort', notify);
    closeSync(fd);
  }
}
