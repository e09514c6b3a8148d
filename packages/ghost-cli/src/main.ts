// First: it must run before clipanion loads.
import { lazyStdin, restoreStdin } from './lazy-stdin.js';
import { runCli } from './cli.js';

restoreStdin();

// Writes to a closed pipe (`ghost list | head -1`) are not errors worth a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}

void runCli(process.argv.slice(2), { stdin: lazyStdin, stdout: process.stdout, stderr: process.stderr }).then((code) => {
  process.exitCode = code;
});
