/** Machine-readable reasons a ghost operation can fail. */
export type GhostErrorCode =
  | 'INVALID_ARGUMENT'
  | 'TASK_NOT_FOUND'
  | 'TASK_AMBIGUOUS'
  | 'TASK_NOT_RUNNING'
  | 'TASK_RUNNING'
  | 'COMMAND_NOT_FOUND'
  | 'COMMAND_NOT_EXECUTABLE'
  | 'CWD_NOT_FOUND'
  | 'START_FAILED'
  | 'STOP_FAILED'
  | 'LOG_UNREADABLE'
  | 'DATA_DIR_UNUSABLE'
  | 'DATABASE_TOO_NEW'
  | 'DATABASE_UNUSABLE';

/**
 * The only error type ghost's API throws on purpose. `message` is one line meant for people;
 * `exitCode` is the process exit status a command-line front end should use: 2 for bad input
 * (INVALID_ARGUMENT, as for any usage error), 126/127 for a command that is not executable / not
 * found (the shell's convention), 1 otherwise.
 */
export class GhostError extends Error {
  readonly code: GhostErrorCode;
  readonly exitCode: number;

  constructor(code: GhostErrorCode, message: string, options: { exitCode?: number; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'GhostError';
    this.code = code;
    this.exitCode = options.exitCode ?? (code === 'INVALID_ARGUMENT' ? 2 : 1);
  }
}

export function isGhostError(error: unknown): error is GhostError {
  return error instanceof GhostError;
}

/** The errno-style code of a Node system error, if it has one. */
export function errnoCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string'
    ? error.code
    : undefined;
}

/** A short human reason for a system error ("permission denied", "not a directory"). */
export function describeSystemError(error: unknown): string {
  switch (errnoCode(error)) {
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ENOENT':
      return 'no such file or directory';
    case 'ENOTDIR':
      return 'not a directory';
    case 'EROFS':
      return 'read-only file system';
    case 'ENOSPC':
      return 'no space left on device';
    case 'EEXIST':
      return 'already exists';
    case 'E2BIG':
      return 'argument list too long (the command and its environment exceed the system limit)';
    default:
      return error instanceof Error ? error.message.split('\n')[0]! : String(error);
  }
}
