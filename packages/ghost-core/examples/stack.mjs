// A third-party tool driving a stack through @ghost/core's library API, by package name only:
// read a project file's text and report its problems (`@ghost/core/stack`, which holds the YAML
// reader), then plan, up and down with the engine (`@ghost/core`). Prints one JSON object.
//
//   GHOST_DATA_DIR=/tmp/somewhere node examples/stack.mjs
import { Ghost, down, plan, up } from '@ghost/core';
import { formatProblem, parseStack } from '@ghost/core/stack';
import { join } from 'node:path';

const file = join(process.cwd(), 'ghost.yaml');
const broken = parseStack({ file, text: 'services:\n  api:\n    comand: [sleep, "30"]\n' });
const { stack } = parseStack({
  file,
  text: 'name: lib\nservices:\n  db:\n    command: [sleep, "30"]\n  api:\n    command: [sleep, "30"]\n    depends_on: [db]\n',
});

const ghost = Ghost.open();
try {
  const before = plan(ghost, stack);
  const progress = [];
  const applied = await up(ghost, stack, { onProgress: (event) => progress.push(`${event.service} ${event.state}`) });
  const after = plan(ghost, stack);
  const stopped = await down(ghost, stack, { remove: true });
  const result = {
    problems: broken.problems.map((problem) => formatProblem(problem)),
    planned: before.services.map((service) => [service.service, service.action]),
    progress,
    changed: applied.changed,
    changesAfter: after.changes,
    stopped: stopped.stopped.map((each) => each.task.service),
    removed: stopped.removed.length,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
} finally {
  ghost.close();
}
