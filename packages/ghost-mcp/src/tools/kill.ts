import { taskToJSON } from '@ghost/core';
import { z } from 'zod';
import { defineTool, taskRef } from '../tool.js';
import { taskSchema } from '../wire-schemas.js';

export const killTool = defineTool({
  name: 'kill',
  title: 'Send a signal to a task',
  description:
    "Sends one signal (default SIGKILL) to a running task's process group: a name (\"HUP\", \"SIGINT\", \"term\") or a number. " +
    'SIGKILL ends the whole process tree and returns once it is gone, with the task as it ended (killed SIGKILL); any other signal returns at once, with the task as it is (a server asked to reload keeps running). ' +
    'For a graceful stop with escalation, use stop.',
  input: {
    task: taskRef,
    signal: z
      .union([z.string().min(1), z.number().int().min(1)])
      .optional()
      .describe('The signal: a name such as "HUP", "INT", "TERM" or "SIGUSR1", or its number (default SIGKILL)'),
  },
  output: taskSchema,
  annotations: { destructiveHint: true },
  async call(args, server) {
    return { value: taskToJSON(await server.ghost.kill(args.task, args.signal)) };
  },
});
