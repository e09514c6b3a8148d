import { Ghost, isGhostError } from '@ghost/core';
import { VERSION } from './version.js';

const HELP = `ghost-ui: a terminal UI for ghost tasks

Usage: ghost-ui [--help] [--version]

Shows your ghost tasks, live. Keys: j/k or arrows move, q quits.
Data directory: GHOST_DATA_DIR, else the platform's user data directory.
`;

async function main(argv: string[]): Promise<number> {
  const [flag] = argv;
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
    // blessed is loaded only when the screen is really needed.
    const { default: blessed } = await import('blessed');
    const { startApp } = await import('./app.js');
    await startApp(blessed, ghost);
    return 0;
  } finally {
    ghost.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`ghost-ui: ${isGhostError(error) ? error.message : String(error).split('\n')[0]}\n`);
    process.exitCode = 1;
  },
);
