// Calls that wait (wait, run with wait or wait_healthy) and a client's request timeout.
//
// An MCP SDK client gives up on a request after 60 s (DEFAULT_REQUEST_TIMEOUT_MSEC) unless the
// caller raised `timeout`; a progress notification resets that clock only if the caller also
// set `resetTimeoutOnProgress`, which is off by default, and the server cannot tell either.
// So one call never blocks longer than the server's call limit (50 s by default, below that
// 60 s with room for a slow machine), whatever timeout_seconds says: a wait the limit cuts
// short returns `timed_out: true` with `remaining_seconds` > 0, and the agent calls again for
// the rest. Clients that give a progress token also get a notification at once and every few
// seconds while the call waits (for a client that resets its timeout on progress, and for a
// person watching).
import { type Task, type WaitResult, isActiveStatus, waitResultToJSON } from '@ghost/core';
import { z } from 'zod';
import { type CallContext, type ServerContext, plural } from './tool.js';
import { waitResultSchema } from './wire-schemas.js';

/** How often a waiting call reports progress to a client that asked for it. */
const PROGRESS_INTERVAL_MS = 5_000;

export const remainingSeconds = z
  .number()
  .min(0)
  .describe('Seconds of timeout_seconds still left when this call stopped waiting at its own limit: call wait again with timeout_seconds set to this to wait on. 0: the wait is over');

export interface WaitRequest {
  /** The caller's whole timeout, in seconds. */
  timeoutSeconds: number;
  any?: boolean | undefined;
  healthy?: boolean | undefined;
}

export interface CappedWait {
  result: WaitResult;
  /** See `remainingSeconds`. */
  remainingSeconds: number;
}

/**
 * `ghost.wait` for at most the caller's timeout and at most the server's call limit, reporting
 * progress meanwhile. Waits on the tasks by id, so a name taken by a newer task meanwhile does
 * not change what is waited for.
 */
export async function cappedWait(server: ServerContext, call: CallContext, tasks: readonly Task[], request: WaitRequest): Promise<CappedWait> {
  const timeoutMs = request.timeoutSeconds * 1000;
  const limitMs = Math.min(timeoutMs, server.callMs);
  const ids = tasks.map((task) => ({ id: task.id }));
  const started = Date.now();
  const report = () => {
    const ended = server.ghost.resolve(ids).filter((task) => !isActiveStatus(task.status) || (request.healthy && task.health === 'healthy')).length;
    const waited = (Date.now() - started) / 1000;
    call.progress(Math.round(waited), Math.round(limitMs / 1000), `${ended} of ${plural(ids.length, 'task')} ${request.healthy ? 'ready or ended' : 'ended'} after ${Math.round(waited)} s`);
  };
  report();
  const timer = setInterval(report, PROGRESS_INTERVAL_MS);
  try {
    const result = await server.ghost.wait(ids, { timeoutMs: limitMs, any: request.any, healthy: request.healthy, signal: call.signal });
    const left = result.timedOut ? Math.max(0, timeoutMs - (Date.now() - started)) : 0;
    // Less than a second left is not worth another call.
    return { result, remainingSeconds: left >= 1000 ? Math.round(left / 100) / 10 : 0 };
  } finally {
    clearInterval(timer);
  }
}

/** What to tell the agent after a wait its limit cut short, or that timed out. */
export function waitNotes(wait: CappedWait, callMs: number): string[] {
  if (!wait.result.timedOut) return [];
  const ids = wait.result.tasks.map((task) => task.id);
  if (wait.remainingSeconds > 0) {
    return [
      `still waiting after ${Math.round(callMs / 1000)} s, the longest one call waits (so that a client's request timeout does not cut it); ` +
        `call wait with tasks ${JSON.stringify(ids)} and timeout_seconds ${wait.remainingSeconds} to wait for the rest`,
    ];
  }
  return ['timed out: the tasks had not ended when timeout_seconds passed'];
}

/** The wait tool's result: core's wait result, with what is left of the wait. */
export const cappedWaitSchema = waitResultSchema.extend({ remaining_seconds: remainingSeconds });

export function cappedWaitToJSON(wait: CappedWait): z.output<typeof cappedWaitSchema> {
  return { ...waitResultToJSON(wait.result), remaining_seconds: wait.remainingSeconds };
}
