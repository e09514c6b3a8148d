import type { Ghost } from '@ghost/core';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { CallToolResult, ServerNotification } from '@modelcontextprotocol/sdk/types.js';
import type { z } from 'zod';
import { errorLine } from './error-text.js';
import { DEFAULT_CALL_SECONDS } from './limits.js';
import { CheckedTransport } from './protocol-errors.js';
import { type AnyTool, type CallContext, type ServerContext, ToolFailure, argsSchema } from './tool.js';
import { killTool } from './tools/kill.js';
import { listTool } from './tools/list.js';
import { logTool } from './tools/log.js';
import { portsTool } from './tools/ports.js';
import { rmTool } from './tools/rm.js';
import { runTool } from './tools/run.js';
import { runsTool } from './tools/runs.js';
import { searchTool } from './tools/search.js';
import { downTool, upTool } from './tools/stack.js';
import { statsTool } from './tools/stats.js';
import { statusTool } from './tools/status.js';
import { restartTool, stopTool } from './tools/stop.js';
import { waitTool } from './tools/wait.js';

declare const __GHOST_VERSION__: string | undefined;

/** The version this server reports to clients (the package's, once built). */
export const VERSION = typeof __GHOST_VERSION__ === 'string' ? __GHOST_VERSION__ : '0.0.0-dev';

/** Every tool, in the order clients list them. */
export const TOOLS: readonly AnyTool[] = [
  runTool,
  listTool,
  statusTool,
  logTool,
  searchTool,
  runsTool,
  portsTool,
  statsTool,
  waitTool,
  stopTool,
  killTool,
  restartTool,
  rmTool,
  upTool,
  downTool,
];

export interface GhostMcpServerOptions {
  /**
   * The directory a relative `cwd` (and a task without one) starts from, and the one the list
   * tool's `here` means. Default: this process's working directory.
   */
  cwd?: string | undefined;
  /** The environment tasks inherit (before their own `env`). Default: `process.env`. */
  env?: NodeJS.ProcessEnv | undefined;
  /** The server name reported to clients. Default: `ghost`. */
  name?: string | undefined;
  /** The server version reported to clients. Default: this package's version. */
  version?: string | undefined;
  /**
   * The longest one call waits (wait, run with wait), in seconds. Default 50: below the 60 s
   * request timeout of MCP SDK clients. Raise it only for clients whose timeout is longer.
   */
  callSeconds?: number | undefined;
}

const INSTRUCTIONS = `ghost runs commands in the background (dev servers, watchers, builds, test runs) and keeps their output in a log, with no daemon. Tasks outlive this session; refer to one by its name, its id, or a unique prefix of its id.
Typical flow: run (returns at once; reuse: true does not start a second copy; wait: true returns its exit status and last lines) → log or search to see its output (the current run's) → wait until it ends, or stop it. list with here: true shows the tasks started in this directory; ports tells which port a server listens on.
Results are JSON objects (snake_case), also as structuredContent. Environment values are never returned.`;

/**
 * An MCP server (the official SDK's `McpServer`) with ghost's tools (see TOOLS). Every tool
 * works through `ghost`, which the caller owns (and closes). Connect it to a transport, e.g.
 * `StdioServerTransport`, or use `serveStdio`.
 *
 * Every tool declares an output schema and returns its result as structuredContent and as
 * JSON text. Results never contain environment values, log output is bounded (lines, bytes,
 * sanitised, pageable by cursor), a wait never blocks one call past the client's request
 * timeout, malformed params are a one-line -32602 error, an unknown argument is an error that
 * names it, and a failure is a tool error (`isError: true`, one line of text), never a crash.
 */
export function createGhostMcpServer(ghost: Ghost, options: GhostMcpServerOptions = {}): McpServer {
  return buildServer(ghost, options).server;
}

/** Requests are checked on their way in (see protocol-errors.ts). */
class GhostMcpServer extends McpServer {
  readonly #tools: ReadonlyMap<string, z.ZodType>;

  constructor(info: { name: string; version: string }, tools: ReadonlyMap<string, z.ZodType>) {
    super(info, { instructions: INSTRUCTIONS });
    this.#tools = tools;
  }

  override connect(transport: Transport): Promise<void> {
    return super.connect(new CheckedTransport(transport, this.#tools));
  }
}

/** The server, and a way to wait until no tool call is in progress (for a clean shutdown). */
export function buildServer(ghost: Ghost, options: GhostMcpServerOptions = {}): { server: McpServer; idle(): Promise<void> } {
  const context: ServerContext = {
    ghost,
    cwd: options.cwd ?? process.cwd(),
    env: options.env ?? process.env,
    callMs: (options.callSeconds ?? DEFAULT_CALL_SECONDS) * 1000,
  };
  const inputs = new Map(TOOLS.map((tool) => [tool.name, argsSchema(tool.input)]));
  const server = new GhostMcpServer({ name: options.name ?? 'ghost', version: options.version ?? VERSION }, inputs);
  const inFlight = new Set<Promise<CallToolResult>>();

  for (const tool of TOOLS) {
    server.registerTool(
      tool.name,
      { title: tool.title, description: tool.description, inputSchema: inputs.get(tool.name)!, outputSchema: tool.output as z.ZodObject, annotations: tool.annotations },
      (args: Record<string, unknown>, extra): Promise<CallToolResult> => {
        const token = extra._meta?.progressToken;
        const call: CallContext = {
          signal: extra.signal,
          progress(progress, total, message) {
            if (token === undefined) return;
            const notification: ServerNotification = { method: 'notifications/progress', params: { progressToken: token, progress, total, message } };
            extra.sendNotification(notification).catch(() => {});
          },
        };
        const result = callTool(tool, args, context, call);
        inFlight.add(result);
        void result.finally(() => inFlight.delete(result));
        return result;
      },
    );
  }

  return {
    server,
    async idle() {
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    },
  };
}

/** One call: its result as structuredContent, JSON (or the tool's text) and notes; any failure a tool error. */
async function callTool(tool: AnyTool, args: Record<string, unknown>, context: ServerContext, call: CallContext): Promise<CallToolResult> {
  try {
    const reply = await tool.call(args, context, call);
    const body = reply.text ?? JSON.stringify(reply.value);
    const content: CallToolResult['content'] = body === '' ? [] : [text(body)];
    if (reply.notes && reply.notes.length > 0) content.push(text(`[ghost: ${reply.notes.join('; ')}]`));
    return { content, structuredContent: reply.value };
  } catch (error) {
    return { isError: true, content: [text(error instanceof ToolFailure ? error.message : errorLine(error))] };
  }
}

function text(value: string): { type: 'text'; text: string } {
  return { type: 'text', text: value };
}
