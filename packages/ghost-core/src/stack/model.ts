// A stack as ghost runs it: what a project file (ghost.yaml, a Procfile or a
// process-compose.yaml) says once it has been read, checked and resolved. The file formats
// produce this; the plan, up and down consume it, and never see which format it came from.
import type { GitOrigin } from './git.js';
import type { HealthOptions, LimitOptions, LogCapOptions, RestartOptions } from '../tasks/policy.js';

/** When a dependent may start, per dependency (docker compose's and process-compose's names). */
export type DependencyCondition = 'started' | 'healthy' | 'completed_successfully';
export const DEPENDENCY_CONDITIONS: readonly DependencyCondition[] = ['started', 'healthy', 'completed_successfully'];

export interface ServiceSpec {
  /** Unique within the stack; the task's service name. */
  name: string;
  /** The argv. With `shell`, a single script run by `/bin/sh -c`. */
  command: readonly string[];
  shell: boolean;
  /** Absolute. */
  cwd: string;
  /** `env_file` entries first, then `env`: the variables the task adds to the inherited ones. */
  env: Readonly<Record<string, string>>;
  /** The env files `env` was read from (absolute), which `up --watch` watches like the project file. */
  envFiles?: readonly string[] | undefined;
  description?: string | undefined;
  dependsOn: Readonly<Record<string, DependencyCondition>>;
  restart?: RestartOptions | undefined;
  limits?: LimitOptions | undefined;
  logs?: LogCapOptions | undefined;
  health?: HealthOptions | undefined;
  /** How `down` (and a restart for a changed definition) stops it. */
  stop?: { signal?: string | undefined; timeoutMs?: number | undefined } | undefined;
  /** Paths or globs, relative to the file, that restart the service under `up --watch`. */
  watch?: { paths: readonly string[]; ignore: readonly string[] } | undefined;
}

export interface StackSpec {
  /** The project name: `name:` in the file, else the file's directory name (or an override). */
  project: string;
  /** The file read (absolute), and its kind. */
  file: string;
  format: 'ghost' | 'procfile' | 'process-compose';
  /** The directory relative paths are resolved from. */
  dir: string;
  /** sha256 of the file's bytes. */
  digest: string;
  /** The file's text as read (what `up` records in the history, for a rollback). */
  text?: string | undefined;
  /**
   * The git commit the text comes from (`dirty`: the file differs from it), null when it is not
   * in git; undefined: look at the file's working tree when the up is recorded.
   */
  git?: GitOrigin | null | undefined;
  /** In file order. */
  services: readonly ServiceSpec[];
}
