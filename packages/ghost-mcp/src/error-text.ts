import { type GhostErrorDetails, type TaskMention, isGhostError } from '@ghost/core';

/**
 * One line describing a failed tool call: core's message, with what an agent can do next in
 * this server's terms (a tool, an argument), or the first line of any other error.
 */
export function errorLine(error: unknown): string {
  const message = (error instanceof Error ? error.message : String(error)).split('\n')[0]!.trim() || 'unexpected error';
  if (!isGhostError(error)) return message;
  const { details } = error;
  if (details.unresolved && details.unresolved.length > 1) {
    const parts = details.unresolved.map((entry) => (entry.code === 'TASK_AMBIGUOUS' ? ambiguous(entry.message, entry) : entry.message));
    return withFind(parts.join('; '), details.unresolved.some((entry) => entry.code === 'TASK_NOT_FOUND'));
  }
  switch (error.code) {
    case 'TASK_NOT_FOUND':
      return withFind(message, details.ref !== undefined);
    case 'TASK_AMBIGUOUS':
      return ambiguous(message, details);
    case 'TASK_RUNNING':
      return `${message} (the stop tool stops it)`;
    default:
      return message;
  }
}

function withFind(message: string, find: boolean): string {
  return find ? `${message} (the list tool shows every task)` : message;
}

/** Full ids, so that the agent can pass one as it is. */
function ambiguous(message: string, details: Pick<GhostErrorDetails, 'candidates' | 'more'>): string {
  if (!details.candidates?.length) return message;
  const listed = details.candidates.map((task: TaskMention) => (task.name === null ? task.id : `${task.id} (${task.name})`));
  return `${message}: ${listed.join(', ')}${details.more ? ', …' : ''}; give a full id or more of one`;
}
