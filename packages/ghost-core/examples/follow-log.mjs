// Follow a task's log as `ghost log -f` does: the bytes as they are written, to the end of the
// task's output. The iteration ends by itself once the task has ended and its log is drained.
//
//   GHOST_DATA_DIR=/tmp/somewhere node examples/follow-log.mjs
import { Ghost } from '@ghost/core';

const ghost = Ghost.open();
try {
  const task = await ghost.run({ command: ['sh', '-c', 'for i in 1 2 3; do echo "line $i"; sleep 0.1; done'], name: 'counter' });
  for await (const chunk of ghost.followLog(task.id)) process.stdout.write(chunk);
  console.log(`${task.name} ended: ${ghost.status(task.id).status}`);
} finally {
  ghost.close();
}
