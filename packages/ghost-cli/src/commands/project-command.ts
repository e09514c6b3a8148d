import { type StackProgress, type StackSpec, projectOfFile } from '@ghost/core';
import { option } from '../options/option.js';
import { LiveProgress } from '../output/live-progress.js';
import { progressLine, progressNameWidth } from '../output/stack-text.js';
import { GhostCommand } from './base.js';

type StackReader = typeof import('@ghost/core/stack');
type LoadStackResult = ReturnType<StackReader['loadStack']>;

/**
 * The base of the commands that read a project file (config, and later up and down): the
 * options that choose the file and the project are declared here once.
 */
export abstract class ProjectCommand extends GhostCommand {
  file = option('file');
  projectName = option('projectName');

  /**
   * Runs an `up` or `down` of `stack` (`body`, given the progress callback) with its progress
   * shown: on a terminal, a block of one line per service redrawn in place as states change;
   * elsewhere, a line per event, the service names aligned. The block's last drawing is done
   * before this returns or throws, so what comes next (a failure's notes, followed logs) is
   * written below it.
   */
  protected async withProgress<T>(stack: StackSpec, body: (onProgress: (event: StackProgress) => void) => Promise<T>): Promise<T> {
    const names = stack.services.map((service) => service.name);
    if (!this.redrawsInPlace) {
      const width = progressNameWidth(names);
      return body((event) => this.context.stdout.write(progressLine(event, this.style, width)));
    }
    const live = new LiveProgress(names, this.context.stdout, this.style);
    try {
      return await body((event) => live.update(event));
    } finally {
      live.finish();
    }
  }

  /** Reads the project file. The reader (a YAML parser, a schema) is loaded only here. */
  protected async loadStack() {
    const stack = await import('@ghost/core/stack');
    return { stack, result: stack.loadStack({ cwd: this.context.cwd, file: this.file, projectName: this.projectName }) };
  }

  /**
   * The project's stack, with its file's warnings on stderr; or, when the file has problems,
   * null once every one of them is on stderr as `file:line:col: message`. `read` reads other
   * text than the file's (a git revision's, a recorded revision's); default: the file.
   */
  async readStackFile(read?: (reader: StackReader) => LoadStackResult): Promise<StackSpec | null> {
    const reader = await import('@ghost/core/stack');
    const result = read ? read(reader) : (await this.loadStack()).result;
    for (const warning of result.warnings) this.note(`${reader.formatProblem(warning, this.context.cwd)} (warning)`);
    for (const problem of result.problems) this.note(reader.formatProblem(problem, this.context.cwd));
    return result.stack ?? null;
  }

  /**
   * The project whose history a command is about: --project-name, else the file's; for a file
   * that no longer reads (the bad change a rollback undoes), the project last applied from it.
   * Null once the file's problems are on stderr.
   */
  async historyProject(): Promise<string | null> {
    if (this.projectName !== undefined) return this.projectName;
    const { stack: reader, result } = await this.loadStack();
    const project = result.stack?.project ?? projectOfFile(this.ghost, result.file);
    if (project === undefined) for (const problem of result.problems) this.note(reader.formatProblem(problem, this.context.cwd));
    return project ?? null;
  }
}
