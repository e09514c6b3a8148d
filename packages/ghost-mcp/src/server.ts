import type { Ghost, RunOptions } from '@ghost/core';
import {
  DEFAULT_STOP_TIMEOUT_MS,
  down,
  stackFailure,
  up,
  upResultToJSON,
  SUPERVISION_OPTIONS,
  type SupervisionOption,
  type SupervisionText,
  parseSupervisionOptions,
  TASK_STATUSES,
  type TaskStatus,
  hasHealthCheck,
  shortId,
  statusText,
  stopResultToJSON,
  taskStatsToJSON,
  taskToJSON,
  waitResultToJSON,
} from '@ghost/core';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { isAbsolute, resolve } from 'node:path';
import { z } from 'zod';
import { errorLine } from './error-text.js';
import { DEFAULT_LOG_BYTES, DEFAULT_LOG_LINES, MAX_LOG_BYTES, MAX_LOG_LINES, logExcerpt, pageNotes } from './log-text.js';

declare const __GHOST_VERSION__: string | undefined;

/** The version this server reports to clients (the package's, once built). */
export const VERSION = typeof __GHOST_VERSION__ === 'string' ? __GHOST_VERSION__ : '0.0.0-dev';

/** Tasks the list tool returns when the caller does not say, and the most it ever returns. */
export const DEFAULT_LIST_LIMIT = 50;
export const MAX_LIST_LIMIT = 500;
/** How long the wait tool waits when the caller does not say, and the longest it waits. */
export const DEFAULT_WAIT_SECONDS = 30;
export const MAX_WAIT_SECONDS = 600;
/** The longest the stats tool samples CPU for. */
export const MAX_SAMPLE_SECONDS = 10;

export interface GhostMcpServerOptions {
  /**
   * The directory a relative `cwd` (and a task without one) starts from. Default: this
   * process's working directory.
   */
  cwd?: string | undefined;
  /** The environment tasks inherit (before their own `env`). Default: `process.env`. */
  env?: NodeJS.ProcessEnv | undefined;
  /** The server name reported to clients. Default: `ghost`. */
  name?: string | undefined;
  /** The server version reported to clients. Default: this package's version. */
  version?: string | undefined;
}

const INSTRUCTIONS = `ghost runs commands in the background (dev servers, watchers, builds, test runs) and keeps their output in a log, with no daemon. Tasks outlive this session; refer to one by its name, its id, or a unique prefix of its id.
Typical flow: run (returns at once) → log to see its output → wait until it ends, or stop it. list shows every task and how it ended (exited with a code, killed by a signal, or unknown).
Results are JSON task objects (snake_case). Environment values are never returned.`;

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

const taskRef = z.string().min(1).describe('The task: its name, its id, or a unique prefix of its id');

/** A tool's arguments: an unknown key (`tail` for `lines`) is an error that names it, not ignored. */
function toolArgs<Shape extends z.ZodRawShape>(shape: Shape) {
  return z.strictObject(shape);
}

/**
 * An MCP server (the official SDK's `McpServer`) with ghost's tools: run, list, status, log, up, down,
 * stats, stop, restart and wait. Every tool works through `ghost`, which the caller owns (and closes).
 * Connect it to a transport, e.g. `StdioServerTransport`, or use `serveStdio`.
 *
 * Tool results never contain environment values (task objects do not hold them), log output is
 * bounded (at most 1000 lines and MAX_LOG_BYTES, each line sanitised, pageable by byte offset),
 * an unknown argument is an error that names it, and a failure is a tool error (`isError: true`,
 * one line of text), never a crash of the server.
 */
export function createGhostMcpServer(ghost: Ghost, options: GhostMcpServerOptions = {}): McpServer {
  return buildServer(ghost, options).server;
}

/** The server, and a way to wait until no tool call is in progress (for a clean shutdown). */
export function buildServer(ghost: Ghost, options: GhostMcpServerOptions = {}): { server: McpServer; idle(): Promise<void> } {
  const inFlight = new Set<Promise<CallToolResult>>();
  /** Runs a tool; any failure becomes a tool error with one line of text. */
  const handle = (body: () => Promise<CallToolResult>): Promise<CallToolResult> => {
    const call = body().catch((error: unknown): CallToolResult => ({ isError: true, content: [text(errorLine(error))] }));
    inFlight.add(call);
    void call.finally(() => inFlight.delete(call));
    return call;
  };
  const baseCwd = options.cwd ?? process.cwd();
  const baseEnv = options.env ?? process.env;
  const server = new McpServer(
    { name: options.name ?? 'ghost', version: options.version ?? VERSION },
    { instructions: INSTRUCTIONS },
  );

  server.registerTool(
    'run',
    {
      title: 'Run a command in the background',
      description:
        'Starts a command in the background and returns at once with the task (JSON): its id, pid and status "running". ' +
        'The command runs detached, with stdin from /dev/null and stdout and stderr appended to its log (read it with the log tool). ' +
        'Give exactly one of `command` (an argv, run without a shell) or `script` (run with /bin/sh -c, for pipes, && and globs). ' +
        'Fails, starting nothing, if the program is not found or not executable or the working directory does not exist.',
      inputSchema: toolArgs({
        command: z
          .array(z.string())
          .min(1)
          .optional()
          .describe('The argv to run, without a shell: program first, then its arguments, e.g. ["npm", "run", "dev"]'),
        script: z
          .string()
          .min(1)
          .optional()
          .describe('A shell script to run with /bin/sh -c instead of `command`, e.g. "make build && make test"'),
        name: z.string().min(1).optional().describe('A name to refer to the task by later (the newest task with a name wins)'),
        cwd: z.string().min(1).optional().describe("Working directory; relative paths start from the server's directory"),
        env: z
          .record(z.string(), z.string())
          .optional()
          .describe('Environment variables to set for the task, added to the inherited ones. Their values are never shown back'),
        description: z.string().min(1).optional().describe('What the task is for, shown with the task where ghost supports it'),
        ...supervisionArgs,
        wait_healthy: z.boolean().optional().describe(`Return once the task is healthy (its health field), or has ended, instead of at once (at most ${MAX_WAIT_SECONDS} s)`),
      }),
      annotations: { destructiveHint: false, openWorldHint: true },
    },
    (args, extra) =>
      handle(async () => {
        if ((args.command === undefined) === (args.script === undefined)) {
          throw new Error('give exactly one of `command` (an argv) or `script` (a shell script)');
        }
        const runOptions: RunOptions = {
          command: args.script === undefined ? args.command! : [args.script],
          shell: args.script !== undefined,
          name: args.name,
          cwd: args.cwd === undefined ? baseCwd : isAbsolute(args.cwd) ? args.cwd : resolve(baseCwd, args.cwd),
          env: args.env,
          baseEnv,
          description: args.description,
          ...parseSupervisionOptions(supervisionText(args)),
        };
        const task = await ghost.run(runOptions);
        if (!args.wait_healthy || !hasHealthCheck(runOptions.health)) return json(taskToJSON(task));
        const result = await ghost.wait([task.id], { healthy: true, timeoutMs: MAX_WAIT_SECONDS * 1000, signal: extra.signal });
        return json(taskToJSON(result.tasks[0] ?? task));
      }),
  );

  server.registerTool(
    'list',
    {
      title: 'List tasks',
      description:
        'Tasks, newest first, as an array of task objects (JSON): running ones, and how the others ended (status exited with exit_code, killed with signal, or unknown; restarting while a restart policy waits to start it again). ' +
        `Returns at most \`limit\` tasks (default ${DEFAULT_LIST_LIMIT}) and says when more exist.`,
      inputSchema: toolArgs({
        status: z
          .enum(TASK_STATUSES as [TaskStatus, ...TaskStatus[]])
          .optional()
          .describe('Only tasks with this status'),
        name: z.string().min(1).optional().describe('Only tasks with this name'),
        limit: z
          .number()
          .int()
          .min(1)
          .max(MAX_LIST_LIMIT)
          .optional()
          .describe(`The most tasks to return (default ${DEFAULT_LIST_LIMIT}, at most ${MAX_LIST_LIMIT})`),
      }),
      annotations: { readOnlyHint: true },
    },
    (args) =>
      handle(async () => {
        const limit = args.limit ?? DEFAULT_LIST_LIMIT;
        const tasks = ghost.list({ status: args.status, name: args.name, limit: limit + 1 });
        const result: CallToolResult = json(tasks.slice(0, limit).map(taskToJSON));
        if (tasks.length > limit) {
          result.content.push(text(`only the newest ${limit} tasks are shown; more exist (filter by status or name, or raise limit)`));
        }
        return result;
      }),
  );

  server.registerTool(
    'status',
    {
      title: 'Show a task',
      description:
        'One task as it is now (JSON): status (running, exited, killed or unknown), exit_code or signal, pid, command, cwd, start and end times, log path.',
      inputSchema: toolArgs({ task: taskRef }),
      annotations: { readOnlyHint: true },
    },
    (args) => handle(async () => json(taskToJSON(ghost.status(args.task)))),
  );

  server.registerTool(
    'log',
    {
      title: "Read a task's output",
      description:
        `A task's output (stdout and stderr together), bounded in lines and bytes: by default its last ${DEFAULT_LOG_LINES} lines within its last ${DEFAULT_LOG_BYTES} bytes. ` +
        'With `offset`, the lines from that byte offset on instead (0: the start), for paging through a long log. ' +
        'Control characters and terminal escape sequences are removed and very long lines are cut. ' +
        'A second text item says which bytes were returned, whether earlier output was left out (and the offset that reads it), whether more follows (next_offset), whether max_bytes cut the page, and the task status.',
      inputSchema: toolArgs({
        task: taskRef,
        lines: z
          .number()
          .int()
          .min(1)
          .optional()
          .describe(`How many lines to return at most (default ${DEFAULT_LOG_LINES}; more than ${MAX_LOG_LINES} returns ${MAX_LOG_LINES})`),
        max_bytes: z
          .number()
          .int()
          .min(1)
          .max(MAX_LOG_BYTES)
          .optional()
          .describe(`How many bytes of the log to read at most (default ${DEFAULT_LOG_BYTES}, at most ${MAX_LOG_BYTES})`),
        offset: z
          .number()
          .int()
          .min(0)
          .optional()
          .describe('Read forward from this byte offset (0 is the start; a previous result gives next_offset) instead of the end'),
        run: z.number().int().min(1).optional().describe("Only this run's output (1 is the first start; each restart is the next run)"),
      }),
      annotations: { readOnlyHint: true },
    },
    (args) =>
      handle(async () => {
        const task = ghost.status(args.task);
        const maxBytes = args.max_bytes ?? DEFAULT_LOG_BYTES;
        const lines = Math.min(args.lines ?? DEFAULT_LOG_LINES, MAX_LOG_LINES);
        const range = args.run === undefined ? undefined : ghost.runLogRange(task, args.run);
        const page = ghost.readLogPage(task, { offset: args.offset, lines, maxBytes, range });
        const excerpt = logExcerpt(page.data);
        const notes = pageNotes(page, excerpt, { offset: args.offset, maxBytes, linesCapped: args.lines !== undefined && args.lines > MAX_LOG_LINES });
        if (range) {
          const rotated = range.rotatedBytes > 0 ? `; its first ${range.rotatedBytes} bytes were rotated out of the log` : '';
          notes.push(`run ${range.run}'s output is bytes ${range.start}-${range.end ?? page.size} of the log${rotated}`);
        }
        notes.push(`task ${task.name ?? shortId(task.id)} is ${statusText(task)}`);
        const content: CallToolResult['content'] = [];
        if (excerpt.lines.length > 0) content.push(text(`${excerpt.lines.join('\n')}\n`));
        content.push(text(`[ghost: ${notes.join('; ')}]`));
        return { content };
      }),
  );

  server.registerTool(
    'stats',
    {
      title: 'CPU and memory of running tasks',
      description:
        "What each running task's whole process tree uses (the command and everything it started), measured now: of every running task, or of the tasks given (ended ones have none and are left out). " +
        'An array of {"task", "name", "run", "pid", "cpu_percent", "cpu_seconds", "cpu_since", "memory_bytes", "rss_bytes", "pss_bytes", "processes", "threads", "cpu_source", "memory_source", "sampled_at"}. ' +
        'cpu_percent is of one core (200 = two cores busy), averaged from cpu_since: the run\'s start, or with sample_seconds the first of two readings that far apart (CPU use now). ' +
        'memory_bytes is the memory in use; pss_bytes counts pages shared between processes once (Linux).',
      inputSchema: toolArgs({
        tasks: z.array(taskRef).min(1).optional().describe('Only these tasks (default: every running task)'),
        sample_seconds: z
          .number()
          .min(0)
          .max(MAX_SAMPLE_SECONDS)
          .optional()
          .describe(`Measure CPU over this many seconds from now instead of since each run started (default 0, at most ${MAX_SAMPLE_SECONDS})`),
      }),
      annotations: { readOnlyHint: true },
    },
    (args, extra) =>
      handle(async () => {
        let stats = ghost.stats(args.tasks, { pss: true });
        if (args.sample_seconds) {
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, args.sample_seconds! * 1000);
            extra.signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
          });
          stats = ghost.stats(args.tasks, { pss: true, previous: stats });
        }
        return json(stats.map(taskStatsToJSON));
      }),
  );

  /** The grace period of a stop (and of the stop in a restart), in seconds. */
  const defaultGraceSeconds = DEFAULT_STOP_TIMEOUT_MS / 1000;
  const graceSeconds = z.number().min(0).max(MAX_WAIT_SECONDS).optional();

  server.registerTool(
    'stop',
    {
      title: 'Stop a task',
      description:
        `Stops a task and everything it started: SIGTERM to its whole process tree, then SIGKILL after the timeout (default ${defaultGraceSeconds} s). ` +
        'Returns once every process is gone: {"task", "was_running", "leftovers", "killed", "recorded"}, the task as it ended, whether it was running, how many processes it had left running were ended, whether SIGKILL was needed, ' +
        'and whether the outcome could be stored (false on a full or read-only disk; the next call stores it). Stopping a task that already ended succeeds and changes nothing.',
      inputSchema: toolArgs({
        task: taskRef,
        timeout_seconds: graceSeconds.describe(`Seconds to wait after SIGTERM before SIGKILL (default ${defaultGraceSeconds})`),
        force: z.boolean().optional().describe('Send SIGKILL at once instead of SIGTERM'),
      }),
      annotations: { destructiveHint: true, idempotentHint: true },
    },
    (args) =>
      handle(async () => {
        return json(stopResultToJSON(await ghost.stop(args.task, { timeoutMs: seconds(args.timeout_seconds), force: args.force })));
      }),
  );

  server.registerTool(
    'restart',
    {
      title: 'Restart a task',
      description:
        'Stops the task if it is running (SIGTERM, then SIGKILL after the timeout) and starts its command again with the same argv, working directory and environment. The task keeps its id and name. Returns the task (JSON) as it runs again.',
      inputSchema: toolArgs({
        task: taskRef,
        timeout_seconds: graceSeconds.describe(`Seconds to wait after SIGTERM before SIGKILL when stopping (default ${defaultGraceSeconds})`),
      }),
      annotations: { destructiveHint: true },
    },
    (args) =>
      handle(async () => {
        return json(taskToJSON(await ghost.restart(args.task, { timeoutMs: seconds(args.timeout_seconds) })));
      }),
  );

  const projectArgs = {
    cwd: z.string().min(1).optional().describe("Where to look for the project file (ghost.yaml, else Procfile or process-compose.yaml), here or in the nearest parent; relative paths start from the server's directory"),
    file: z.string().min(1).optional().describe('The project file itself, instead of looking for one'),
    services: z.array(z.string().min(1)).optional().describe('Only these services (up: and what they depend on; down: and what depends on them). Default: all'),
  };
  /** The stack of the project file, or an error listing every problem in it as file:line:col. */
  const readStack = async (args: { cwd?: string | undefined; file?: string | undefined }) => {
    const reader = await import('@ghost/core/stack');
    const cwd = args.cwd === undefined ? baseCwd : resolve(baseCwd, args.cwd);
    const result = reader.loadStack({ cwd, file: args.file === undefined ? undefined : resolve(cwd, args.file) });
    if (!result.stack) throw new Error(`the project file has problems: ${result.problems.map((problem) => reader.formatProblem(problem, cwd)).join('; ')}`);
    return { stack: result.stack, warnings: result.warnings.map((warning) => reader.formatProblem(warning, cwd)) };
  };

  server.registerTool(
    'up',
    {
      title: "Bring a project's services up",
      description:
        "Reads the project file and makes the running tasks match it: starts what is missing or ended in dependency order (waiting for each dependency's condition: started, healthy or completed_successfully), restarts services whose definition changed and leaves the rest alone. " +
        'Returns {"project", "changed", "services": [{"service", "action", "task"}], "removed", "warnings"}. If a service fails or a condition times out, the call fails with that service and its last log lines; services already up stay up.',
      inputSchema: toolArgs({
        ...projectArgs,
        remove_orphans: z.boolean().optional().describe('Also stop and remove the tasks of services no longer in the file'),
        timeout_seconds: z.number().positive().max(MAX_WAIT_SECONDS).optional().describe(`How long to wait for dependencies in all (default 120, at most ${MAX_WAIT_SECONDS})`),
      }),
      annotations: { destructiveHint: true, idempotentHint: true, openWorldHint: true },
    },
    (args, extra) =>
      handle(async () => {
        const { stack, warnings } = await readStack(args);
        try {
          const result = await up(ghost, stack, { services: args.services, removeOrphans: args.remove_orphans, timeoutMs: seconds(args.timeout_seconds), signal: extra.signal });
          return json({ ...upResultToJSON(result), warnings });
        } catch (error) {
          const failed = stackFailure(error);
          if (!failed) throw error;
          const tail = failed.logTail;
          return { content: [text(`${(error as Error).message}${tail.length > 0 ? `\nits last log lines:\n${tail.join('\n')}` : ''}`)], isError: true };
        }
      }),
  );

  server.registerTool(
    'down',
    {
      title: "Stop a project's services",
      description:
        "Stops the project file's services in reverse dependency order (dependents first), each with its stop signal and timeout; with remove, also removes their tasks. Returns {\"project\", \"stopped\": [stop results], \"removed\": [tasks]}.",
      inputSchema: toolArgs({
        ...projectArgs,
        remove: z.boolean().optional().describe('Also remove the tasks'),
      }),
      annotations: { destructiveHint: true, idempotentHint: true },
    },
    (args) =>
      handle(async () => {
        const { stack } = await readStack(args);
        const result = await down(ghost, stack, { services: args.services, remove: args.remove });
        return json({ project: result.project, stopped: result.stopped.map(stopResultToJSON), removed: result.removed.map(taskToJSON) });
      }),
  );

  server.registerTool(
    'wait',
    {
      title: 'Wait for tasks to end',
      description:
        `Waits until the tasks end (or, with any, until one of them ends), at most timeout_seconds (default ${DEFAULT_WAIT_SECONDS}, at most ${MAX_WAIT_SECONDS}). ` +
        'Returns {"timed_out": boolean, "tasks": [...]} with every task as it is then: status, exit_code or signal. A task that already ended returns at once.',
      inputSchema: toolArgs({
        tasks: z.array(taskRef).min(1).describe('The tasks to wait for'),
        timeout_seconds: z
          .number()
          .min(0)
          .max(MAX_WAIT_SECONDS)
          .optional()
          .describe(`The longest to wait, in seconds (default ${DEFAULT_WAIT_SECONDS}, at most ${MAX_WAIT_SECONDS})`),
        any: z.boolean().optional().describe('Return as soon as one of the tasks ends, instead of all of them'),
        healthy: z.boolean().optional().describe('Wait until the tasks are healthy (health "healthy") or have ended, instead of ended; each needs a health check'),
      }),
      annotations: { readOnlyHint: true },
    },
    (args, extra) =>
      handle(async () => {
        const result = await ghost.wait(args.tasks, {
          timeoutMs: (args.timeout_seconds ?? DEFAULT_WAIT_SECONDS) * 1000,
          any: args.any,
          healthy: args.healthy,
          // Cancelled by the client, or the client went away.
          signal: extra.signal,
        });
        return json(waitResultToJSON(result));
      }),
  );

  return {
    server,
    async idle() {
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    },
  };
}

function seconds(value: number | undefined): number | undefined {
  return value === undefined ? undefined : value * 1000;
}

function text(value: string): { type: 'text'; text: string } {
  return { type: 'text', text: value };
}

function json(value: unknown): CallToolResult {
  return { content: [text(JSON.stringify(value))] };
}
