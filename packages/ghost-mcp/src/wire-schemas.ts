// Zod schemas of core's wire shapes (wire/shapes.ts, tasks/types.ts), one per shape, from which
// the tools' output schemas are made. Core declares the shapes as TypeScript types and keeps
// zod out of its main entry (every CLI command would load it); the checks at the end make a
// shape and its schema the same type, so a field added to one and not the other fails to
// compile rather than a tool call at runtime.
import type {
  DownResultJSON,
  RunJSON,
  StopResultJSON,
  TaskJSON,
  TaskPortJSON,
  TaskStatsJSON,
  UpResultJSON,
  WaitResultJSON,
} from '@ghost/core';
import { RESTART_POLICIES, TASK_STATUSES } from '@ghost/core';
import { z } from 'zod';

const id = z.string().describe("The task's id (a UUID)");
const time = z.string().describe('ISO 8601, UTC');
const count = z.number().int().min(0);
const pid = z.number().int().nullable();

export const taskSchema = z
  .object({
    id,
    name: z.string().nullable(),
    project: z.string().nullable().describe('The stack it belongs to (a service of a project file)'),
    service: z.string().nullable(),
    description: z.string().nullable(),
    run: z.number().int().min(1).describe("The current run's number: 1, then one more for each start again"),
    pid,
    pgid: pid,
    status: z.enum(TASK_STATUSES as [TaskJSON['status'], ...TaskJSON['status'][]]),
    exit_code: z.number().int().nullable(),
    signal: z.string().nullable(),
    reason: z.string().nullable(),
    restart_policy: z.enum(RESTART_POLICIES as [TaskJSON['restart_policy'], ...TaskJSON['restart_policy'][]]),
    restarts: count,
    restart_at: time.nullable(),
    health: z.enum(['starting', 'healthy', 'unhealthy']).nullable(),
    health_at: time.nullable(),
    leftover_processes: count,
    cpu_percent: z.number().nullable(),
    memory_bytes: z.number().nullable(),
    command: z.array(z.string()),
    cwd: z.string(),
    started_at: time,
    finished_at: time.nullable(),
    log_path: z.string(),
  })
  .describe('A task (the shape of --json)');

export const runSchema = z.object({
  run: z.number().int().min(1),
  pid,
  pgid: pid,
  status: z.enum(['running', 'exited', 'killed', 'unknown']),
  exit_code: z.number().int().nullable(),
  signal: z.string().nullable(),
  reason: z.string().nullable(),
  started_at: time,
  finished_at: time.nullable(),
  log_offset: z.number().int().nullable().describe("Where the run's output starts in the log"),
});

export const stopResultSchema = z.object({
  task: taskSchema,
  was_running: z.boolean(),
  leftovers: count.describe('Processes it had left running that the stop ended'),
  killed: z.boolean().describe('SIGKILL was needed'),
  recorded: z.boolean().describe('False: a full or read-only disk kept the outcome from being stored'),
});

export const taskPortSchema = z.object({
  task: id,
  name: z.string().nullable(),
  protocol: z.enum(['tcp', 'udp']),
  address: z.string(),
  port: z.number().int(),
  pid: z.number().int().describe('The process holding the socket'),
});

export const waitResultSchema = z.object({
  timed_out: z.boolean(),
  tasks: z.array(taskSchema),
});

export const upResultSchema = z.object({
  project: z.string(),
  changed: z.boolean(),
  services: z.array(z.object({ service: z.string(), action: z.enum(['start', 'restart', 'unchanged']), task: taskSchema })),
  removed: z.array(taskSchema),
});

export const downResultSchema = z.object({
  project: z.string(),
  stopped: z.array(stopResultSchema),
  removed: z.array(taskSchema),
});

const usageSource = z.enum(['cgroup', 'processes']);

export const taskStatsSchema = z.object({
  task: id,
  name: z.string().nullable(),
  run: z.number().int().min(1),
  pid,
  cpu_percent: z.number(),
  cpu_seconds: z.number(),
  cpu_since: time,
  memory_bytes: z.number(),
  rss_bytes: z.number(),
  pss_bytes: z.number().nullable(),
  processes: count,
  threads: count.nullable(),
  cpu_source: usageSource,
  memory_source: usageSource,
  sampled_at: time,
});

/** True when A and B are the same type (each assignable to the other). */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Output<S extends z.ZodType> = z.output<S>;

// Compile-time only: each line fails to type-check if a schema drifts from its shape.
true satisfies Same<Output<typeof taskSchema>, TaskJSON>;
true satisfies Same<Output<typeof runSchema>, RunJSON>;
true satisfies Same<Output<typeof stopResultSchema>, StopResultJSON>;
true satisfies Same<Output<typeof taskPortSchema>, TaskPortJSON>;
true satisfies Same<Output<typeof waitResultSchema>, WaitResultJSON>;
true satisfies Same<Output<typeof upResultSchema>, UpResultJSON>;
true satisfies Same<Output<typeof downResultSchema>, DownResultJSON>;
true satisfies Same<Output<typeof taskStatsSchema>, TaskStatsJSON>;
