import type { Database } from '../db/sqlite.js';
import type { TaskStore } from '../db/task-store.js';
import type { DataPaths } from '../paths/data-dir.js';

/** What every task operation works with: one open database and the data directory. */
export interface TaskContext {
  paths: DataPaths;
  store: TaskStore;
  /** The same database, for stores other than the tasks' (the stack history). */
  db: Database;
  /** The clock, in ms since the epoch (replaceable in tests). */
  now(): number;
}

/**
 * The context of each open Ghost, for core's modules that work with a Ghost they are given
 * (the stack engine) without making it part of the public API.
 */
export const GHOST_CONTEXTS = new WeakMap<object, TaskContext>();
