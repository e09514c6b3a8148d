import { taskStatsToJSON } from '@ghost/core';
import { z } from 'zod';
import { MAX_SAMPLE_SECONDS } from '../limits.js';
import { defineTool, taskRefs } from '../tool.js';
import { taskStatsSchema } from '../wire-schemas.js';

export const statsTool = defineTool({
  name: 'stats',
  title: 'CPU and memory of running tasks',
  description:
    "What each running task's whole process tree uses (the command and everything it started), measured now: of every running task, or of the tasks given (ended ones have none and are left out). " +
    '{"stats": [{"task", "name", "run", "pid", "cpu_percent", "cpu_seconds", "cpu_since", "memory_bytes", "rss_bytes", "pss_bytes", "processes", "threads", "cpu_source", "memory_source", "sampled_at"}]}. ' +
    "cpu_percent is of one core (200 = two cores busy), averaged from cpu_since: the run's start, or with sample_seconds the first of two readings that far apart (CPU use now). " +
    'memory_bytes is the memory in use; pss_bytes counts pages shared between processes once (Linux).',
  input: {
    tasks: taskRefs.optional().describe('Only these tasks (default: every running task)'),
    sample_seconds: z
      .number()
      .min(0)
      .max(MAX_SAMPLE_SECONDS)
      .optional()
      .describe(`Measure CPU over this many seconds from now instead of since each run started (default 0, at most ${MAX_SAMPLE_SECONDS})`),
  },
  output: z.object({ stats: z.array(taskStatsSchema) }),
  annotations: { readOnlyHint: true },
  async call(args, server, call) {
    let stats = server.ghost.stats(args.tasks, { pss: true });
    if (args.sample_seconds) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, args.sample_seconds! * 1000);
        call.signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
      });
      stats = server.ghost.stats(args.tasks, { pss: true, previous: stats });
    }
    return { value: { stats: stats.map(taskStatsToJSON) } };
  },
});
