// process-compose.yaml, the common subset (see the README's Stacks section). Every key outside
// it is named in one warning: ghost never drops a setting without saying so.
import { dirname, resolve } from 'node:path';
import type { ReadFormat } from './ghost-file.js';
import type { DependencyCondition, ServiceSpec } from './model.js';
import { type PathKey, type Problem, parseYaml } from './problems.js';
import { parseServiceSupervision } from './supervision.js';
import { parseSignal } from '../process/signals.js';

const CONDITIONS: Readonly<Record<string, DependencyCondition>> = {
  process_started: 'started',
  process_healthy: 'healthy',
  process_completed_successfully: 'completed_successfully',
  // The dependency's `ready_log_line` is its health check.
  process_log_ready: 'healthy',
};
const RESTARTS: Readonly<Record<string, string>> = { no: 'no', on_failure: 'on-failure', always: 'always' };
const PROBE_KEYS = new Set(['exec', 'http_get', 'initial_delay_seconds', 'period_seconds', 'timeout_seconds', 'failure_threshold']);
const PROCESS_KEYS = new Set([
  'command', 'working_dir', 'environment', 'depends_on', 'availability', 'readiness_probe', 'liveness_probe',
  'shutdown', 'ready_log_line', 'description', 'disabled',
]);

type Json = Record<string, unknown>;
const isMap = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

export function readProcessCompose(file: string, text: string): ReadFormat {
  const { doc, at, problems } = parseYaml(file, text);
  if (problems.length > 0) return { services: [], problems, warnings: [] };
  const root = doc.toJS({ maxAliasCount: 100 }) as unknown;
  if (!isMap(root) || !isMap(root.processes)) {
    return { services: [], problems: [at.value([], 'expected a map with "processes"')], warnings: [] };
  }
  const ignored: { path: PathKey[]; label: string }[] = [];
  const unknown = (path: PathKey[], value: Json, known: ReadonlySet<string>) => {
    for (const key of Object.keys(value)) if (!known.has(key)) ignored.push({ path: [...path, key], label: [...path, key].join('.') });
  };
  unknown([], root, new Set(['version', 'processes']));

  const dir = dirname(file);
  const disabled: string[] = [];
  const services: ServiceSpec[] = [];
  for (const [name, process] of Object.entries(root.processes)) {
    const path = ['processes', name];
    if (!isMap(process)) {
      problems.push(at.value(path, `${name}: expected a map`));
      continue;
    }
    unknown(path, process, PROCESS_KEYS);
    if (process.disabled === true) {
      disabled.push(name);
      continue;
    }
    const command = typeof process.command === 'string' ? process.command : '';
    if (command.trim() === '') problems.push(at.value([...path, 'command'], `${name}: the command is empty`));

    const env: Record<string, string> = {};
    if (Array.isArray(process.environment)) {
      process.environment.forEach((entry, index) => {
        const match = /^([^=]+)=(.*)$/s.exec(String(entry));
        if (match) env[match[1]!] = match[2]!;
        else problems.push(at.value([...path, 'environment', index], `${name}.environment: expected KEY=VALUE`));
      });
    }

    const dependsOn: Record<string, DependencyCondition> = {};
    for (const [dependency, spec] of Object.entries(isMap(process.depends_on) ? process.depends_on : {})) {
      const written = isMap(spec) ? spec.condition ?? 'process_started' : spec;
      const condition = CONDITIONS[String(written)];
      if (condition) dependsOn[dependency] = condition;
      else problems.push(at.value([...path, 'depends_on', dependency], `${name}: condition "${String(written)}" is not supported (use one of ${Object.keys(CONDITIONS).join(', ')})`));
      if (isMap(spec)) unknown([...path, 'depends_on', dependency], spec, new Set(['condition']));
    }

    const fields: Record<string, unknown> = {};
    if (isMap(process.availability)) {
      const availability = process.availability;
      unknown([...path, 'availability'], availability, new Set(['restart', 'backoff_seconds', 'max_restarts']));
      if (availability.restart !== undefined) {
        const restart = RESTARTS[String(availability.restart)];
        if (restart) fields.restart = restart;
        else ignored.push({ path: [...path, 'availability', 'restart'], label: `${path.join('.')}.availability.restart: ${String(availability.restart)}` });
      }
      // process-compose waits the same time before every restart.
      if (typeof availability.backoff_seconds === 'number') fields.backoff = `${availability.backoff_seconds}s..${availability.backoff_seconds}s`;
      // 0 is process-compose's "unlimited"; ghost's default is a limit, so only a positive count is taken.
      if (typeof availability.max_restarts === 'number' && availability.max_restarts > 0) fields.max_restarts = availability.max_restarts;
    }
    const probeName = isMap(process.readiness_probe) ? 'readiness_probe' : isMap(process.liveness_probe) ? 'liveness_probe' : undefined;
    if (probeName === 'readiness_probe' && process.liveness_probe !== undefined) {
      ignored.push({ path: [...path, 'liveness_probe'], label: `${path.join('.')}.liveness_probe (ghost has one health check; readiness_probe is used)` });
    }
    if (probeName) Object.assign(fields, probe(process[probeName] as Json, [...path, probeName], unknown));
    if (typeof process.ready_log_line === 'string') fields.ready_log = escapeRegExp(process.ready_log_line);

    const supervision = parseServiceSupervision(fields);
    if (!supervision.ok) problems.push(at.key(['processes'], name, `${name}: ${supervision.message}`));

    let stop: ServiceSpec['stop'];
    if (isMap(process.shutdown)) {
      const shutdown = process.shutdown;
      unknown([...path, 'shutdown'], shutdown, new Set(['signal', 'timeout_seconds']));
      stop = {};
      if (shutdown.signal !== undefined) {
        try {
          stop.signal = parseSignal(shutdown.signal as string | number).name;
        } catch (error) {
          problems.push(at.value([...path, 'shutdown', 'signal'], `${name}.shutdown.signal: ${(error as Error).message}`));
        }
      }
      if (typeof shutdown.timeout_seconds === 'number') stop.timeoutMs = shutdown.timeout_seconds * 1000;
    }

    services.push({
      name,
      command: [command],
      shell: true,
      cwd: resolve(dir, typeof process.working_dir === 'string' ? process.working_dir : '.'),
      env,
      description: typeof process.description === 'string' ? process.description : undefined,
      dependsOn,
      ...(supervision.ok ? supervision.parts : {}),
      stop,
    });
  }
  const warnings: Problem[] = [];
  if (ignored.length > 0) {
    warnings.push(at.value(ignored[0]!.path, `not supported by ghost, ignored: ${ignored.map((entry) => entry.label).join(', ')}`));
  }
  if (disabled.length > 0) warnings.push(at.value([], `disabled, left out: ${disabled.join(', ')}`));
  return {
    services,
    problems,
    warnings,
    dependencyAt: (service, dependency, message) => at.key(['processes', service, 'depends_on'], dependency, message),
  };
}

/** A readiness or liveness probe as ghost's health options (by field name). */
function probe(spec: Json, path: PathKey[], unknown: (path: PathKey[], value: Json, known: ReadonlySet<string>) => void): Record<string, unknown> {
  unknown(path, spec, PROBE_KEYS);
  const fields: Record<string, unknown> = {};
  if (isMap(spec.exec)) {
    unknown([...path, 'exec'], spec.exec, new Set(['command']));
    if (typeof spec.exec.command === 'string') fields.health_cmd = spec.exec.command;
  }
  if (isMap(spec.http_get)) {
    const http = spec.http_get;
    unknown([...path, 'http_get'], http, new Set(['host', 'scheme', 'path', 'port']));
    const scheme = typeof http.scheme === 'string' ? http.scheme.toLowerCase() : 'http';
    const host = typeof http.host === 'string' ? http.host : '127.0.0.1';
    const port = http.port === undefined ? '' : `:${String(http.port)}`;
    const route = typeof http.path === 'string' ? (http.path.startsWith('/') ? http.path : `/${http.path}`) : '/';
    fields.health_http = `${scheme}://${host}${port}${route}`;
  }
  if (typeof spec.initial_delay_seconds === 'number') fields.health_start_period = spec.initial_delay_seconds;
  if (typeof spec.period_seconds === 'number') fields.health_interval = spec.period_seconds;
  if (typeof spec.timeout_seconds === 'number') fields.health_timeout = spec.timeout_seconds;
  if (typeof spec.failure_threshold === 'number') fields.health_retries = spec.failure_threshold;
  return fields;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
