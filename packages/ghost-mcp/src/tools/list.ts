import { TASK_STATUSES, type TaskStatus, taskToJSON } from '@ghost/core';
import { z } from 'zod';
import { DEFAULT_LIST_LIMIT, MAX_LIST_LIMIT } from '../limits.js';
import { defineTool, serverPath } from '../tool.js';
import { taskSchema } from '../wire-schemas.js';

export const listTool = defineTool({
  name: 'list',
  title: 'List tasks',
  description:
    'Tasks, newest first, as {"tasks": [task objects], "more"}: running ones, and how the others ended (status exited with exit_code, killed with signal, or unknown; restarting while a restart policy waits to start it again). ' +
    "`here: true` keeps the tasks started in this server's directory (the repository an agent works in), `cwd` those of another directory, `project` a project file's services. " +
    `Returns at most \`limit\` tasks (default ${DEFAULT_LIST_LIMIT}); "more" is true when more match.`,
  input: {
    status: z
      .enum(TASK_STATUSES as [TaskStatus, ...TaskStatus[]])
      .optional()
      .describe('Only tasks with this status'),
    name: z.string().min(1).optional().describe('Only tasks with this name'),
    here: z.boolean().optional().describe("Only tasks started in this server's directory"),
    cwd: z.string().min(1).optional().describe("Only tasks started in this directory; relative paths start from the server's directory"),
    project: z.string().min(1).optional().describe("Only the services of this project (a project file's name, as up reports it)"),
    limit: z
      .number()
      .int()
      .min(1)
      .max(MAX_LIST_LIMIT)
      .optional()
      .describe(`The most tasks to return (default ${DEFAULT_LIST_LIMIT}, at most ${MAX_LIST_LIMIT})`),
  },
  output: z.object({
    tasks: z.array(taskSchema),
    more: z.boolean().describe('More tasks match than limit: filter, or raise limit'),
  }),
  annotations: { readOnlyHint: true },
  async call(args, server) {
    if (args.here && args.cwd !== undefined) throw new Error('give here or cwd, not both');
    const limit = args.limit ?? DEFAULT_LIST_LIMIT;
    const cwd = args.here ? server.cwd : args.cwd === undefined ? undefined : serverPath(server, args.cwd);
    const tasks = server.ghost.list({ status: args.status, name: args.name, project: args.project, cwd, limit: limit + 1 });
    const more = tasks.length > limit;
    return {
      value: { tasks: tasks.slice(0, limit).map(taskToJSON), more },
      notes: more ? [`only the newest ${limit} tasks are shown; more match (filter by status, name, here or project, or raise limit)`] : [],
    };
  },
});
