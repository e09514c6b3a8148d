import { DEFAULT_STOP_TIMEOUT_MS, stopResultToJSON, taskToJSON } from '@ghost/core';
import { z } from 'zod';
import { MAX_WAIT_SECONDS } from '../limits.js';
import { defineTool, seconds, taskRef } from '../tool.js';
import { stopResultSchema, taskSchema } from '../wire-schemas.js';

/** The grace period of a stop (and of the stop in a restart), in seconds. */
const defaultGraceSeconds = DEFAULT_STOP_TIMEOUT_MS / 1000;
const graceSeconds = z.number().min(0).max(MAX_WAIT_SECONDS).optional();

export const stopTool = defineTool({
  name: 'stop',
  title: 'Stop a task',
  description:
    `Stops a task and everything it started: SIGTERM to its whole process tree, then SIGKILL after the timeout (default ${defaultGraceSeconds} s). ` +
    'Returns once every process is gone: {"task", "was_running", "leftovers", "killed", "recorded"}, the task as it ended, whether it was running, how many processes it had left running were ended, whether SIGKILL was needed, ' +
    'and whether the outcome could be stored (false on a full or read-only disk; the next call stores it). Stopping a task that already ended succeeds and changes nothing.',
  input: {
    task: taskRef,
    timeout_seconds: graceSeconds.describe(`Seconds to wait after SIGTERM before SIGKILL (default ${defaultGraceSeconds})`),
    force: z.boolean().optional().describe('Send SIGKILL at once instead of SIGTERM'),
  },
  output: stopResultSchema,
  annotations: { destructiveHint: true, idempotentHint: true },
  async call(args, server) {
    return { value: stopResultToJSON(await server.ghost.stop(args.task, { timeoutMs: seconds(args.timeout_seconds), force: args.force })) };
  },
});

export const restartTool = defineTool({
  name: 'restart',
  title: 'Restart a task',
  description:
    'Stops the task if it is running (SIGTERM, then SIGKILL after the timeout) and starts its command again with the same argv, working directory and environment: the same id and name, a new run (log and search read the current run by default). Returns the task as it runs again.',
  input: {
    task: taskRef,
    timeout_seconds: graceSeconds.describe(`Seconds to wait after SIGTERM before SIGKILL when stopping (default ${defaultGraceSeconds})`),
  },
  output: taskSchema,
  annotations: { destructiveHint: true },
  async call(args, server) {
    return { value: taskToJSON(await server.ghost.restart(args.task, { timeoutMs: seconds(args.timeout_seconds) })) };
  },
});
