import type { Ghost } from '@ghost/core';

/** The part of core's API the UI uses: reading state and asking for actions, nothing else. */
export type GhostApi = Pick<Ghost, 'listChanges' | 'stats' | 'stop' | 'kill' | 'restart' | 'start' | 'runs' | 'rerun' | 'remove' | 'ports' | 'watch' | 'openLog' | 'taskEnv'>;
