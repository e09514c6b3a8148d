import {
  type DownResult,
  type Ghost,
  type ServiceAction,
  type StackProgress,
  type StackSpec,
  type UpResult,
  down,
  latestRevision,
  stackFailure,
  up,
} from '@ghost/core';
import { progressText } from '@ghost/core/format';
import { errorText } from '../format/error-text.js';
import { oneLine } from '../text/width.js';
import { type ActionHost, trackPending } from './task-actions.js';

/** Up and down of a project by its name: what the UI asks of core for a stack. */
export interface StackApi {
  up(project: string, onProgress: (event: StackProgress) => void): Promise<UpResult>;
  down(project: string, onProgress: (event: StackProgress) => void): Promise<DownResult>;
}

/**
 * Through core, for a project some `ghost up` applied (its history knows the file): up reads
 * that file as it is now, as `ghost up` in its directory would; down stops in the dependency
 * order of what was applied last (the revision's text), or all at once if that no longer reads.
 * The file reader is loaded on the first use only.
 */
export function stackApi(ghost: Ghost): StackApi {
  const revisionOf = (project: string) => {
    const revision = latestRevision(ghost, project);
    if (!revision) throw new Error(`no project file is recorded for ${project}: it was never brought up from one`);
    return revision;
  };
  return {
    async up(project, onProgress) {
      const revision = revisionOf(project);
      const reader = await import('@ghost/core/stack');
      const { stack, problems } = reader.loadStack({ file: revision.file, projectName: project });
      if (!stack) {
        const more = problems.length > 1 ? ` (and ${problems.length - 1} more problems: ghost config --validate)` : '';
        throw new Error(`${reader.formatProblem(problems[0]!)}${more}`);
      }
      return up(ghost, stack, { onProgress });
    },
    async down(project, onProgress) {
      const revision = latestRevision(ghost, project);
      let target: StackSpec | string = project;
      if (revision) target = (await import('@ghost/core/stack')).parseRevision(revision).stack ?? project;
      return down(ghost, target, { onProgress });
    },
  };
}

/**
 * A stack's up and down as the UI runs them: in the background while the screen stays live,
 * each step in the status line ("up shop: api waiting for db"), and how it ended; meanwhile
 * `pending` says what the project's head shows ("up…").
 */
export class StackActions {
  readonly pending = new Map<string, string>();

  constructor(
    private readonly stacks: StackApi,
    private readonly host: ActionHost,
  ) {}

  async up(project: string): Promise<void> {
    await this.#track(project, 'up', async (onProgress) => {
      const result = await this.stacks.up(project, onProgress);
      if (!result.changed) return `${project} is up to date: ${result.services.length} services unchanged`;
      const counts = new Map<keyof typeof ACTION_DONE, number>();
      for (const { action } of result.services) if (action !== 'unchanged') counts.set(action, (counts.get(action) ?? 0) + 1);
      if (result.removed.length > 0) counts.set('remove', result.removed.length);
      return `${project} is up: ${[...counts].map(([action, count]) => `${count} ${ACTION_DONE[action]}`).join(', ')}`;
    });
  }

  async down(project: string): Promise<void> {
    await this.#track(project, 'down', async (onProgress) => {
      const result = await this.stacks.down(project, onProgress);
      return result.stopped.length === 0 ? `nothing to stop in ${project}` : `${project} is down: ${result.stopped.length} services stopped`;
    });
  }

  async #track(project: string, what: 'up' | 'down', work: (onProgress: (event: StackProgress) => void) => Promise<string>): Promise<void> {
    if (this.pending.has(project)) return this.host.message(`${project} is already ${this.pending.get(project)}`, 'info');
    const onProgress = (event: StackProgress) => {
      if (!this.host.live()) return;
      this.host.message(`${what} ${project}: ${oneLine(event.service)} ${oneLine(progressText(event))}`, 'progress');
      this.host.changed();
    };
    await trackPending(this.host, this.pending, project, `${what}…`, `${what} ${project}…`, () => work(onProgress), (error) => {
      const failed = stackFailure(error);
      const where = failed ? ` (l on ${oneLine(failed.service)} shows its log)` : '';
      return `${what} ${project} failed: ${errorText(error)}${where}`;
    });
  }
}

/** What an up did, per plan action (and to orphans), in the words of its result line. */
const ACTION_DONE: Readonly<Record<Exclude<ServiceAction, 'unchanged'> | 'remove', string>> = { start: 'started', restart: 'restarted', remove: 'removed' };
