// @ghost/mcp: an MCP (Model Context Protocol) server for ghost, on the official TypeScript SDK.
// It works through a Ghost instance the caller opens and owns; @ghost/core's pure helpers it
// uses are compiled into this bundle, so it never loads a second copy of core at runtime (the
// stack tools open the caller's data directory again when its Ghost is another copy's: see
// tools/stack.ts).
export { createGhostMcpServer, type GhostMcpServerOptions, TOOLS, VERSION } from './server.js';
export { serveStdio, type ServeStdioOptions } from './stdio.js';
export {
  DEFAULT_CALL_SECONDS,
  DEFAULT_LIST_LIMIT,
  MAX_LIST_LIMIT,
  DEFAULT_WAIT_SECONDS,
  MAX_WAIT_SECONDS,
} from './limits.js';
export { DEFAULT_LOG_LINES, MAX_LOG_LINES, MAX_LINE_CHARS } from './log-text.js';
