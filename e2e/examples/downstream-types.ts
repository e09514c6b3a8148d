// The typed face of @ghost/core for consumers: this file is only type-checked (`pnpm
// typecheck`), proving that the published declarations describe the API a downstream tool uses.
import {
  DEFAULT_STOP_TIMEOUT_MS,
  type DownResult,
  Ghost,
  GhostError,
  type GhostErrorCode,
  type RunOptions,
  type ServiceAction,
  type StackPlan,
  type StackProgress,
  type StackSpec,
  type StopResult,
  type Task,
  type TaskJSON,
  type TaskStatus,
  type UpResult,
  down,
  isGhostError,
  plan,
  taskToJSON,
  up,
} from '@ghost/core';
import { type LoadStackResult, type Problem, formatProblem, loadStack } from '@ghost/core/stack';

/** Starts a named task unless one with that name is already running; returns it. */
export async function ensureRunning(ghost: Ghost, name: string, command: string[]): Promise<Task> {
  try {
    const existing: Task = ghost.status(name);
    if (existing.status === 'running') return existing;
  } catch (error) {
    if (!(error instanceof GhostError) || error.code !== 'TASK_NOT_FOUND') throw error;
  }
  const options: RunOptions = { command, name, env: { FROM: 'downstream' } };
  return ghost.run(options);
}

export async function stopAll(ghost: Ghost): Promise<TaskJSON[]> {
  const running: Task[] = ghost.list({ status: 'running' });
  const results: StopResult[] = await Promise.all(
    running.map((task) => ghost.stop(task.id, { timeoutMs: DEFAULT_STOP_TIMEOUT_MS / 2 })),
  );
  return results.map((result) => taskToJSON(result.task));
}

export function describeFailure(error: unknown): { code: GhostErrorCode; exitCode: number } | null {
  return isGhostError(error) ? { code: error.code, exitCode: error.exitCode } : null;
}

export function summary(task: Task): string {
  const status: TaskStatus = task.status;
  const pid: number | null = task.pid;
  const finished: Date | null = task.finishedAt;
  const argv: string[] = task.command;
  return `${task.id} ${status} ${pid ?? '-'} ${finished?.toISOString() ?? 'running'} ${argv.join(' ')}`;
}

export async function main(): Promise<void> {
  const ghost = Ghost.open({ dataDir: process.env.GHOST_DATA_DIR });
  try {
    const task = await ensureRunning(ghost, 'web', ['npm', 'run', 'dev']);
    console.log(summary(task));
    for await (const chunk of ghost.followLog(task.id, { tail: 10 })) process.stdout.write(chunk);
    const log: Buffer = ghost.readLog(task.id, { tail: 5 });
    console.log(log.length, await stopAll(ghost));
  } finally {
    ghost.close();
  }
}

// What the types must reject.
export function rejected(task: Task, json: TaskJSON): void {
  // @ts-expect-error environment values are never part of a Task
  void task.env;
  // @ts-expect-error TaskJSON is snake_case
  void json.exitCode;
  // @ts-expect-error statuses are a closed set
  const status: TaskStatus = 'sleeping';
  void status;
  // @ts-expect-error a command is an argv, not a string
  const options: RunOptions = { command: 'npm run dev' };
  void options;
  // @ts-expect-error error codes are a closed set
  const code: GhostErrorCode = 'OOPS';
  void code;
}

/**
 * A stack from a directory's project file: its problems as `file:line:col: message`, or what
 * `up` did. The reader comes from `@ghost/core/stack`, the engine from `@ghost/core`.
 */
export async function upFromDirectory(ghost: Ghost, dir: string, onProgress?: (event: StackProgress) => void): Promise<UpResult | string[]> {
  const read: LoadStackResult = loadStack({ cwd: dir });
  if (!read.stack) return read.problems.map((problem: Problem) => formatProblem(problem, dir));
  const stack: StackSpec = read.stack;
  // The plan is data: what up would do to each service, before anything is done.
  const pending: StackPlan = plan(ghost, stack);
  const actions: ServiceAction[] = pending.services.map((service) => service.action);
  if (!actions.includes('start') && !actions.includes('restart')) return [];
  return up(ghost, stack, { onProgress, timeoutMs: 30_000 });
}

export async function downAndForget(ghost: Ghost, stack: StackSpec): Promise<DownResult> {
  return down(ghost, stack, { remove: true });
}
