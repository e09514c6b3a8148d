import type { Database } from '../db/sqlite.js';
import { type FSWatcher, watch } from 'node:fs';
import type { DataPaths } from '../paths/data-dir.js';

export interface ChangeWatcher {
  close(): void;
}

export interface WatchOptions {
  /** Changes closer together than this are reported once (default 50 ms). */
  debounceMs?: number | undefined;
  /** How often to ask the database whether another process committed (default 1000 ms). */
  pollMs?: number | undefined;
  /** More files or directories whose changes count (e.g. a log being followed). */
  also?: readonly string[] | undefined;
}

/**
 * Calls `onChange` soon after ghost's state may have changed from anywhere: a supervisor
 * appends to its journal, or another process writes the database (its WAL file changes).
 * File-system notifications do the work; where they are missed, a cheap `PRAGMA data_version`
 * check (it changes only when another connection commits) catches the change within `pollMs`.
 * Idle, it costs one tiny query a second.
 */
export function watchChanges(paths: DataPaths, db: Database, onChange: () => void, options: WatchOptions = {}): ChangeWatcher {
  const files = watchPaths([paths.root, paths.journal, ...(options.also ?? [])], onChange, options);
  const dataVersion = db.prepare('PRAGMA data_version').pluck();
  let version = dataVersion.get();
  const poll = setInterval(() => {
    if (!db.open) return;
    const current = dataVersion.get();
    if (current !== version) {
      version = current;
      files.notify();
    }
  }, options.pollMs ?? 1000);
  return {
    close() {
      clearInterval(poll);
      files.close();
    },
  };
}

/**
 * Calls `onChange` (debounced) when any of `targets` changes, as fs.watch reports it. A target
 * that cannot be watched (some file systems) is skipped: callers poll for what it would report.
 * `notify()` reports a change found some other way, debounced the same.
 */
export function watchPaths(
  targets: readonly string[],
  onChange: () => void,
  options: Pick<WatchOptions, 'debounceMs'> = {},
): ChangeWatcher & { notify(): void } {
  const debounceMs = options.debounceMs ?? 50;
  let timer: NodeJS.Timeout | undefined;
  let closed = false;
  const notify = () => {
    if (closed || timer) return;
    timer = setTimeout(() => {
      timer = undefined;
      if (!closed) onChange();
    }, debounceMs);
  };
  const watchers: FSWatcher[] = [];
  for (const target of targets) {
    try {
      const watcher = watch(target, { persistent: false }, notify);
      watcher.on('error', () => {});
      watchers.push(watcher);
    } catch {
      // Not watchable here: the caller's poll covers it.
    }
  }
  return {
    notify,
    close() {
      closed = true;
      clearTimeout(timer);
      for (const watcher of watchers) watcher.close();
    },
  };
}
