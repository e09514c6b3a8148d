import { errorText } from '../format/error-text.js';
import type { GhostApi } from '../ghost-api.js';
import { LogViewState } from '../state/log-view-state.js';
import { LogFollower } from './log-follower.js';

/**
 * One task's log as a viewer shows it: the lines read so far (a follower), where the view is,
 * and, once reading failed, why. `poll()` reads what the log gained; a log that could not be
 * opened or read says so instead of failing the UI.
 */
export class LogSession {
  readonly state = new LogViewState();
  readonly #follower: LogFollower | undefined;
  #problem: string | undefined;

  constructor(
    ghost: Pick<GhostApi, 'openLog'>,
    readonly taskId: string,
  ) {
    try {
      this.#follower = new LogFollower(ghost.openLog(taskId));
    } catch (error) {
      this.#problem = errorText(error);
    }
  }

  get lines(): LogFollower['lines'] | { length: 0; line(): string } {
    return this.#follower?.lines ?? EMPTY;
  }

  get problem(): string | undefined {
    return this.#problem;
  }

  /** Reads new output; true if the view changed. */
  poll(): boolean {
    if (!this.#follower || this.#problem !== undefined) return false;
    let result: ReturnType<LogFollower['poll']>;
    try {
      result = this.#follower.poll();
    } catch (error) {
      this.#problem = `cannot read the log: ${errorText(error)}`;
      return true;
    }
    if (!result.changed) return false;
    if (result.restarted) this.state.reset();
    this.state.setLineCount(this.#follower.lines.length, result.dropped);
    return true;
  }

  close(): void {
    this.#follower?.close();
  }
}

const EMPTY = { length: 0 as const, line: () => '' };
