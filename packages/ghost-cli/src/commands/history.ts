// ghost history and rollback: the revisions of a project file that `up` applied (recorded by
// core's `up`), and an up of an earlier one from its recorded text.
import { type StackRevision, rollbackRevision, stackHistory } from '@ghost/core';
import { formatAgo } from '@ghost/core/format';
import { Command, Option } from 'clipanion';
import { option } from '../options/option.js';
import { revisionTable, revisionText } from '../output/history-text.js';
import { UsageError } from './base.js';
import { ProjectCommand } from './project-command.js';
import { ApplyCommand } from './stack.js';

/** A revision as `--json` prints it. */
function revisionJSON(revision: StackRevision) {
  return {
    project: revision.project,
    revision: revision.revision,
    applied_at: revision.appliedAt,
    file: revision.file,
    format: revision.format,
    digest: revision.digest,
    git_commit: revision.git?.commit ?? null,
    git_dirty: revision.git?.dirty ?? null,
  };
}

export class HistoryCommand extends ProjectCommand {
  static override paths = [['history']];

  static override usage = Command.Usage({
    description: "list the project file's revisions that up applied",
    details: `
      Every successful \`ghost up\` (and \`ghost rollback\`) of a changed project file records it: when, the file's digest, and the git commit it came from when the file is in a git repository (\`+dirty\`: the file differed from that commit). The last one listed is the one applied now. \`ghost rollback\` applies an earlier one.
    `,
  });

  json = option('json');

  protected override async run(): Promise<number> {
    const project = await this.historyProject();
    if (project === null) return 1;
    const history = stackHistory(this.ghost, project);
    if (this.json) {
      this.printJSON(history.map(revisionJSON));
      return 0;
    }
    if (history.length === 0) {
      this.note(`no revisions of ${project} have been applied; apply the file with: ghost up`);
      return 0;
    }
    this.print(revisionTable(history, this.context.cwd, Date.now(), this.terminalWidth));
    return 0;
  }
}

export class RollbackCommand extends ApplyCommand {
  static override paths = [['rollback']];

  static override usage = Command.Usage({
    description: 'apply the previous revision of the project file (or revision REV)',
    details: `
      Applies, through \`ghost up\`, the project file as the previous revision in \`ghost history\` recorded it (or revision REV), from its recorded text: the file on disk and git are not needed, and a file that no longer reads is no obstacle. The rollback is a revision of its own, so a second rollback goes forward again. The file on disk is left as it is: the next \`ghost up\` applies it again.
    `,
    examples: [
      ['Undo the last change', 'ghost rollback'],
      ['Go back to revision 3', 'ghost rollback 3'],
    ],
  });

  revision = Option.String({ required: false, name: 'rev' });

  protected override async run(): Promise<number> {
    let number: number | undefined;
    if (this.revision !== undefined) {
      number = Number(this.revision);
      if (!Number.isSafeInteger(number) || number < 1) throw new UsageError(`"${this.revision}" is not a revision number (see ghost history)`);
    }
    const project = await this.historyProject();
    if (project === null) return 1;
    const target = rollbackRevision(this.ghost, project, number);
    const stack = await this.readStackFile((reader) => reader.parseRevision(target));
    if (!stack) return 1;
    if (!this.json) this.note(`rolling back ${project} to ${revisionText(target)}, applied ${formatAgo(new Date(target.appliedAt))}`);
    return this.apply(stack);
  }
}
