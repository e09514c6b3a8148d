import { taskToJSON } from '@ghost/core';
import { defineTool, taskRef } from '../tool.js';
import { taskSchema } from '../wire-schemas.js';

export const statusTool = defineTool({
  name: 'status',
  title: 'Show a task',
  description:
    'One task as it is now: status (running, exited, killed or unknown), exit_code or signal, pid, command, cwd, start and end times, run number, health, restarts, CPU and memory while it runs, log path.',
  input: { task: taskRef },
  output: taskSchema,
  annotations: { readOnlyHint: true },
  async call(args, server) {
    return { value: taskToJSON(server.ghost.status(args.task)) };
  },
});
