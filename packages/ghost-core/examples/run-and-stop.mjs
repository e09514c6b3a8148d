// A third-party tool built on ghost's engine. It imports @ghost/core by its package name only
// (through the package's exports, as any consumer would), runs a task, reads its status, stops
// it and prints one JSON object. The data directory comes from GHOST_DATA_DIR, as for the CLI.
//
//   GHOST_DATA_DIR=/tmp/somewhere node examples/run-and-stop.mjs
import { Ghost, GhostError, isGhostError, taskToJSON } from '@ghost/core';

const ghost = Ghost.open();
try {
  const started = await ghost.run({ command: ['sleep', '30'], name: 'downstream', env: { DOWNSTREAM: '1' } });
  const running = ghost.status('downstream');
  const { task: stopped, wasRunning, killed } = await ghost.stop(started.id, { timeoutMs: 5_000 });

  let notFound = null;
  try {
    ghost.status('no-such-task');
  } catch (error) {
    if (!isGhostError(error)) throw error;
    notFound = { code: error.code, exitCode: error.exitCode, isGhostError: error instanceof GhostError, message: error.message };
  }

  const result = {
    started: taskToJSON(started),
    running: taskToJSON(running),
    stopped: taskToJSON(stopped),
    wasRunning,
    killed,
    notFound,
    listed: ghost.list().map((task) => task.id),
    envKeys: Object.keys(ghost.taskEnv(started.id)).includes('DOWNSTREAM'),
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
} finally {
  ghost.close();
}
