import type { ChangeWatcher } from './watch.js';

export interface ChangesOptions {
  /** Ends the iteration. */
  signal?: AbortSignal | undefined;
  /**
   * Yield anyway after this long without a notification (default 1000 ms): it catches what no
   * notification announces, such as a supervisor killed by someone else whose command then exits.
   */
  slowTickMs?: number | undefined;
}

/**
 * "Something may have changed": yields once at once, then after each notification of
 * `subscribe`'s watcher, or a slow tick when there is none. The watcher runs before the first
 * yield, so a change made while the consumer looks is never missed (it is yielded next), and
 * notifications that arrive together are yielded once. Ends when `signal` aborts; breaking out of
 * the loop closes the watcher. Idle, it costs the watcher's cost and one timer a slow tick.
 *
 * ```ts
 * for await (const _ of changes(watch, { signal })) if (done()) break;
 * ```
 */
export async function* changes(
  subscribe: (onChange: () => void) => ChangeWatcher,
  options: ChangesOptions = {},
): AsyncGenerator<void, void, undefined> {
  const { signal } = options;
  let pending = false;
  let wake: (() => void) | undefined;
  const watcher = subscribe(() => {
    pending = true;
    wake?.();
  });
  const onAbort = () => wake?.();
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    while (!signal?.aborted) {
      yield;
      if (!pending && !signal?.aborted) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, options.slowTickMs ?? 1000);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        wake = undefined;
      }
      pending = false;
    }
  } finally {
    watcher.close();
    signal?.removeEventListener('abort', onAbort);
  }
}
