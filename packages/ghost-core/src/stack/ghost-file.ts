// ghost.yaml: parsed with positions, checked against the schema (every problem, each at its
// line), then resolved into services.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { z } from 'zod';
import { describeSystemError } from '../errors.js';
import { parseDuration } from '../tasks/policy.js';
import { parseSignal } from '../process/signals.js';
import { parseEnvFile } from './env-file.js';
import type { DependencyCondition, ServiceSpec } from './model.js';
import { type PathKey, type Problem, type YamlLocator, didYouMean, parseYaml } from './problems.js';
import { EXTENSION_KEY, type GhostFile, type GhostService, ghostFileSchema, serviceSchema } from './schema.js';
import { parseServiceSupervision } from './supervision.js';

export interface ReadFormat {
  name?: string | undefined;
  services: ServiceSpec[];
  problems: Problem[];
  warnings: Problem[];
  /** Every service the file names, well-formed or not (default: those in `services`). */
  serviceNames?: readonly string[];
  /** Where each service's dependency is written, for the graph checks. */
  dependencyAt?: (service: string, dependency: string, message: string) => Problem;
}

export function readGhostFile(file: string, text: string): ReadFormat {
  const { doc, at, problems } = parseYaml(file, text);
  if (problems.length > 0) return { services: [], problems, warnings: [] };
  const raw = withoutExtensions(doc.toJS({ maxAliasCount: 100 }));
  const result = ghostFileSchema.safeParse(raw);
  if (!result.success) for (const issue of result.error.issues) problems.push(...describeIssue(issue, raw, at));
  // Services that are well-formed are resolved and checked even when others are not, so one
  // run reports every problem (a bad key in one service, a cycle between two others).
  const written = isRecord(raw) && isRecord(raw.services) ? raw.services : {};
  const dir = dirname(file);
  const services: ServiceSpec[] = [];
  for (const [name, service] of Object.entries(written)) {
    const parsed = RESOLVABLE_SERVICE.safeParse(service);
    if (parsed.success) services.push(resolveService(name, parsed.data, dir, at, problems));
  }
  return {
    name: result.success ? result.data.name : undefined,
    services,
    serviceNames: Object.keys(written),
    problems,
    warnings: [],
    dependencyAt: (service, dependency, message) => {
      const path = ['services', service, 'depends_on'];
      const list = doc.getIn(path);
      return Array.isArray((list as { toJSON?: () => unknown })?.toJSON?.())
        ? at.value([...path, ((list as { toJSON: () => string[] }).toJSON()).indexOf(dependency)], message)
        : at.key(path, dependency, message);
    },
  };
}

/** The file without `x-*` keys, at the top level and in each service (they are for anchors and tools). */
function withoutExtensions(raw: unknown): unknown {
  const strip = (value: unknown): unknown =>
    isRecord(value) ? Object.fromEntries(Object.entries(value).filter(([key]) => !EXTENSION_KEY.test(key))) : value;
  const top = strip(raw);
  if (isRecord(top) && isRecord(top.services)) {
    top.services = Object.fromEntries(Object.entries(top.services).map(([name, service]) => [name, strip(service)]));
  }
  return top;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// Unknown keys are already reported; they do not keep a service from being checked further.
const RESOLVABLE_SERVICE = serviceSchema.strip();
const TOP_KEYS = Object.keys(ghostFileSchema.shape);
const SERVICE_KEYS = Object.keys(serviceSchema.shape);

function describeIssue(issue: z.core.$ZodIssue, raw: unknown, at: YamlLocator): Problem[] {
  const path = issue.path as PathKey[];
  const label = path.join('.');
  switch (issue.code) {
    case 'unrecognized_keys': {
      const known = path.length === 0 ? TOP_KEYS : path.length === 2 && path[0] === 'services' ? SERVICE_KEYS : [];
      return issue.keys.map((key) => {
        const suggestion = didYouMean(key, known);
        const where = label === '' ? '' : ` in ${label}`;
        return at.key(path, key, `unknown key "${key}"${where}${suggestion ? ` (did you mean "${suggestion}"?)` : ''}`);
      });
    }
    case 'invalid_union': {
      // The branch whose shape matched (its errors are deeper down) says what is wrong inside it.
      const deeper = issue.errors.find((branch) => branch.length > 0 && branch.every((inner) => inner.path.length > 0));
      if (deeper) return deeper.flatMap((inner) => describeIssue({ ...inner, path: [...path, ...inner.path] } as z.core.$ZodIssue, raw, at));
      return [at.value(path, `${label}: expected ${expectedOf(issue)}, got ${typeOf(valueAt(raw, path))}`)];
    }
    case 'invalid_type': {
      const value = valueAt(raw, path);
      if (value === undefined) return [at.value(path.slice(0, -1), `${label.split('.').slice(0, -1).join('.') || 'file'}: "${String(path.at(-1))}" is required`)];
      return [at.value(path, `${label}: expected ${issue.expected}, got ${typeOf(value)}`)];
    }
    case 'invalid_key':
      return [at.key(path, String(issue.issues[0]?.input ?? ''), `${label}: ${issue.issues[0]?.message ?? 'invalid key'}`)];
    default:
      return [at.value(path, label === '' ? issue.message : `${label}: ${issue.message}`)];
  }
}

function expectedOf(issue: z.core.$ZodIssueInvalidUnion): string {
  const kinds = issue.errors.flatMap((branch) => branch.map((inner) => (inner.code === 'invalid_type' ? inner.expected : undefined)));
  const unique = [...new Set(kinds.filter((kind) => kind !== undefined))];
  return unique.length > 0 ? unique.join(' or ') : 'another value';
}

function valueAt(raw: unknown, path: readonly PathKey[]): unknown {
  let value = raw;
  for (const key of path) value = isRecord(value) || Array.isArray(value) ? (value as Record<PathKey, unknown>)[key] : undefined;
  return value;
}

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'object') return 'map';
  return typeof value;
}

function resolveService(name: string, service: GhostService, dir: string, at: YamlLocator, problems: Problem[]): ServiceSpec {
  const path = ['services', name];
  const shell = typeof service.command === 'string';
  const command = typeof service.command === 'string' ? [service.command] : service.command;
  if (command.length === 0 || command[0]!.trim() === '') problems.push(at.value([...path, 'command'], `${name}: the command is empty`));

  const env: Record<string, string> = {};
  const envFiles = service.env_file === undefined ? [] : typeof service.env_file === 'string' ? [service.env_file] : service.env_file;
  envFiles.forEach((envFile, index) => {
    const where = typeof service.env_file === 'string' ? [...path, 'env_file'] : [...path, 'env_file', index];
    const read = readEnvFile(resolve(dir, envFile));
    if ('error' in read) problems.push(at.value(where, `${name}: env file ${envFile}: ${read.error}`));
    else {
      Object.assign(env, read.env);
      problems.push(...read.problems);
    }
  });
  for (const [key, value] of Object.entries(service.env ?? {})) env[key] = String(value);

  const dependsOn: Record<string, DependencyCondition> = {};
  if (Array.isArray(service.depends_on)) for (const dependency of service.depends_on) dependsOn[dependency] = 'started';
  else for (const [dependency, { condition }] of Object.entries(service.depends_on ?? {})) dependsOn[dependency] = condition as DependencyCondition;

  const supervision = parseServiceSupervision(service as Record<string, unknown>);
  if (!supervision.ok) {
    problems.push(supervision.field ? at.value([...path, supervision.field], `${name}.${supervision.field}: ${supervision.message}`) : at.key(['services'], name, `${name}: ${supervision.message}`));
  }

  let stop: ServiceSpec['stop'];
  if (service.stop_signal !== undefined || service.stop_timeout !== undefined) {
    stop = {};
    try {
      if (service.stop_signal !== undefined) stop.signal = parseSignal(service.stop_signal).name;
    } catch (error) {
      problems.push(at.value([...path, 'stop_signal'], `${name}.stop_signal: ${(error as Error).message}`));
    }
    try {
      if (service.stop_timeout !== undefined) stop.timeoutMs = parseDuration(String(service.stop_timeout), 'stop timeout');
    } catch (error) {
      problems.push(at.value([...path, 'stop_timeout'], `${name}.stop_timeout: ${(error as Error).message}`));
    }
  }

  const watch = service.watch === undefined ? undefined : Array.isArray(service.watch) ? { paths: service.watch, ignore: [] } : { paths: service.watch.paths, ignore: service.watch.ignore ?? [] };
  return {
    name,
    command,
    shell,
    cwd: resolve(dir, service.cwd ?? '.'),
    env,
    ...(envFiles.length > 0 && { envFiles: envFiles.map((envFile) => resolve(dir, envFile)) }),
    description: service.description,
    dependsOn,
    ...(supervision.ok ? supervision.parts : {}),
    stop,
    watch,
  };
}

/** An env file's variables, or why it cannot be read. */
export function readEnvFile(file: string): ReturnType<typeof parseEnvFile> | { error: string } {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    return { error: describeSystemError(error) };
  }
  return parseEnvFile(text, file);
}

export type { GhostFile };
