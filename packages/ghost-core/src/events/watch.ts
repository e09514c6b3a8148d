import type { Database } from 'better-sqlite3';
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
}

/**
 * Calls `onChange` soon after ghost's state may have changed from anywhere: an exit record
 * appears, or another process writes the database (its WAL file changes). File-system
 * notifications do the work; where they are missed, a cheap `PRAGMA data_version` check (it
 * changes only when another connection commits) catches the change within `pollMs`. Idle, it
 * costs one tiny query a second.
 */
export function watchChanges(paths: DataPaths, db: Database, onChange: () => void, options: WatchOptions = {}): ChangeWatcher {
  const debounceMs = options.debounceMs ?? 50;
  let timer: NodeJS.Timeout | undefined;
  let closed = false;
  const schedule = () => {
    if (closed || timer) return;
    timer = setTimeout(() => {
      timer = undefined;
      if (!closed) onChange();
    }, debounceMs);
  };
  const watchers: FSWatcher[] = [];
  for (const dir of [paths.root, paths.journal]) {
    try {
      const watcher = watch(dir, { persistent: false }, schedule);
      watcher.on('error', () => {});
      watchers.push(watcher);
    } catch {
      // Not watchable on this file system: the poll below covers it.
    }
  }
  const dataVersion = db.prepare('PRAGMA data_version').pluck();
  let version = dataVersion.get();
  const poll = setInterval(() => {
    if (!db.open) return;
    const current = dataVersion.get();
    if (current !== version) {
      version = current;
      schedule();
    }
  }, options.pollMs ?? 1000);
  return {
    close() {
      closed = true;
      clearInterval(poll);
      clearTimeout(timer);
      for (const watcher of watchers) watcher.close();
    },
  };
}
