import type { BaseContext } from 'clipanion';
import type { Ghost } from '@ghost/core';

/** What every command gets besides its streams; tests supply their own. */
export interface GhostContext extends BaseContext {
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Opens ghost's state (called only by commands that need it). */
  openGhost(): Ghost;
}
