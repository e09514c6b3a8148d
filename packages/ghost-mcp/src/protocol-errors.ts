// Bad requests answered in one line. The SDK answers a request whose params do not fit the
// method's schema with -32603 (internal error) and zod's issues as pretty-printed JSON, and a
// tool call with bad arguments with one issue per line. Requests are checked here, on their
// way from the transport to the SDK, with the same schemas:
// - params that do not fit the method (a tools/call whose `arguments` is an array, an unknown
//   tool): a JSON-RPC error, -32602 (invalid params), with one line;
// - tool arguments that do not fit the tool's input schema: a tool error (isError) with one
//   line, "MCP error -32602: invalid arguments for tool …", as MCP asks (SEP-1303), so that the
//   model reads it and corrects its call.
// Anything else goes through untouched.
import type { Transport, TransportSendOptions } from '@modelcontextprotocol/sdk/shared/transport.js';
import {
  CallToolRequestSchema,
  ErrorCode,
  InitializeRequestSchema,
  type JSONRPCMessage,
  type JSONRPCRequest,
  ListToolsRequestSchema,
  PingRequestSchema,
  isJSONRPCRequest,
} from '@modelcontextprotocol/sdk/types.js';
import type { z } from 'zod';

/** The requests this server serves, by method. */
const REQUESTS: Record<string, z.ZodType> = {
  initialize: InitializeRequestSchema,
  ping: PingRequestSchema,
  'tools/list': ListToolsRequestSchema,
  'tools/call': CallToolRequestSchema,
};

/** Zod's issues as one line: each with where it is, unknown keys named. */
export function issuesLine(error: z.ZodError, root?: string): string {
  return error.issues
    .map((issue) => {
      const path = [...(root === undefined ? [] : [root]), ...issue.path.map(String)].join('.');
      if (issue.code === 'unrecognized_keys') {
        const keys = issue.keys.map((key) => `"${key}"`).join(', ');
        const what = `unknown ${root === undefined && issue.path.length === 0 ? 'argument' : 'key'}${issue.keys.length === 1 ? '' : 's'} ${keys}`;
        return path === '' ? what : `${path}: ${what}`;
      }
      const message = issue.message.replace(/\s+/g, ' ');
      return path === '' ? message : `${path}: ${message}`;
    })
    .join('; ');
}

/**
 * The answer to a request that must not reach the SDK, or undefined to let it through.
 * `tools` are the tools' argument schemas, by name.
 */
export function badRequestReply(message: JSONRPCMessage, tools: ReadonlyMap<string, z.ZodType>): JSONRPCMessage | undefined {
  if (!isJSONRPCRequest(message)) return undefined;
  const schema = REQUESTS[message.method];
  if (!schema) return undefined;
  const parsed = schema.safeParse(message);
  if (!parsed.success) return invalidParams(message, `invalid ${message.method} request: ${issuesLine(parsed.error)}`);
  if (message.method !== 'tools/call') return undefined;
  const { name, arguments: args } = (parsed.data as z.output<typeof CallToolRequestSchema>).params;
  const tool = tools.get(name);
  if (!tool) return invalidParams(message, `unknown tool "${name}" (the tools are ${[...tools.keys()].join(', ')})`);
  const checked = tool.safeParse(args ?? {});
  if (checked.success) return undefined;
  const text = `MCP error ${ErrorCode.InvalidParams}: invalid arguments for tool ${name}: ${issuesLine(checked.error)}`;
  return { jsonrpc: '2.0', id: message.id, result: { content: [{ type: 'text', text }], isError: true } };
}

function invalidParams(request: JSONRPCRequest, message: string): JSONRPCMessage {
  return { jsonrpc: '2.0', id: request.id, error: { code: ErrorCode.InvalidParams, message } };
}

/**
 * A transport whose incoming requests are checked first (see above): a bad one is answered
 * here and never reaches the server. Everything else is the wrapped transport's.
 */
export class CheckedTransport implements Transport {
  readonly #inner: Transport;
  readonly #tools: ReadonlyMap<string, z.ZodType>;
  #onmessage: Transport['onmessage'];

  constructor(inner: Transport, tools: ReadonlyMap<string, z.ZodType>) {
    this.#inner = inner;
    this.#tools = tools;
    if (inner.setProtocolVersion) this.setProtocolVersion = (version) => inner.setProtocolVersion?.(version);
  }

  setProtocolVersion?: (version: string) => void;

  get sessionId(): string | undefined {
    return this.#inner.sessionId;
  }

  get onclose(): Transport['onclose'] {
    return this.#inner.onclose;
  }

  set onclose(handler: Transport['onclose']) {
    this.#inner.onclose = handler;
  }

  get onerror(): Transport['onerror'] {
    return this.#inner.onerror;
  }

  set onerror(handler: Transport['onerror']) {
    this.#inner.onerror = handler;
  }

  get onmessage(): Transport['onmessage'] {
    return this.#onmessage;
  }

  set onmessage(handler: Transport['onmessage']) {
    this.#onmessage = handler;
    this.#inner.onmessage = handler && ((message, extra) => {
      const reply = badRequestReply(message, this.#tools);
      if (!reply) return handler(message, extra);
      this.#inner.send(reply).catch((error: unknown) => this.#inner.onerror?.(error instanceof Error ? error : new Error(String(error))));
    });
  }

  start(): Promise<void> {
    return this.#inner.start();
  }

  send(message: JSONRPCMessage, options?: TransportSendOptions): Promise<void> {
    return this.#inner.send(message, options);
  }

  close(): Promise<void> {
    return this.#inner.close();
  }
}
