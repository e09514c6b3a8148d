// The bounds of what one tool call returns or waits for, in one place: the tools' argument
// schemas, their descriptions and the README quote these.

/** Tasks the list tool returns when the caller does not say, and the most it ever returns. */
export const DEFAULT_LIST_LIMIT = 50;
export const MAX_LIST_LIMIT = 500;
/** Runs the runs tool returns when the caller does not say, and the most. */
export const DEFAULT_RUNS_LIMIT = 20;
export const MAX_RUNS_LIMIT = 500;
/** How long the wait tool waits in all when the caller does not say, and the longest. */
export const DEFAULT_WAIT_SECONDS = 30;
export const MAX_WAIT_SECONDS = 600;
/**
 * The longest one call blocks by default, in seconds: below the 60 s an MCP SDK client waits
 * for a response, with room for a slow machine (see long-call.ts).
 */
export const DEFAULT_CALL_SECONDS = 50;
/** The longest the stats tool samples CPU for. */
export const MAX_SAMPLE_SECONDS = 10;
/** Matches the search tool returns when the caller does not say, and the most. */
export const DEFAULT_SEARCH_MATCHES = 50;
export const MAX_SEARCH_MATCHES = 500;
/** Context lines around a match when the caller does not say, and the most. */
export const DEFAULT_SEARCH_CONTEXT = 2;
export const MAX_SEARCH_CONTEXT = 20;
