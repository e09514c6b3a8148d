import type { Ghost } from '@ghost/core';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { Readable, Writable } from 'node:stream';
import { type GhostMcpServerOptions, buildServer } from './server.js';

export interface ServeStdioOptions extends GhostMcpServerOptions {
  /** Where requests come from (default: `process.stdin`). */
  stdin?: Readable | undefined;
  /** Where responses go (default: `process.stdout`). Nothing else may write to it. */
  stdout?: Writable | undefined;
}

/**
 * Serves ghost's MCP tools over stdio (newline-delimited JSON-RPC on stdin and stdout) and
 * resolves once the client disconnects: it closes stdin (or the stream ends or fails), and the
 * calls in progress have finished (a pending `wait` is cancelled; a `stop` completes). Tasks
 * started through the server keep running afterwards; `ghost` is left open for the caller to
 * close.
 */
export async function serveStdio(ghost: Ghost, options: ServeStdioOptions = {}): Promise<void> {
  const stdin = options.stdin ?? process.stdin;
  const stdout = options.stdout ?? process.stdout;
  const { server, idle } = buildServer(ghost, options);
  const transport = new StdioServerTransport(stdin, stdout);
  const closed = new Promise<void>((resolve) => {
    server.server.onclose = () => resolve();
  });
  // The SDK's stdio transport does not notice the end of its input: a client that closes its
  // end of the pipe would leave this server (and the caller's process) running forever.
  const disconnect = () => void server.close().catch(() => {});
  stdin.once('end', disconnect);
  stdin.once('close', disconnect);
  stdin.once('error', disconnect);
  // A client that goes away while a response is being written: nothing left to serve.
  const onWriteError = () => disconnect();
  stdout.on('error', onWriteError);
  try {
    await server.connect(transport);
    await closed;
    // Calls the client left behind end soon (waits are cancelled); stops finish what they began.
    await idle();
  } finally {
    stdin.off('end', disconnect);
    stdin.off('close', disconnect);
    stdin.off('error', disconnect);
    stdout.off('error', onWriteError);
  }
}
