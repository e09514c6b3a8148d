import { runToJSON } from '@ghost/core';
import { z } from 'zod';
import { DEFAULT_RUNS_LIMIT, MAX_RUNS_LIMIT } from '../limits.js';
import { defineTool, taskRef } from '../tool.js';
import { runSchema } from '../wire-schemas.js';

export const runsTool = defineTool({
  name: 'runs',
  title: "A task's run history",
  description:
    'A task started again (restart, a restart policy, run with reuse) keeps its id and gets a new run each time. ' +
    '{"task", "name", "current_run", "runs": [{"run", "pid", "pgid", "status", "exit_code", "signal", "reason", "started_at", "finished_at", "log_offset"}], "more"}, newest first: how each run ended. ' +
    "Pass a run's number to log or search to read that run's output only.",
  input: {
    task: taskRef,
    limit: z
      .number()
      .int()
      .min(1)
      .max(MAX_RUNS_LIMIT)
      .optional()
      .describe(`The most runs to return, newest first (default ${DEFAULT_RUNS_LIMIT}, at most ${MAX_RUNS_LIMIT})`),
  },
  output: z.object({
    task: z.string().describe("The task's id"),
    name: z.string().nullable(),
    current_run: z.number().int(),
    runs: z.array(runSchema),
    more: z.boolean().describe('It has older runs than these'),
  }),
  annotations: { readOnlyHint: true },
  async call(args, server) {
    const task = server.ghost.status(args.task);
    const runs = server.ghost.runs(task);
    const limit = args.limit ?? DEFAULT_RUNS_LIMIT;
    return { value: { task: task.id, name: task.name, current_run: task.run, runs: runs.slice(0, limit).map(runToJSON), more: runs.length > limit } };
  },
});
