import { healthSpec, limitSpec, logSpec, restartSpec } from '../tasks/policy.js';
import type { ServiceSpec } from './model.js';

/** Object keys sorted at every level, so equal definitions give equal text. */
function stable(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stable);
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value as Record<string, unknown>).filter(([, each]) => each !== undefined);
  return Object.fromEntries(entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([key, each]) => [key, stable(each)]));
}

/**
 * The digest of what a service runs: command, shell, cwd, env and its policies, with every
 * default applied (so `restart: {policy: 'no'}` and no restart are the same). A task records
 * the digest of the definition it was started from; `plan` restarts it when the digest
 * differs. Its description, dependencies and watch paths are not part of it: changing them
 * needs no restart.
 */
export function serviceDigest(service: ServiceSpec): string {
  const normalized = {
    command: service.command,
    shell: service.shell,
    cwd: service.cwd,
    env: service.env,
    restart: restartSpec(service.restart),
    limits: limitSpec(service.limits) ?? null,
    logs: logSpec(service.logs),
    health: healthSpec(service.health),
    stop: { signal: service.stop?.signal ?? null, timeoutMs: service.stop?.timeoutMs ?? null },
  };
  // Loaded here: every command pays for what ghost imports (node:crypto costs ~2 ms).
  const { createHash } = process.getBuiltinModule('node:crypto');
  return createHash('sha256').update(JSON.stringify(stable(normalized))).digest('hex');
}
