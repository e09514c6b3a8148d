import { setTimeout as sleep } from 'node:timers/promises';
import { inspect } from 'node:util';

export interface WaitOptions {
  /** What is awaited, for the error at the deadline (default: the condition's own source). */
  message?: string;
  /** How long to keep trying, in ms (default 10 s). */
  timeout?: number;
  /** The pause between tries, in ms (default 25). */
  interval?: number;
}

export type Truthy<T> = Exclude<T, false | null | undefined | 0 | 0n | ''>;

/**
 * Calls `condition` until it returns a truthy value, and returns that value. A try that throws
 * counts as "not yet" (a file still being written, an `expect` that does not hold yet); at the
 * deadline the error says what was awaited and what the last try returned or threw.
 */
export async function waitFor<T>(condition: () => T | Promise<T>, options: WaitOptions = {}): Promise<Truthy<T>> {
  const { timeout = 10_000, interval = 25, message = sourceOf(condition) } = options;
  const deadline = Date.now() + timeout;
  for (;;) {
    let last: { value: unknown } | { error: unknown };
    try {
      const value = await condition();
      if (value) return value as Truthy<T>;
      last = { value };
    } catch (error) {
      last = { error };
    }
    // Checked after a try, so a condition met just at the deadline is still seen.
    if (Date.now() >= deadline) {
      const outcome = 'error' in last ? `threw ${describeError(last.error)}` : `returned ${inspect(last.value)}`;
      throw new Error(`timed out after ${timeout} ms waiting for ${message}; the last try ${outcome}`, {
        cause: 'error' in last ? last.error : undefined,
      });
    }
    await sleep(interval);
  }
}

function sourceOf(condition: () => unknown): string {
  const source = String(condition).replace(/\s+/g, ' ');
  return source.length > 200 ? `${source.slice(0, 199)}…` : source;
}

function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : inspect(error);
}
