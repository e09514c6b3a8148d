import { LogCursor } from './log-cursor.js';
import { isRotating, rotationFinished } from './rotate.js';

/** The most one look reads before the next (so a follower of a fast writer enforces the log's cap often). */
const LOOK_BYTES = 1024 * 1024;
/** The longest the last look waits for a rotation in progress to finish (a rotation copies at most two caps' worth). */
const ROTATION_WAIT_MS = 10_000;

export interface FollowOptions {
  /** Byte offset to start from (default 0). */
  from?: number | undefined;
  /** Asked whenever the reader has caught up: false ends the follow once the file is drained. */
  isActive: () => boolean;
  /**
   * When to look again: each value means the file may have grown or the writer may be done
   * (see events/changes.ts; it should watch the file itself). Its first value is taken at once.
   */
  changes: AsyncIterable<unknown>;
  signal?: AbortSignal | undefined;
  /** Read the log only up to this offset (asked before each look; null: no bound). */
  until?: (() => number | null) | undefined;
  /** Runs before each look (to enforce the log's cap while following it). */
  beforeLook?: (() => void) | undefined;
}

/**
 * Yields a file's bytes as they are appended, until `isActive()` says the writer is done and
 * everything is read. It looks again on each of `changes`, so an idle follower costs what that
 * costs. A rotated log is followed into its rotated file and on from 0 (see LogCursor).
 */
export async function* followFile(path: string, options: FollowOptions): AsyncGenerator<Buffer, void, undefined> {
  const cursor = new LogCursor(path, options.from ?? 0);
  const bound = () => options.until?.() ?? Number.POSITIVE_INFINITY;
  try {
    for await (const _ of options.changes) {
      if (options.signal?.aborted) return;
      // Look again at once after a full look: the log's cap is enforced between looks.
      for (let full = true; full && !isRotating(path); ) {
        options.beforeLook?.();
        let total = 0;
        for (const chunk of cursor.read(LOOK_BYTES, {}, bound())) {
          total += chunk.length;
          yield chunk;
          if (options.signal?.aborted) return;
        }
        full = total >= LOOK_BYTES;
      }
      if (!options.isActive()) {
        // The writer is done; whatever it wrote last was read above, but read once more (all
        // of it) in case its final bytes landed between that read and the check. A rotation
        // still running (the supervisor's last look at the log, say) is waited out first: a
        // look during one reads nothing, and this is the last look.
        await rotationFinished(path, ROTATION_WAIT_MS, options.signal);
        if (options.signal?.aborted) return;
        yield* cursor.read(Number.POSITIVE_INFINITY, {}, bound());
        return;
      }
    }
  } finally {
    cursor.close();
  }
}
