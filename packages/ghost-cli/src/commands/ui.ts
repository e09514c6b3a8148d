import { Command } from 'clipanion';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { GhostCommand } from './base.js';

export class UiCommand extends GhostCommand {
  static override paths = [['ui'], ['tui']];

  static override usage = Command.Usage({
    description: 'open the terminal UI (ghost-ui)',
    details: `
      Starts \`ghost-ui\`, a full-screen view of your tasks that updates live, with their logs and details, and keys to stop, kill, rerun and delete them. Press \`?\` inside it for every key, \`q\` to quit.

      Output: the full-screen UI on the terminal; nothing is printed once it quits.

      Exit codes: 0 after quitting normally; 1 if the UI cannot start (for example, not a terminal).
    `,
    examples: [['Open the UI', 'ghost ui']],
  });

  protected override async run(): Promise<number> {
    const bin = uiBinary();
    const { spawn } = process.getBuiltinModule('node:child_process');
    const child = spawn(process.execPath, [bin], { stdio: 'inherit', env: this.context.env });
    // Ctrl-C reaches the whole foreground group; the UI handles it and restores the terminal,
    // so this process must outlive it instead of dying first.
    const ignore = () => {};
    process.on('SIGINT', ignore);
    try {
      return await new Promise<number>((resolve, reject) => {
        child.once('error', reject);
        child.once('exit', (code, signal) => resolve(code ?? 128 + (signal ? signalNumber(signal) : 0)));
      });
    } finally {
      process.off('SIGINT', ignore);
    }
  }
}

function signalNumber(signal: NodeJS.Signals): number {
  return process.getBuiltinModule('node:os').constants.signals[signal] ?? 0;
}

/** The installed ghost-ui's entry, found through the @ghost/ui package this CLI depends on. */
function uiBinary(): string {
  const manifest = createRequire(import.meta.url).resolve('@ghost/ui/package.json');
  const { bin } = JSON.parse(readFileSync(manifest, 'utf8')) as { bin: Record<string, string> };
  return join(dirname(manifest), bin['ghost-ui']!);
}
