import { closeSync, fstatSync, openSync } from 'node:fs';
import { readLogFrom } from './read.js';

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
}

/**
 * Yields a file's bytes as they are appended, until `isActive()` says the writer is done and
 * everything is read. It looks again on each of `changes`, so an idle follower costs what that
 * costs. A file that shrinks (truncated) is read again from 0.
 */
export async function* followFile(path: string, options: FollowOptions): AsyncGenerator<Buffer, void, undefined> {
  const fd = openSync(path, 'r');
  let offset = options.from ?? 0;
  const readAll = function* (): Generator<Buffer> {
    let chunk: Buffer | null;
    while ((chunk = readLogFrom(fd, offset)) !== null) {
      offset += chunk.length;
      yield chunk;
    }
  };
  try {
    for await (const _ of options.changes) {
      if (options.signal?.aborted) return;
      if (fstatSync(fd).size < offset) offset = 0;
      for (const chunk of readAll()) {
        yield chunk;
        if (options.signal?.aborted) return;
      }
      if (!options.isActive()) {
        // The writer is done; whatever it wrote last was read above, but read once more in case
        // its final bytes landed between that read and the check.
        yield* readAll();
        return;
      }
    }
  } finally {
    closeSync(fd);
  }
}
