import { taskToJSON } from '@ghost/core';
import { z } from 'zod';
import { defineTool, taskRefs } from '../tool.js';
import { taskSchema } from '../wire-schemas.js';

export const rmTool = defineTool({
  name: 'rm',
  title: 'Remove ended tasks',
  description:
    'Deletes ended tasks and their logs: {"removed": [the tasks as they were]}. All or nothing: if one of them is running, or has left processes running after its command ended, nothing is removed (stop it first).',
  input: { tasks: taskRefs.describe('The tasks to remove') },
  output: z.object({ removed: z.array(taskSchema) }),
  annotations: { destructiveHint: true, idempotentHint: false },
  async call(args, server) {
    return { value: { removed: server.ghost.removeMany(args.tasks).map(taskToJSON) } };
  },
});
