// Start a build in the background, do other work, then wait for it and use its exit code, as a
// script would with `ghost run` and `ghost wait`.
//
//   GHOST_DATA_DIR=/tmp/somewhere node examples/wait.mjs
import { Ghost } from '@ghost/core';

const ghost = Ghost.open();
try {
  const build = await ghost.run({ command: ['sh', '-c', 'echo compiling; exit 3'], name: 'build' });
  const { tasks, timedOut } = await ghost.wait([build.id], { timeoutMs: 10_000 });
  const [ended] = tasks;
  if (timedOut) console.log(`${ended.name} is still ${ended.status}`);
  else console.log(`${ended.name} ${ended.status} with code ${ended.exitCode}`);
} finally {
  ghost.close();
}
