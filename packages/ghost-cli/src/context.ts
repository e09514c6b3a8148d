import type { BaseContext, CommandClass } from 'clipanion';
import type { Ghost } from '@ghost/core';

/** What every command gets besides its streams; tests supply their own. */
export interface GhostContext extends BaseContext {
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Opens ghost's state (called only by commands that need it). */
  openGhost(): Ghost;
  /**
   * Every ghost command, for those that describe the others (completion). Handed in rather
   * than imported, since the table of commands imports them.
   */
  commands: readonly CommandClass<GhostContext>[];
}
