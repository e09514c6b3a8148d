import { LogLines, type LogReader } from '@ghost/core';

/** The most lines the viewer keeps (older ones are dropped as new ones arrive). */
export const MAX_LOG_LINES = 10_000;

/**
 * Keeps a LogLines buffer in step with a task's log file: `poll()` reads only what was appended
 * since the last read (core's LogReader keeps the offset) and reports how the buffer changed.
 * The app polls on change notifications and on a timer while the viewer is open; a file that
 * was truncated starts over. The buffer knows each line's offset in the log (see LogLines).
 */
export class LogFollower {
  readonly lines: LogLines;
  #reader: LogReader | undefined;
  /** Whether the first read (the log's last lines, which says where they start) is done. */
  #read = false;

  constructor(reader: LogReader, maxLines = MAX_LOG_LINES) {
    this.#reader = reader;
    this.lines = new LogLines(maxLines);
  }

  /**
   * Whether the buffer began at the log's first byte: then the n-th line read is line n of the
   * log; otherwise older output was never loaded (the first read is the log's last lines).
   */
  get fromStart(): boolean {
    return this.lines.origin === 0;
  }

  /**
   * Reads new output. `changed` is false when nothing arrived; `dropped` counts old lines that
   * left the buffer (so a paused view can stay on the lines it shows); `restarted` means the
   * file was truncated or rotated and the buffer holds only what was read since.
   */
  poll(): { changed: boolean; dropped: number; restarted: boolean } {
    if (!this.#reader) return { changed: false, dropped: 0, restarted: false };
    const { data, truncated, start } = this.#reader.read();
    if (truncated || !this.#read) this.lines.clear(start);
    this.#read = true;
    if (data.length === 0) return { changed: truncated, dropped: 0, restarted: truncated };
    const before = this.lines.dropped;
    this.lines.push(data);
    return { changed: true, dropped: this.lines.dropped - before, restarted: truncated };
  }

  close(): void {
    this.#reader?.close();
    this.#reader = undefined;
  }
}
