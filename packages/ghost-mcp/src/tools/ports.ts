import { taskPortToJSON } from '@ghost/core';
import { z } from 'zod';
import { defineTool, taskRefs } from '../tool.js';
import { taskPortSchema } from '../wire-schemas.js';

export const portsTool = defineTool({
  name: 'ports',
  title: 'Ports tasks listen on',
  description:
    "The TCP ports listening and UDP ports bound by a task's whole process tree (the command and everything it started, including processes that left its process group), of the tasks given or of every running task: " +
    '{"ports": [{"task", "name", "protocol", "address", "port", "pid"}]}, pid being the process holding the socket. A task that has ended has none. ' +
    'Use it to learn which port a dev server picked.',
  input: { tasks: taskRefs.optional().describe('Only these tasks (default: every running task)') },
  output: z.object({ ports: z.array(taskPortSchema) }),
  annotations: { readOnlyHint: true },
  async call(args, server) {
    const found = await server.ghost.taskPorts(args.tasks);
    const ended = args.tasks === undefined ? [] : server.ghost.resolve(args.tasks).filter((task) => task.status !== 'running');
    return {
      value: { ports: found.map(({ task, port }) => taskPortToJSON(task, port)) },
      notes: ended.map((task) => `task ${task.name ?? task.id} is not running (${task.status}): it has no ports`),
    };
  },
});
