import { DEFAULT_UP_TIMEOUT_MS, down, downResultToJSON, stackFailure, up, upResultToJSON } from '@ghost/core';
import { z } from 'zod';
import { MAX_WAIT_SECONDS } from '../limits.js';
import { resolve } from 'node:path';
import { type ServerContext, ToolFailure, defineTool, seconds, serverPath } from '../tool.js';
import { downResultSchema, upResultSchema } from '../wire-schemas.js';

const projectArgs = {
  cwd: z
    .string()
    .min(1)
    .optional()
    .describe("Where to look for the project file (ghost.yaml, else Procfile or process-compose.yaml), here or in the nearest parent; relative paths start from the server's directory"),
  file: z.string().min(1).optional().describe('The project file itself, instead of looking for one'),
  services: z.array(z.string().min(1)).optional().describe('Only these services (up: and what they depend on; down: and what depends on them). Default: all'),
};

/** The stack of the project file, or an error listing every problem in it as file:line:col. */
async function readStack(server: ServerContext, args: { cwd?: string | undefined; file?: string | undefined }) {
  // Loaded only here: the YAML parser and the schema library are not needed by other tools.
  const reader = await import('@ghost/core/stack');
  const cwd = serverPath(server, args.cwd);
  const result = reader.loadStack({ cwd, file: args.file === undefined ? undefined : resolve(cwd, args.file) });
  if (!result.stack) throw new Error(`the project file has problems: ${result.problems.map((problem) => reader.formatProblem(problem, cwd)).join('; ')}`);
  return { stack: result.stack, warnings: result.warnings.map((warning) => reader.formatProblem(warning, cwd)) };
}

export const upTool = defineTool({
  name: 'up',
  title: "Bring a project's services up",
  description:
    "Reads the project file and makes the running tasks match it: starts what is missing or ended in dependency order (waiting for each dependency's condition: started, healthy or completed_successfully), restarts services whose definition changed and leaves the rest alone. " +
    'Returns {"project", "changed", "services": [{"service", "action", "task"}], "removed", "warnings"}. If a service fails or a condition times out, the call fails with that service and its last log lines; services already up stay up.',
  input: {
    ...projectArgs,
    remove_orphans: z.boolean().optional().describe('Also stop and remove the tasks of services no longer in the file'),
    timeout_seconds: z
      .number()
      .positive()
      .max(MAX_WAIT_SECONDS)
      .optional()
      .describe(`How long to wait for dependencies in all (default ${DEFAULT_UP_TIMEOUT_MS / 1000}, at most ${MAX_WAIT_SECONDS})`),
  },
  output: upResultSchema.extend({ warnings: z.array(z.string()).describe('What in the project file ghost ignored, as file:line:col: message') }),
  annotations: { destructiveHint: true, idempotentHint: true, openWorldHint: true },
  async call(args, server, call) {
    const { stack, warnings } = await readStack(server, args);
    try {
      const options = { services: args.services, removeOrphans: args.remove_orphans, timeoutMs: seconds(args.timeout_seconds), signal: call.signal };
      const result = await up(server.ghost, stack, options);
      return { value: { ...upResultToJSON(result), warnings } };
    } catch (error) {
      const failed = stackFailure(error);
      if (!failed) throw error;
      const tail = failed.logTail;
      // Several lines on purpose: the failed service's own last lines.
      throw new ToolFailure(`${(error as Error).message}${tail.length > 0 ? `\nits last log lines:\n${tail.join('\n')}` : ''}`);
    }
  },
});

export const downTool = defineTool({
  name: 'down',
  title: "Stop a project's services",
  description:
    "Stops the project file's services in reverse dependency order (dependents first), each with its stop signal and timeout; with remove, also removes their tasks. Returns {\"project\", \"stopped\": [stop results], \"removed\": [tasks]}.",
  input: {
    ...projectArgs,
    remove: z.boolean().optional().describe('Also remove the tasks'),
  },
  output: downResultSchema,
  annotations: { destructiveHint: true, idempotentHint: true },
  async call(args, server) {
    const { stack } = await readStack(server, args);
    const result = await down(server.ghost, stack, { services: args.services, remove: args.remove });
    return { value: downResultToJSON(result) };
  },
});
