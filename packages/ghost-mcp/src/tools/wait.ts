import { z } from 'zod';
import { cappedWait, cappedWaitSchema, cappedWaitToJSON, waitNotes } from '../long-call.js';
import { DEFAULT_CALL_SECONDS, DEFAULT_WAIT_SECONDS, MAX_WAIT_SECONDS } from '../limits.js';
import { defineTool, taskRefs } from '../tool.js';

export const waitTool = defineTool({
  name: 'wait',
  title: 'Wait for tasks to end',
  description:
    `Waits until the tasks end (or, with any, until one of them ends; with healthy, until they are healthy), at most timeout_seconds (default ${DEFAULT_WAIT_SECONDS}, at most ${MAX_WAIT_SECONDS}). ` +
    'Returns {"timed_out", "tasks": [...], "remaining_seconds"} with every task as it is then: status, exit_code or signal. A task that already ended returns at once. ' +
    `One call waits at most ${DEFAULT_CALL_SECONDS} s, so that a client's 60 s request timeout never cuts it: if the tasks are still going then, timed_out is true and remaining_seconds is what is left of timeout_seconds; call wait again with timeout_seconds set to it. ` +
    'Sends progress notifications while it waits when the request has a progress token.',
  input: {
    tasks: taskRefs.describe('The tasks to wait for'),
    timeout_seconds: z
      .number()
      .min(0)
      .max(MAX_WAIT_SECONDS)
      .optional()
      .describe(`The longest to wait in all, in seconds (default ${DEFAULT_WAIT_SECONDS}, at most ${MAX_WAIT_SECONDS}); one call waits at most ${DEFAULT_CALL_SECONDS} s of it`),
    any: z.boolean().optional().describe('Return as soon as one of the tasks ends, instead of all of them'),
    healthy: z.boolean().optional().describe('Wait until the tasks are healthy (health "healthy") or have ended, instead of ended; each needs a health check'),
  },
  output: cappedWaitSchema,
  annotations: { readOnlyHint: true },
  async call(args, server, call) {
    const tasks = server.ghost.resolve(args.tasks);
    const wait = await cappedWait(server, call, tasks, { timeoutSeconds: args.timeout_seconds ?? DEFAULT_WAIT_SECONDS, any: args.any, healthy: args.healthy });
    return { value: cappedWaitToJSON(wait), notes: waitNotes(wait, server.callMs) };
  },
});
