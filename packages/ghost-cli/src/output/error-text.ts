import { taskRef } from './task-text.js';
import { type GhostError, type GhostErrorCode, type GhostErrorDetails, isGhostError } from '@ghost/core';
import { commandText, escapeForTerminal, taskLabel } from '@ghost/core/format';

/** How `ghost run` is called, for errors that come from calling it wrong. */
export const RUN_USAGE = 'usage: ghost run [options] [--] command [args...]';

/**
 * What the CLI adds to core's messages, by error code: core says what is wrong in words and
 * gives the facts (details); these say what to type next. `command` is the ghost command that
 * failed (e.g. "rm"). Each returns the whole line, given core's message.
 */
const HINTS: { readonly [Code in GhostErrorCode]?: (message: string, details: GhostErrorDetails, command: string | undefined) => string } = {
  TASK_NOT_FOUND: (message, details) => (details.unresolved ? unresolvedLine(details) : details.ref === undefined ? message : `${message} (see ghost list)`),
  TASK_AMBIGUOUS: (message, details) => (details.unresolved ? unresolvedLine(details) : ambiguous(message, details)),
  TASK_RUNNING: (message, details, command) => {
    const ref = refFor(details);
    if (ref === undefined) return message;
    return command === 'start' ? `${message} (restart it: ghost restart ${ref})` : `${message} (stop it first: ghost stop ${ref})`;
  },
  LIMIT_UNAVAILABLE: (message, details) =>
    `${message} (to enforce it: ${String(details.enable)}; or accept that with --limits best-effort)`,
  INVALID_ARGUMENT: (message, details, command) => {
    if (details.unresolved) return unresolvedLine(details);
    if (details.argument === 'command') return `${message} (${RUN_USAGE})`;
    if (command === 'cleanup' && details.argument === 'status') return `${message} (stop them first: ghost stop --all)`;
    return message;
  },
};

/**
 * One line describing an error, for stderr: core's message with the CLI's hint for its code
 * (see HINTS), or the first line of anything else; escaped, since messages echo references and
 * names as they were typed or stored. A core error that knows the shell command fixing it
 * (e.g. a chmod) gets it appended.
 */
export function errorLine(error: unknown, command?: string): string {
  const message = (error instanceof Error ? error.message : String(error)).split('\n')[0]!.trim() || 'unexpected error';
  if (!isGhostError(error)) return escapeForTerminal(message);
  const line = escapeForTerminal(hinted(error, message, command));
  return error.details.fix ? `${line} (run: ${commandText(error.details.fix)})` : line;
}

function hinted(error: GhostError, message: string, command: string | undefined): string {
  return HINTS[error.code]?.(message, error.details, command) ?? message;
}

/** "…matches several tasks: 3f2a9c1b (web), 3f2a77d0; use more of the id" */
function ambiguous(message: string, details: Pick<GhostErrorDetails, 'candidates' | 'more'>): string {
  if (!details.candidates?.length) return message;
  return `${message}: ${details.candidates.map(taskLabel).join(', ')}${details.more ? ', …' : ''}; use more of the id`;
}

/** Every reference of several that did not resolve, each with its hint; "see ghost list" once. */
function unresolvedLine(details: GhostErrorDetails): string {
  const unresolved = details.unresolved ?? [];
  const parts = unresolved.map((entry) => (entry.code === 'TASK_AMBIGUOUS' ? ambiguous(entry.message, entry) : entry.message));
  const notFound = unresolved.some((entry) => entry.code === 'TASK_NOT_FOUND');
  return `${parts.join('; ')}${notFound ? ' (see ghost list)' : ''}`;
}

/** How a hint refers to the task an error is about (see taskRef). */
function refFor(details: GhostErrorDetails): string | undefined {
  return typeof details.id === 'string' ? taskRef({ id: details.id, name: details.name ?? null }) : undefined;
}
