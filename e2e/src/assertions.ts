import { expect } from 'vitest';
import { type GhostResult, ISO_UTC, STOP_RESULT_JSON_KEYS, type StopResultJSON, TASK_JSON_KEYS, type TaskJSON, UUID } from './harness.js';

/** Checks one task object against the documented JSON shape, field by field. */
export function expectTaskShape(task: TaskJSON): void {
  expect(Object.keys(task)).toEqual([...TASK_JSON_KEYS]);
  expect(task.id).toMatch(UUID);
  expect(task.name === null || typeof task.name === 'string').toBe(true);
  expect(task.description === null || typeof task.description === 'string').toBe(true);
  // A stack's service has both; a plain task neither.
  expect(task.service === null ? task.project === null : typeof task.project === 'string' && typeof task.service === 'string').toBe(true);
  expect(Number.isInteger(task.run) && task.run >= 1).toBe(true);
  expect(task.reason === null || /^[a-z_]+$/.test(task.reason)).toBe(true);
  expect(Number.isInteger(task.leftover_processes) && task.leftover_processes >= 0).toBe(true);
  expect(task.pid === null || Number.isInteger(task.pid)).toBe(true);
  expect(task.pgid === null || Number.isInteger(task.pgid)).toBe(true);
  expect(['running', 'restarting', 'exited', 'killed', 'unknown']).toContain(task.status);
  expect(['no', 'on-failure', 'always']).toContain(task.restart_policy);
  expect(Number.isInteger(task.restarts) && task.restarts >= 0).toBe(true);
  expect(task.restart_at === null || (task.status === 'restarting' && ISO_UTC.test(task.restart_at))).toBe(true);
  expect([null, 'starting', 'healthy', 'unhealthy']).toContain(task.health);
  expect(task.health === null || task.status === 'running').toBe(true);
  expect(task.health_at === null || (task.health !== null && task.health !== 'starting' && ISO_UTC.test(task.health_at))).toBe(true);
  expect(task.exit_code === null || Number.isInteger(task.exit_code)).toBe(true);
  expect(task.signal === null || /^SIG[A-Z0-9]+$/.test(task.signal)).toBe(true);
  expect(Array.isArray(task.command)).toBe(true);
  for (const word of task.command) expect(typeof word).toBe('string');
  expect(task.cwd.startsWith('/')).toBe(true);
  expect(task.started_at).toMatch(ISO_UTC);
  expect(new Date(task.started_at).toISOString()).toBe(task.started_at);
  if (task.finished_at !== null) {
    expect(task.finished_at).toMatch(ISO_UTC);
    expect(new Date(task.finished_at).toISOString()).toBe(task.finished_at);
  }
  expect(task.log_path.startsWith('/')).toBe(true);
  // Measured when tasks are read, while they run; null otherwise.
  expect(task.cpu_percent === null || (typeof task.cpu_percent === 'number' && task.cpu_percent >= 0)).toBe(true);
  expect(task.memory_bytes === null || (Number.isInteger(task.memory_bytes) && task.memory_bytes >= 0)).toBe(true);
  if (task.status !== 'running') expect([task.cpu_percent, task.memory_bytes]).toEqual([null, null]);
  // What each status implies for the other fields.
  switch (task.status) {
    case 'running':
      expect(task.finished_at).toBeNull();
      expect(task.exit_code).toBeNull();
      expect(task.signal).toBeNull();
      break;
    case 'exited':
      expect(task.finished_at).not.toBeNull();
      expect(task.exit_code).not.toBeNull();
      expect(task.signal).toBeNull();
      break;
    case 'killed':
      expect(task.finished_at).not.toBeNull();
      expect(task.exit_code).toBeNull();
      expect(task.signal).not.toBeNull();
      break;
    case 'unknown':
      expect(task.finished_at).not.toBeNull();
      expect(task.exit_code).toBeNull();
      expect(task.signal).toBeNull();
      break;
  }
}

/** Checks a stop result against its documented JSON shape: the same from the CLI and from MCP. */
export function expectStopResultShape(result: StopResultJSON): void {
  expect(Object.keys(result)).toEqual([...STOP_RESULT_JSON_KEYS]);
  expectTaskShape(result.task);
  for (const key of ['was_running', 'killed', 'recorded'] as const) expect(typeof result[key]).toBe('boolean');
  expect(Number.isInteger(result.leftovers) && result.leftovers >= 0).toBe(true);
  // A stop returns once the processes are gone.
  expect(result.task.status).not.toBe('running');
}

/**
 * A failure as a person should see it: a non-zero exit (the given one, if any), exactly one
 * line on stderr, no stack trace, nothing on stdout.
 */
export function expectCleanFailure(result: GhostResult, exitCode?: number): void {
  const context = `exit ${result.exitCode}, stderr ${JSON.stringify(result.stderr)}, stdout ${JSON.stringify(result.stdout)}`;
  if (exitCode === undefined) expect(result.exitCode, context).not.toBe(0);
  else expect(result.exitCode, context).toBe(exitCode);
  expect(result.stderr.endsWith('\n'), context).toBe(true);
  expect(result.stderr.trimEnd().split('\n'), context).toHaveLength(1);
  expect(result.stderr.trim(), context).not.toBe('');
  expect(result.stderr, context).not.toMatch(/^\s+at /m);
  expect(result.stdout, context).toBe('');
}
