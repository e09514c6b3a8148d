import { LogLines, type LogReader } from '@ghost/core';

/** The most lines the viewer keeps (older ones are dropped as new ones arrive). */
export const MAX_LOG_LINES = 10_000;

/**
 * Keeps a LogLines buffer in step with a task's log file: `poll()` reads only what was appended
 * since the last read (core's LogReader keeps the offset) and reports how the buffer changed.
 * The app polls on change notifications and on a timer while the viewer is open; a file that
 * was truncated starts over.
 */
export class LogFollower {
  readonly lines: LogLines;
  #reader: LogReader | undefined;
  /** Whether the buffer's last line is unfinished (the last bytes read did not end a line). */
  #partial = false;

  constructor(reader: LogReader, maxLines = MAX_LOG_LINES) {
    this.#reader = reader;
    this.lines = new LogLines(maxLines);
  }

  /**
   * Reads new output. `changed` is false when nothing arrived; `dropped` counts old lines that
   * left the buffer (so a paused view can stay on the lines it shows); `restarted` means the
   * file was truncated and the buffer holds only what is in it now.
   */
  poll(): { changed: boolean; dropped: number; restarted: boolean } {
    if (!this.#reader) return { changed: false, dropped: 0, restarted: false };
    const { data, truncated } = this.#reader.read();
    if (truncated) {
      this.lines.clear();
      this.#partial = false;
    }
    if (data.length === 0) return { changed: truncated, dropped: 0, restarted: truncated };
    const complete = this.lines.length - (this.#partial ? 1 : 0);
    this.#partial = data[data.length - 1] !== 10;
    this.lines.push(data);
    // Without dropping, the buffer would hold the complete lines it had, one more per newline
    // read, and the unfinished last line if any; what is missing was dropped from the start.
    const expected = complete + countNewlines(data) + (this.#partial ? 1 : 0);
    return { changed: true, dropped: Math.max(0, expected - this.lines.length), restarted: truncated };
  }

  close(): void {
    this.#reader?.close();
    this.#reader = undefined;
  }
}

function countNewlines(data: Buffer): number {
  let count = 0;
  for (let i = data.indexOf(10); i >= 0; i = data.indexOf(10, i + 1)) count++;
  return count;
}
