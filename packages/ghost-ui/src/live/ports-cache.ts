import type { ListeningPort } from '@ghost/core';
import type { PortsInfo } from '../views/details-lines.js';

/**
 * Listening ports per task, fetched off the render path and kept for `maxAgeMs`: drawing asks
 * `get()`, which answers at once with what is known (or "loading") and, when that is stale,
 * starts one fetch in the background; `onUpdate` fires when a fetch lands, to draw again.
 */
export class PortsCache {
  readonly #entries = new Map<string, { at: number; info: PortsInfo }>();
  readonly #inFlight = new Set<string>();
  #closed = false;

  constructor(
    private readonly fetch: (taskId: string) => Promise<ListeningPort[]>,
    private readonly onUpdate: (taskId: string) => void,
    private readonly maxAgeMs = 2_000,
    private readonly now: () => number = Date.now,
  ) {}

  get(taskId: string): PortsInfo {
    const entry = this.#entries.get(taskId);
    if ((!entry || this.now() - entry.at >= this.maxAgeMs) && !this.#inFlight.has(taskId)) this.#start(taskId);
    return entry?.info ?? { state: 'loading' };
  }

  close(): void {
    this.#closed = true;
  }

  #start(taskId: string): void {
    this.#inFlight.add(taskId);
    // setImmediate: never inside the caller's render, even if the fetch does its work eagerly.
    setImmediate(() => {
      if (this.#closed) return;
      this.fetch(taskId).then(
        (ports): PortsInfo => ({ state: 'ready', ports }),
        (error: unknown): PortsInfo => ({ state: 'failed', message: error instanceof Error ? error.message : String(error) }),
      ).then((info) => {
        this.#inFlight.delete(taskId);
        if (this.#closed) return;
        this.#entries.set(taskId, { at: this.now(), info });
        this.onUpdate(taskId);
      });
    });
  }
}
