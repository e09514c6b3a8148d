// Watch what happens to tasks, from this process or any other, without a daemon: the stream
// wakes on changes to the data directory and yields one event per change it sees.
//
//   GHOST_DATA_DIR=/tmp/somewhere node examples/events.mjs
import { Ghost } from '@ghost/core';

const ghost = Ghost.open();
try {
  // Listening starts with the loop, before the task below is started.
  const listening = (async () => {
    for await (const event of ghost.events({ signal: AbortSignal.timeout(10_000) })) {
      console.log(`${event.type} ${event.task.name}`);
      if (event.task.name === 'job' && event.type !== 'started') return;
    }
  })();
  await ghost.run({ command: ['sh', '-c', 'exit 0'], name: 'job' });
  await listening;
} finally {
  ghost.close();
}
