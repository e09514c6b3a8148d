import {
  type RunOptions,
  isGhostError,
  LOG_TAIL_LINES,
  SUPERVISION_OPTIONS,
  type SupervisionOption,
  type SupervisionText,
  type Task,
  hasHealthCheck,
  parseSupervisionOptions,
  taskToJSON,
} from '@ghost/core';
import { z } from 'zod';
import { cappedWait, remainingSeconds, waitNotes } from '../long-call.js';
import { DEFAULT_LOG_BYTES, logExcerpt } from '../log-text.js';
import { DEFAULT_CALL_SECONDS, MAX_WAIT_SECONDS } from '../limits.js';
import { type ServerContext, defineTool, serverPath } from '../tool.js';
import { taskSchema } from '../wire-schemas.js';

/** The run tool's supervision arguments, made from core's one table (numbers as numbers). */
const supervisionArgs: Record<string, z.ZodOptional<z.ZodType>> = Object.fromEntries(
  SUPERVISION_OPTIONS.map((option) => [option.field, supervisionArg(option).optional().describe(option.description)]),
);

function supervisionArg(option: SupervisionOption): z.ZodType {
  if (option.kind === 'choice') return z.enum(option.choices as [string, ...string[]]);
  if (option.kind === 'integer') return z.number().int().min(option.min ?? 0);
  if (option.kind === 'number') return z.number().positive();
  return z.string().min(1);
}

function supervisionText(args: Readonly<Record<string, unknown>>): SupervisionText {
  return Object.fromEntries(SUPERVISION_OPTIONS.map((option) => [option.key, args[option.field] as string | number | undefined]));
}

/** The last lines of a run's output (of the log, if where the run starts was not recorded), as plain text. */
function runTail(server: ServerContext, task: Task): string[] {
  const tail = { lines: LOG_TAIL_LINES, maxBytes: DEFAULT_LOG_BYTES };
  try {
    return logExcerpt(server.ghost.readLogPage(task, { ...tail, run: task.run }).data).lines;
  } catch (error) {
    if (!isGhostError(error) || error.code !== 'LOG_NOT_KEPT') throw error;
    return logExcerpt(server.ghost.readLogPage(task, tail).data).lines;
  }
}

export const runTool = defineTool({
  name: 'run',
  title: 'Run a command in the background',
  description:
    'Starts a command in the background and returns at once with the task: its id, pid and status "running". ' +
    'The command runs detached, with stdin from /dev/null and stdout and stderr appended to its log (read it with the log tool). ' +
    'Give exactly one of `command` (an argv, run without a shell) or `script` (run with /bin/sh -c, for pipes, && and globs). ' +
    'With `reuse`, the idempotent start: if a task with the same argv and working directory is running, it is returned as it is; if the newest one has ended, it starts again (same id, a new run). ' +
    `With \`wait\`, the call returns once the task has ended, with its exit_code (or signal) and log_tail, its last ${LOG_TAIL_LINES} lines of output; with \`wait_healthy\`, once it is healthy or has ended. ` +
    `One call waits at most ${DEFAULT_CALL_SECONDS} s: if the task is still going then, timed_out is true and remaining_seconds says how long to go on waiting with the wait tool. ` +
    'Fails, starting nothing, if the program is not found or not executable or the working directory does not exist.',
  input: {
    command: z
      .array(z.string())
      .min(1)
      .optional()
      .describe('The argv to run, without a shell: program first, then its arguments, e.g. ["npm", "run", "dev"]'),
    script: z.string().min(1).optional().describe('A shell script to run with /bin/sh -c instead of `command`, e.g. "make build && make test"'),
    name: z.string().min(1).optional().describe('A name to refer to the task by later (the newest task with a name wins)'),
    cwd: z.string().min(1).optional().describe("Working directory; relative paths start from the server's directory"),
    env: z
      .record(z.string(), z.string())
      .optional()
      .describe('Environment variables to set for the task, added to the inherited ones. Their values are never shown back'),
    description: z.string().min(1).optional().describe('What the task is for, shown with the task where ghost supports it'),
    reuse: z.boolean().optional().describe('Return the task already running with the same argv and cwd instead of starting a second one; start the newest such task again if it has ended'),
    ...supervisionArgs,
    wait: z.boolean().optional().describe('Return once the task has ended, with its exit status and the last lines of its output'),
    wait_healthy: z.boolean().optional().describe('Return once the task is healthy (its health check passes) or has ended; needs a health check'),
    timeout_seconds: z
      .number()
      .min(0)
      .max(MAX_WAIT_SECONDS)
      .optional()
      .describe(`With wait or wait_healthy: the longest to wait in all (default ${MAX_WAIT_SECONDS}); one call waits at most ${DEFAULT_CALL_SECONDS} s of it`),
  },
  output: taskSchema.extend({
    timed_out: z.boolean().optional().describe('With wait or wait_healthy: the task had not ended (or become healthy) when this call stopped waiting'),
    remaining_seconds: remainingSeconds.optional(),
    log_tail: z.array(z.string()).optional().describe(`With wait: the last ${LOG_TAIL_LINES} lines of this run's output, as plain text`),
  }),
  annotations: { destructiveHint: false, openWorldHint: true },
  async call(args, server, call) {
    if ((args.command === undefined) === (args.script === undefined)) {
      throw new Error('give exactly one of `command` (an argv) or `script` (a shell script)');
    }
    if (args.wait && args.wait_healthy) throw new Error('give wait or wait_healthy, not both');
    const options: RunOptions = {
      command: args.script === undefined ? args.command! : [args.script],
      shell: args.script !== undefined,
      name: args.name,
      cwd: serverPath(server, args.cwd),
      env: args.env,
      baseEnv: server.env,
      description: args.description,
      reuse: args.reuse,
      ...parseSupervisionOptions(supervisionText(args)),
    };
    if (args.wait_healthy && !hasHealthCheck(options.health)) {
      throw new Error('wait_healthy needs a health check: health_cmd, health_http, health_tcp or ready_log');
    }
    const task = await server.ghost.run(options);
    if (!args.wait && !args.wait_healthy) return { value: taskToJSON(task) };
    const wait = await cappedWait(server, call, [task], { timeoutSeconds: args.timeout_seconds ?? MAX_WAIT_SECONDS, healthy: args.wait_healthy });
    const now = wait.result.tasks[0] ?? task;
    const tail = args.wait ? { log_tail: runTail(server, now) } : {};
    return {
      value: { ...taskToJSON(now), timed_out: wait.result.timedOut, remaining_seconds: wait.remainingSeconds, ...tail },
      notes: waitNotes(wait, server.callMs),
    };
  },
});
