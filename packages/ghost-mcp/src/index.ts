// @ghost/mcp: an MCP (Model Context Protocol) server for ghost, on the official TypeScript SDK.
// It works through a Ghost instance the caller opens and owns. @ghost/core is a dependency, not
// compiled in: a process that loads both (the ghost binary, a downstream tool) has one core, so
// the caller's Ghost, its errors and its caches are the ones this server uses.
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
