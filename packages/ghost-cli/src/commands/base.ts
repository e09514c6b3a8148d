import { type Ghost, type Task, type TaskTarget, currentProject, parseDuration as parseCoreDuration, isGhostError, parseSignal, taskToJSON } from '@ghost/core';
import { escapeForTerminal } from '@ghost/core/format';
import { Command } from 'clipanion';
import type { GhostContext } from '../context.js';
import { errorLine } from '../output/error-text.js';
import { type Style, styleFor } from '../output/style.js';

/** Exit status for bad usage (unknown option, malformed value), as most Unix tools do. */
export const USAGE_EXIT = 2;

/** Thrown by commands for bad input that core never sees (e.g. a malformed flag value). */
export class UsageError extends Error {}

/**
 * The base of every ghost command: runs `run()`, turns any failure into one line on stderr
 * and an exit status (never a stack trace), and opens ghost's state only when asked.
 */
export abstract class GhostCommand extends Command<GhostContext> {
  #ghost: Ghost | undefined;
  #project: { name: string | undefined } | undefined;

  protected abstract run(): Promise<number | void>;

  override async execute(): Promise<number> {
    try {
      return (await this.run()) ?? 0;
    } catch (error) {
      this.context.stderr.write(`ghost: ${errorLine(error, this.path[0])}\n`);
      if (isGhostError(error)) return error.exitCode;
      return error instanceof UsageError ? USAGE_EXIT : 1;
    } finally {
      this.#ghost?.close();
    }
  }

  protected get ghost(): Ghost {
    this.#ghost ??= this.context.openGhost();
    return this.#ghost;
  }

  /**
   * The task references as typed here: in a project's directory (a project file here or in a
   * parent), a project's service name means that service's task before any other task's name.
   */
  protected target(ref: string): TaskTarget {
    this.#project ??= { name: currentProject(this.context.cwd) };
    const project = this.#project.name;
    return project === undefined ? ref : { ref, project };
  }

  protected targets(refs: readonly string[]): TaskTarget[] {
    return refs.map((ref) => this.target(ref));
  }

  protected get style(): Style {
    return styleFor(this.context.stdout, this.context.env);
  }

  /** The terminal width when stdout is one; undefined for pipes and files (no truncation). */
  protected get terminalWidth(): number | undefined {
    const stdout = this.context.stdout as { isTTY?: boolean; columns?: number };
    return stdout.isTTY && stdout.columns ? stdout.columns : undefined;
  }

  protected print(text: string): void {
    this.context.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
  }

  /** JSON for machines: compact through a pipe, indented on a terminal where a person reads it. */
  protected printJSON(value: Task | Task[] | unknown): void {
    const json = Array.isArray(value)
      ? value.map((item) => (isTask(item) ? taskToJSON(item) : item))
      : isTask(value)
        ? taskToJSON(value)
        : value;
    this.context.stdout.write(`${JSON.stringify(json, null, this.#isTerminal ? 2 : undefined)}\n`);
  }

  /** Prints JSON text that core already serialised (compact), indenting it for a terminal. */
  protected printJSONText(text: string): void {
    this.context.stdout.write(`${this.#isTerminal ? JSON.stringify(JSON.parse(text), null, 2) : text}\n`);
  }

  get #isTerminal(): boolean {
    return (this.context.stdout as { isTTY?: boolean }).isTTY === true;
  }

  /** Stdout is a terminal that can redraw in place (not a dumb one): for live output. */
  protected get redrawsInPlace(): boolean {
    return this.#isTerminal && this.context.env.TERM !== 'dumb';
  }

  /** A message for people on stderr (stdout stays for results); task text in it is escaped. */
  protected note(text: string): void {
    this.context.stderr.write(`${escapeForTerminal(text)}\n`);
  }

  /**
   * The next useful command, for a person at a terminal: on stderr, only when stderr is a
   * terminal, and never with --json (scripts read stdout; a hint is never part of a result).
   */
  protected hint(text: string, { json = false } = {}): void {
    if (json || (this.context.stderr as { isTTY?: boolean }).isTTY !== true) return;
    this.context.stderr.write(`${this.style.dim(`hint: ${escapeForTerminal(text)}`)}\n`);
  }
}

/**
 * A shell-style exit status for an ended task: its exit code, 128+n for signal n, 1 when
 * nothing recorded how it ended (unknown), 0 while it is still running.
 */
/**
 * The exit status of a wait until healthy (`wait --healthy`, `run --wait-healthy`): 0 once
 * healthy; a task that ended first, its status (1 if it exited 0: it never became ready);
 * still not healthy (the timeout passed), 124.
 */
export function healthyExitStatus(task: Pick<Task, 'status' | 'exitCode' | 'signal' | 'health'>): number {
  if (task.health === 'healthy') return 0;
  if (task.status === 'running' || task.status === 'restarting') return TIMEOUT_EXIT;
  return taskExitStatus(task) || 1;
}

/** The exit status of a wait whose timeout passed first (as timeout(1)). */
export const TIMEOUT_EXIT = 124;

export function taskExitStatus(task: Pick<Task, 'status' | 'exitCode' | 'signal'>): number {
  switch (task.status) {
    case 'exited':
      return task.exitCode ?? 1;
    case 'killed': {
      const number = task.signal ? signalNumber(task.signal) : undefined;
      return number === undefined ? 1 : 128 + number;
    }
    case 'unknown':
      return 1;
    default:
      return 0;
  }
}

function signalNumber(name: string): number | undefined {
  try {
    return parseSignal(name).number;
  } catch {
    return undefined;
  }
}

function isTask(value: unknown): value is Task {
  return typeof value === 'object' && value !== null && 'startedAt' in value && 'logPath' in value;
}

/**
 * Parses a duration for `flag`: a number of seconds, or a number with a unit (`500ms`, `30s`,
 * `5m`, `2h`, `1d`). Returns milliseconds, or throws a usage error.
 */
export function parseDuration(value: string, flag: string): number {
  try {
    return parseCoreDuration(value, flag);
  } catch {
    throw new UsageError(`invalid value for ${flag}: "${value}" (expected a duration such as 30s, 5m, 2h or 1d)`);
  }
}

/** Parses a non-negative number given for `flag`, or throws a usage error. */
export function parseNumber(value: string, flag: string, { integer = false } = {}): number {
  const number = Number(value);
  if (value.trim() === '' || !Number.isFinite(number) || number < 0 || (integer && !Number.isInteger(number))) {
    throw new UsageError(`invalid value for ${flag}: "${value}" (expected a non-negative ${integer ? 'integer' : 'number'})`);
  }
  return number;
}
