// Log bytes on stdout, and several tasks' logs followed at once with each line prefixed by its
// task: shared by `ghost log` and `ghost up --attach`.
import type { FollowLogOptions, Ghost, Task } from '@ghost/core';
import { TerminalLogFilter, escapeForTerminal, shortId } from '@ghost/core/format';
import type { Writable } from 'node:stream';
import { LinePrefixer } from './line-prefixer.js';

/**
 * Follows every task's log at once, each whole line prefixed (see `prefixesFor`), until every
 * task has ended and its output is drained, or `options.signal` aborts.
 */
export async function followPrefixed(ghost: Ghost, tasks: readonly Task[], out: LogOutput, options: FollowLogOptions): Promise<void> {
  const prefixes = prefixesFor(tasks);
  await Promise.all(
    tasks.map(async (task) => {
      const lines = new LinePrefixer(prefixes.get(task.id)!);
      for await (const chunk of ghost.followLog(task, options)) await out.write(lines.push(chunk));
      await out.write(lines.end());
    }),
  );
}

/** "web   | " for each task: its name, or its short id if it has none or shares it. */
export function prefixesFor(tasks: readonly Task[]): Map<string, string> {
  const labels = tasks.map((task) => {
    const shared = task.name !== null && tasks.filter((other) => other.name === task.name).length > 1;
    return task.name && !shared ? escapeForTerminal(task.name) : shortId(task.id);
  });
  const width = Math.max(...labels.map((label) => label.length));
  return new Map(tasks.map((task, index) => [task.id, `${labels[index]!.padEnd(width)} | `]));
}

/**
 * stdout for log bytes: exact through a pipe or into a file; on a terminal, filtered (see
 * TerminalLogFilter), since a task's output may hold sequences that clear the screen, retitle
 * the window or set the clipboard of whoever reads its log.
 */
export class LogOutput {
  readonly #stream: Writable;
  readonly #filter: TerminalLogFilter | undefined;

  constructor(stream: Writable) {
    this.#stream = stream;
    this.#filter = (stream as { isTTY?: boolean }).isTTY === true ? new TerminalLogFilter() : undefined;
  }

  write(chunk: Buffer): Promise<void> {
    return write(this.#stream, this.#filter ? Buffer.from(this.#filter.push(chunk)) : chunk);
  }

  end(): Promise<void> {
    return this.#filter ? write(this.#stream, Buffer.from(this.#filter.end())) : Promise.resolve();
  }
}

/**
 * Writes a chunk, then waits for the stream to drain. Both listeners go once either fires: a
 * listener left behind would keep its chunk alive (a 2 GB log through a pipe held 2 GB).
 */
function write(stream: Writable, chunk: Buffer): Promise<void> {
  if (chunk.length === 0 || stream.write(chunk)) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      stream.off('drain', done).off('error', done);
      resolve();
    };
    stream.on('drain', done).on('error', done);
  });
}
