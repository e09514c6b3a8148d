// Words for a stack's progress, as every front end shows it (`ghost up`'s lines, the UI's
// status line): one table, so that they cannot drift apart.
import type { ServiceState, StackProgress } from '../stack/up.js';

/** What each progress state reads as. */
export const SERVICE_STATE_TEXT: Readonly<Record<ServiceState, string>> = {
  'waiting-for': 'waiting for',
  starting: 'starting',
  started: 'started',
  restarted: 'restarted (its definition changed)',
  healthy: 'healthy',
  completed: 'completed',
  unchanged: 'unchanged',
  failed: 'failed',
  stopped: 'stopped',
  removed: 'removed',
};

/** A progress event's state in words, with the dependencies it waits for: "waiting for db, migrate". */
export function progressText(event: Pick<StackProgress, 'state' | 'dependencies'>): string {
  const words = SERVICE_STATE_TEXT[event.state];
  return event.state === 'waiting-for' && event.dependencies ? `${words} ${event.dependencies.join(', ')}` : words;
}
