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
  | 'RUN_NOT_FOUND'
  | 'LOG_NOT_KEPT'
  | 'DATA_DIR_UNUSABLE'
  | 'DATA_DIR_UNSAFE'
  | 'LIMIT_UNAVAILABLE'
  | 'DATABASE_TOO_NEW'
  | 'DATABASE_UNUSABLE'
  | 'SQLITE_UNAVAILABLE'
  | 'PROJECT_FILE_NOT_FOUND'
  | 'UNKNOWN_SERVICE'
  | 'DEPENDENCY_CYCLE'
  | 'STACK_SERVICE_FAILED'
  | 'STACK_TIMEOUT'
  | 'STACK_CANCELLED'
  | 'REVISION_NOT_FOUND'
  | 'NOT_A_GIT_REPOSITORY'
  | 'GIT_REVISION_NOT_FOUND';

/** A task as an error names it: enough to tell candidates apart and to refer to each one. */
export interface TaskMention {
  readonly id: string;
  readonly name: string | null;
}

/** A reference that did not resolve, and why (TASK_NOT_FOUND, TASK_AMBIGUOUS or INVALID_ARGUMENT). */
export interface UnresolvedRef {
  readonly ref: string;
  readonly code: GhostErrorCode;
  /** Core's message for this reference alone. */
  readonly message: string;
  readonly candidates?: readonly TaskMention[];
  readonly more?: boolean;
}

/**
 * Structured facts about an error, for front ends and programs (the message is for people, and
 * never holds a front end's syntax: front ends map codes and these facts to their own hints).
 * Each code documents its own keys, e.g. `UnsafePathDetails` for DATA_DIR_UNSAFE.
 */
export interface GhostErrorDetails {
  /** A shell command (argv) that fixes the problem, for a front end to offer. */
  readonly fix?: readonly string[];
  /** The task the error is about (TASK_RUNNING, TASK_NOT_RUNNING, STOP_FAILED, LOG_UNREADABLE, ...). */
  readonly id?: string;
  readonly name?: string | null;
  /** The task's run the error is about. */
  readonly run?: number;
  /** The task's status when the error was found (TASK_NOT_RUNNING: how it ended). */
  readonly status?: string;
  /** TASK_NOT_FOUND, TASK_AMBIGUOUS: the reference as given. */
  readonly ref?: string;
  /** TASK_AMBIGUOUS: the tasks the reference matches, newest first; `more` if there are others. */
  readonly candidates?: readonly TaskMention[];
  readonly more?: boolean;
  /** From resolving several references: every one that did not resolve (the error is the first one's). */
  readonly unresolved?: readonly UnresolvedRef[];
  /** INVALID_ARGUMENT: which input is wrong (e.g. "command", "status", "signal", "name"), and what was given. */
  readonly argument?: string;
  readonly value?: unknown;
  /** INVALID_ARGUMENT from `parseSupervisionOptions`: the key of the supervision option that is wrong. */
  readonly option?: string;
  /** The file or directory concerned. */
  readonly path?: string;
  /** The signal concerned (STOP_FAILED: the last one sent). */
  readonly signal?: string;
  readonly [key: string]: unknown;
}

/** The facts about a task that errors about it carry. */
export function mention(task: TaskMention & { readonly run?: number }): { id: string; name: string | null; run?: number } {
  return task.run === undefined ? { id: task.id, name: task.name } : { id: task.id, name: task.name, run: task.run };
}

export interface GhostErrorOptions {
  exitCode?: number;
  cause?: unknown;
  details?: GhostErrorDetails;
}

/**
 * Marks ghost's errors across copies of this module (a bundle inlines core, and `@ghost/core/stack`
 * is a bundle of its own): `instanceof` is true only for one copy's class, the brand for all.
 */
const BRAND = Symbol.for('@ghost/core:GhostError');

/**
 * The only error type ghost's API throws on purpose. `message` is one line meant for people;
 * `exitCode` is the process exit status a command-line front end should use: 2 for bad input
 * (INVALID_ARGUMENT, as for any usage error), 126/127 for a command that is not executable / not
 * found (the shell's convention), 1 otherwise.
 */
export class GhostError extends Error {
  readonly [BRAND] = true;
  readonly code: GhostErrorCode;
  readonly exitCode: number;
  readonly details: GhostErrorDetails;

  constructor(code: GhostErrorCode, message: string, options: GhostErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'GhostError';
    this.code = code;
    this.exitCode = options.exitCode ?? (code === 'INVALID_ARGUMENT' ? 2 : 1);
    this.details = options.details ?? {};
  }
}

export function isGhostError(error: unknown): error is GhostError {
  return typeof error === 'object' && error !== null && (error as { [BRAND]?: unknown })[BRAND] === true;
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

/**
 * True for a failure to write ghost's state that retrying later can fix: a full disk, a
 * read-only file system, an I/O error. Commands that must work anyway (stop, kill, reads) act
 * on the processes first and leave the record to the next command.
 */
export function isStorageFailure(error: unknown): boolean {
  if (isGhostError(error)) return error.cause !== undefined && isStorageFailure(error.cause);
  const code = errnoCode(error) ?? '';
  return (
    code === 'SQLITE_FULL' ||
    code.startsWith('SQLITE_READONLY') ||
    code.startsWith('SQLITE_IOERR') ||
    code === 'SQLITE_CANTOPEN' ||
    code === 'ENOSPC' ||
    code === 'EROFS' ||
    code === 'EDQUOT' ||
    code === 'EIO'
  );
}
