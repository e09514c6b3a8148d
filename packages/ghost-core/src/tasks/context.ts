import type { TaskStore } from '../db/task-store.js';
import type { DataPaths } from '../paths/data-dir.js';

/** What every task operation works with: one open database and the data directory. */
export interface TaskContext {
  paths: DataPaths;
  store: TaskStore;
  /** The clock, in ms since the epoch (replaceable in tests). */
  now(): number;
}
