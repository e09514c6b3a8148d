import { Ghost, isGhostError } from '@ghost/core';
import { VERSION } from './version.js';

const HELP = `ghost-ui: a terminal UI for ghost tasks

Usage: ghost-ui [--no-confirm] [--help] [--version]

Shows your ghost tasks, live: changes made from other terminals appear within a second.
Select a task with j/k or the arrows, then Enter shows its details, l its log, s stops it,
K kills it, r restarts it (the same task, a new run), R runs it again as a new task, d
deletes it (once it has ended). The tasks of each project (\`ghost up\`) are grouped under
a line with its stack's state: u brings the selected project up, D takes it down. Tab
filters by status, / by name or command, o sorts, ? lists every key, q quits.

Stopping, killing or restarting a running task asks first; --no-confirm (or answering a with
"yes, stop asking") does not.

Data directory: GHOST_DATA_DIR, else the platform's user data directory.
`;

/** Set once the screen ran: from then on the process exits as soon as main returns. */
let ranUi = false;

async function main(argv: string[]): Promise<number> {
  const confirm = !argv.includes('--no-confirm');
  const [flag] = argv.filter((arg) => arg !== '--no-confirm');
  if (flag === '--version' || flag === '-v') {
    process.stdout.write(`${VERSION}\n`);
    return 0;
  }
  if (flag === '--help' || flag === '-h') {
    process.stdout.write(HELP);
    return 0;
  }
  if (flag !== undefined) {
    process.stderr.write(`ghost-ui: unknown argument "${flag}" (see ghost-ui --help)\n`);
    return 2;
  }
  if (!process.stdout.isTTY || !process.stdin.isTTY) {
    process.stderr.write('ghost-ui: needs a terminal (use `ghost list` in scripts)\n');
    return 1;
  }
  const ghost = Ghost.open();
  try {
    // blessed (and the UI with it) is loaded only when the screen is really needed.
    const { default: blessed } = await import('blessed');
    const [{ createScreen }, { guardTerminal }, { App }, { stackApi }] = await Promise.all([
      import('./terminal/screen.js'),
      import('./terminal/session.js'),
      import('./app.js'),
      import('./actions/stack-actions.js'),
    ]);
    const screen = createScreen(blessed);
    const guard = guardTerminal(screen, (message) => process.stderr.write(`ghost-ui: ${message}\n`));
    ranUi = true;
    try {
      await new App(blessed, screen, ghost, { stacks: stackApi(ghost), confirm }).start();
    } finally {
      guard.release();
    }
    return 0;
  } finally {
    ghost.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
    // An action still in flight (a stop in its grace period) must not keep the process alive
    // after the person quit.
    if (ranUi) process.exit(code);
  },
  (error: unknown) => {
    process.stderr.write(`ghost-ui: ${isGhostError(error) ? error.message : String(error).split('\n')[0]}\n`);
    process.exitCode = 1;
    if (ranUi) process.exit(1);
  },
);
