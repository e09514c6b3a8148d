import { DEFAULT_STOP_TIMEOUT_MS, type Task } from '@ghost/core';
import { shortId, statusText } from '@ghost/core/format';
import type { GhostApi } from '../ghost-api.js';
import { errorText, stopFirst } from '../format/error-text.js';
import { taskLabel } from '../format/task-cells.js';
import type { MessageKind } from '../views/footer.js';

/** What the actions need from the UI around them. */
export interface ActionHost {
  /** Shows a line in the status line. */
  message(text: string, kind: MessageKind): void;
  /** Tasks changed (or an action started or ended): read them again and redraw. */
  changed(): void;
  /** A rerun started this task: select it. */
  started(task: Task): void;
  /** False once the UI has quit: late results are dropped. */
  live(): boolean;
}

/**
 * The task actions, as the UI runs them: each one reports what it is doing and how it ended in
 * the status line ("stopped 3f2a9c1b: exited 0"), errors included. Stop and kill wait for the
 * processes to go, so they run as promises while the screen stays live; meanwhile `pending`
 * says what the task's status column shows ("stopping…").
 */
export class TaskActions {
  readonly pending = new Map<string, string>();

  constructor(
    private readonly ghost: GhostApi,
    private readonly host: ActionHost,
  ) {}

  async stop(task: Task): Promise<void> {
    if (!this.#canSignal(task)) return;
    await this.#track(task, 'stopping…', `stopping ${taskLabel(task)} (SIGTERM, then SIGKILL after ${DEFAULT_STOP_TIMEOUT_MS / 1000} s)…`, async () => {
      const result = await this.ghost.stop(task.id);
      if (!result.wasRunning) return `${shortId(task.id)} had already ended: ${statusText(result.task)}`;
      return `stopped ${shortId(task.id)}: ${statusText(result.task)}${result.killed ? ' (it ignored SIGTERM)' : ''}`;
    });
  }

  async kill(task: Task): Promise<void> {
    if (!this.#canSignal(task)) return;
    await this.#track(task, 'killing…', `killing ${taskLabel(task)}…`, async () => {
      const ended = await this.ghost.kill(task.id, 'SIGKILL');
      return `killed ${shortId(task.id)}: ${statusText(ended)}`;
    });
  }

  /**
   * Restart in place: the same task, a new run (a running one is stopped first); an ended one
   * is started again.
   */
  async restart(task: Task): Promise<void> {
    const running = task.status === 'running' || task.status === 'restarting';
    if (this.pending.has(task.id)) {
      this.host.message(`${taskLabel(task)} is already ${this.pending.get(task.id)}`, 'info');
      return;
    }
    await this.#track(task, running ? 'restarting…' : 'starting…', `${running ? 'restarting' : 'starting'} ${taskLabel(task)}…`, async () => {
      const started = running ? await this.ghost.restart(task.id) : await this.ghost.start(task.id);
      return `${running ? 'restarted' : 'started'} ${shortId(task.id)}: run ${started.run}, ${statusText(started)}`;
    });
  }

  async rerun(task: Task): Promise<void> {
    this.host.message(`starting ${taskLabel(task)} again…`, 'progress');
    this.host.changed();
    try {
      const started = await this.ghost.rerun(task.id);
      if (!this.host.live()) return;
      this.host.message(`started ${shortId(started.id)} (rerun of ${shortId(task.id)})`, 'info');
      this.host.changed();
      this.host.started(started);
    } catch (error) {
      if (!this.host.live()) return;
      this.host.message(`cannot rerun ${shortId(task.id)}: ${errorText(error)}`, 'error');
      this.host.changed();
    }
  }

  /** Why a task cannot be deleted (it is running), or undefined if it can. */
  whyNotDelete(task: Task): string | undefined {
    return task.status === 'running' ? `${taskLabel(task)} is running: ${stopFirst()}, then delete it` : undefined;
  }

  /** Deletes an ended task and its log (after the person confirmed). True if it is gone. */
  remove(task: Task): boolean {
    let removed = false;
    try {
      this.ghost.remove(task.id);
      this.host.message(`deleted ${shortId(task.id)}`, 'info');
      removed = true;
    } catch (error) {
      this.host.message(`cannot delete ${shortId(task.id)}: ${errorText(error)}`, 'error');
    }
    this.host.changed();
    return removed;
  }

  #canSignal(task: Task): boolean {
    if (task.status !== 'running') {
      this.host.message(`${taskLabel(task)} is not running (${statusText(task)})`, 'info');
      return false;
    }
    if (this.pending.has(task.id)) {
      this.host.message(`${taskLabel(task)} is already ${this.pending.get(task.id)}`, 'info');
      return false;
    }
    return true;
  }

  /** Runs a slow action while the UI stays live; its result goes to the status line. */
  #track(task: Task, pendingText: string, progress: string, work: () => Promise<string>): Promise<void> {
    return trackPending(this.host, this.pending, task.id, pendingText, progress, work, (error) => `${pendingText.replace('…', '')} ${shortId(task.id)} failed: ${errorText(error)}`);
  }
}

/**
 * A slow action (of a task, of a project) as the UI runs it while the screen stays live:
 * `pending` holds what `key`'s row shows meanwhile, the status line says `progress`, then the
 * text `work` ends with, or `failure`'s for its error; a result that comes after the UI quit
 * is dropped.
 */
export async function trackPending(
  host: ActionHost,
  pending: Map<string, string>,
  key: string,
  pendingText: string,
  progress: string,
  work: () => Promise<string>,
  failure: (error: unknown) => string,
): Promise<void> {
  pending.set(key, pendingText);
  host.message(progress, 'progress');
  host.changed();
  let result: { text: string; kind: MessageKind };
  try {
    result = { text: await work(), kind: 'info' };
  } catch (error) {
    result = { text: failure(error), kind: 'error' };
  }
  pending.delete(key);
  if (!host.live()) return;
  host.message(result.text, result.kind);
  host.changed();
}
