// The typed face of @ghost/core for consumers: this file is only type-checked (`pnpm
// typecheck`), proving that the published declarations describe the API a downstream tool uses.
import {
  DEFAULT_STOP_TIMEOUT_MS,
  Ghost,
  GhostError,
  type GhostErrorCode,
  type RunOptions,
  type StopResult,
  type Task,
  type TaskJSON,
  type TaskStatus,
  isGhostError,
  taskToJSON,
} from '@ghost/core';

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
