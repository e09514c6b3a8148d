// The JSON shapes of results in every machine-readable output (`--json`, MCP tool results),
// next to the task's and the run's (taskToJSON, runToJSON in tasks/types.ts): snake_case keys,
// ISO 8601 UTC times. Front ends serialise through these and never build their own.
import type { ListeningPort } from '../process/ports.js';
import type { StopResult } from '../tasks/terminate.js';
import { type Task, type TaskJSON, taskToJSON } from '../tasks/types.js';

/** What a stop did: the task as it ended, and how it came to. */
export interface StopResultJSON {
  task: TaskJSON;
  /** False: it had already ended; only what it left running (if anything) was signalled. */
  was_running: boolean;
  /** How many processes that had outlived the task's command (daemonized) the stop ended. */
  leftovers: number;
  /** SIGKILL was needed (or asked for). */
  killed: boolean;
  /** False: a full or read-only disk kept the outcome from being stored; the next command stores it. */
  recorded: boolean;
}

export function stopResultToJSON(result: StopResult): StopResultJSON {
  return {
    task: taskToJSON(result.task),
    was_running: result.wasRunning,
    leftovers: result.leftovers,
    killed: result.killed,
    recorded: result.recorded,
  };
}

/** A socket a task listens on, with the task it belongs to. */
export interface TaskPortJSON {
  /** The task's id. */
  task: string;
  name: string | null;
  protocol: ListeningPort['protocol'];
  address: string;
  port: number;
  /** The process holding the socket. */
  pid: number;
}

export function taskPortToJSON(task: Pick<Task, 'id' | 'name'>, port: ListeningPort): TaskPortJSON {
  return { task: task.id, name: task.name, protocol: port.protocol, address: port.address, port: port.port, pid: port.pid };
}

/** How a wait ended: the tasks as they are then, and whether the timeout passed first. */
export interface WaitResultJSON {
  timed_out: boolean;
  tasks: TaskJSON[];
}

export function waitResultToJSON(result: { tasks: readonly Task[]; timedOut: boolean }): WaitResultJSON {
  return { timed_out: result.timedOut, tasks: result.tasks.map(taskToJSON) };
}
