// `ghost mcp`: a real MCP client session (the official SDK's Client over stdio) against the
// built CLI: initialize, list the tools and their schemas, call every tool, check every result
// against the tool's declared output schema (as the SDK client does), and check the promises:
// no environment values in any result, bounded log output, a wait that a client's default 60 s
// request timeout does not cut, one-line errors, no zombie processes, and a server that ends
// when its client goes away.
import { waitFor } from '@ghost/test-support';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { DEFAULT_REQUEST_TIMEOUT_MSEC } from '@modelcontextprotocol/sdk/shared/protocol.js';
import type { CallToolResult, Progress, Tool } from '@modelcontextprotocol/sdk/types.js';
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/ajv';
import { execa } from 'execa';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  GHOST_BIN,
  type RunJSON,
  type StopResultJSON,
  type TaskJSON,
  UUID,
  ghost,
  isAlive,
  makeDataDir,
  makeTempDir,
  procStat,
  processesWithArg,
  uniqueSleepArg,
} from '../src/harness.js';
import { expectStopResultShape, expectTaskShape } from '../src/assertions.js';

const TOOLS = ['down', 'kill', 'list', 'log', 'ports', 'restart', 'rm', 'run', 'runs', 'search', 'stats', 'status', 'stop', 'up', 'wait'];
/** In the server's environment, which tasks inherit: must never come back in a result. */
const SECRET = 'hunter2';
/** Given to a task through the run tool's env: must never come back either. */
const TASK_SECRET = 'swordfish-0451';

type WaitJSON = { timed_out: boolean; tasks: TaskJSON[]; remaining_seconds: number };
type LogJSON = { run: number | null; current_run: number; lines: string[]; next_cursor: string; earlier_cursor: string | null; runs: { run: number; line: number }[] };

function serverEnv(dataDir: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) if (value !== undefined) env[key] = value;
  delete env.FORCE_COLOR;
  return { ...env, GHOST_DATA_DIR: dataDir, NO_COLOR: '1', SECRET_TOKEN: SECRET };
}

/** Processes whose parent is `pid` and that have ended without being reaped. */
function zombiesOf(pid: number): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .map((entry) => procStat(Number(entry)))
    .filter((stat) => stat !== null && stat.ppid === pid && stat.state === 'Z')
    .map((stat) => stat!.pid);
}

function childrenOf(pid: number): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .map((entry) => procStat(Number(entry)))
    .filter((stat) => stat !== null && stat.ppid === pid && stat.state !== 'Z')
    .map((stat) => stat!.pid);
}

describe('ghost mcp', () => {
  const dataDir = makeDataDir();
  const workDir = makeTempDir('ghost-e2e-mcp-cwd-');
  const results: CallToolResult[] = [];
  /** The tools that returned a result their output schema accepts. */
  const checked = new Set<string>();
  let client: Client;
  let transport: StdioClientTransport;
  let serverPid: number;
  let stderr = '';
  let tools: Tool[] = [];
  let validators: Map<string, ReturnType<AjvJsonSchemaValidator['getValidator']>>;
  /** A wait longer than the client's default request timeout, started first and checked last. */
  let longWait: { task: TaskJSON; started: number; progress: Progress[]; result: Promise<CallToolResult> };

  async function call(name: string, args: Record<string, unknown> = {}): Promise<CallToolResult> {
    const result = (await client.callTool({ name, arguments: args })) as CallToolResult;
    results.push(result);
    if (!result.isError) expectValid(name, result);
    return result;
  }

  /** A successful result: structuredContent that the tool's outputSchema accepts, and, unless the text is a log's, the same as JSON. */
  function expectValid(name: string, result: CallToolResult): void {
    const verdict = validators.get(name)!(result.structuredContent);
    expect(verdict.errorMessage, `${name}: ${JSON.stringify(result.structuredContent)}`).toBeUndefined();
    expect(verdict.valid).toBe(true);
    if (name !== 'log' && name !== 'search') expect(JSON.parse(texts(result)[0]!)).toEqual(result.structuredContent);
    checked.add(name);
  }

  function texts(result: CallToolResult): string[] {
    return result.content.map((item) => (item.type === 'text' ? item.text : ''));
  }

  /** Calls a tool that must succeed and returns its structured result. */
  async function callJSON<T>(name: string, args: Record<string, unknown> = {}): Promise<T> {
    const result = await call(name, args);
    expect(result.isError, `${name}: ${texts(result).join(' ')}`).toBeFalsy();
    return result.structuredContent as T;
  }

  async function ended(ref: string): Promise<TaskJSON> {
    return waitFor(
      async () => {
        const task = await callJSON<TaskJSON>('status', { task: ref });
        return task.status === 'running' ? undefined : task;
      },
      { timeout: 15_000, interval: 50, message: `task ${ref} to end` },
    );
  }

  beforeAll(async () => {
    transport = new StdioClientTransport({
      command: process.execPath,
      args: [GHOST_BIN, 'mcp'],
      env: serverEnv(dataDir),
      cwd: workDir,
      stderr: 'pipe',
    });
    transport.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    client = new Client({ name: 'ghost-e2e', version: '1.0.0' });
    await client.connect(transport);
    serverPid = transport.pid!;
    tools = (await client.listTools()).tools;
    const validator = new AjvJsonSchemaValidator();
    validators = new Map(tools.map((tool) => [tool.name, validator.getValidator(tool.outputSchema as never)]));
    // 80 s: longer than the client's default request timeout (60 s), which is left as it is.
    const task = await callJSON<TaskJSON>('run', { command: ['sleep', uniqueSleepArg()], name: 'mcp-long-wait' });
    const progress: Progress[] = [];
    const result = client.callTool({ name: 'wait', arguments: { tasks: [task.id], timeout_seconds: 80 } }, undefined, {
      onprogress: (update) => void progress.push(update),
    }) as Promise<CallToolResult>;
    longWait = { task, started: Date.now(), progress, result };
  });

  afterAll(async () => {
    await client?.close();
  });

  it('initializes as the ghost server with tools and instructions', () => {
    expect(serverPid).toBeGreaterThan(0);
    expect(client.getServerVersion()).toMatchObject({ name: 'ghost', version: expect.stringMatching(/^\d+\.\d+\.\d+/) });
    expect(client.getServerCapabilities()?.tools).toBeDefined();
    expect(client.getInstructions()).toMatch(/background/);
  });

  it('lists every tool, each described, with described input schemas and an output schema', () => {
    expect(tools.map((tool) => tool.name).sort()).toEqual(TOOLS);
    const byName = Object.fromEntries(tools.map((tool) => [tool.name, tool])) as Record<string, Tool>;
    const schema = (tool: string) => byName[tool]!.inputSchema as { properties: Record<string, any>; required?: string[] };
    for (const tool of tools) {
      expect(tool.description?.length, tool.name).toBeGreaterThan(40);
      expect(tool.inputSchema.type).toBe('object');
      // Unknown arguments are refused, and clients are told so.
      expect((tool.inputSchema as { additionalProperties?: unknown }).additionalProperties, tool.name).toBe(false);
      for (const [key, property] of Object.entries(schema(tool.name).properties)) {
        expect(property.description, `${tool.name}.${key}`).toBeTruthy();
      }
      expect(tool.outputSchema?.type, tool.name).toBe('object');
    }
    expect(Object.keys(schema('run').properties).sort()).toEqual([
      'backoff', 'command', 'cpus', 'cwd', 'description', 'env', 'health_cmd', 'health_http', 'health_interval', 'health_retries',
      'health_start_period', 'health_tcp', 'health_timeout', 'limits', 'log_max_files', 'log_max_size', 'max_open_files', 'max_restarts',
      'memory', 'min_uptime', 'name', 'ready_log', 'restart', 'reuse', 'script', 'timeout_seconds', 'wait', 'wait_healthy',
    ]);
    expect(schema('run').properties.command).toMatchObject({ type: 'array', items: { type: 'string' } });
    expect(schema('run').properties.env).toMatchObject({ type: 'object', additionalProperties: { type: 'string' } });
    expect(schema('run').required ?? []).toEqual([]);
    expect(Object.keys(schema('list').properties).sort()).toEqual(['cwd', 'here', 'limit', 'name', 'project', 'status']);
    expect(schema('list').properties.status.enum).toEqual(['running', 'restarting', 'exited', 'killed', 'unknown']);
    expect(schema('status').required).toEqual(['task']);
    expect(Object.keys(schema('log').properties).sort()).toEqual(['all_runs', 'cursor', 'lines', 'max_bytes', 'offset', 'run', 'task']);
    expect(schema('log').properties.lines.type).toBe('integer');
    expect(schema('log').required).toEqual(['task']);
    expect(schema('search').required).toEqual(['task', 'pattern']);
    expect(Object.keys(schema('stop').properties).sort()).toEqual(['force', 'task', 'timeout_seconds']);
    expect(Object.keys(schema('restart').properties).sort()).toEqual(['task', 'timeout_seconds']);
    expect(Object.keys(schema('kill').properties).sort()).toEqual(['signal', 'task']);
    expect(schema('rm').required).toEqual(['tasks']);
    expect(Object.keys(schema('wait').properties).sort()).toEqual(['any', 'healthy', 'tasks', 'timeout_seconds']);
    expect(schema('wait').properties.tasks).toMatchObject({ type: 'array', items: { type: 'string' } });
    expect(byName.list!.annotations?.readOnlyHint).toBe(true);
    expect(byName.stop!.annotations?.destructiveHint).toBe(true);
    expect(byName.rm!.annotations?.destructiveHint).toBe(true);
  });

  it('runs an argv in the background with env, cwd, name and description, and reports it', async () => {
    // The task proves it has both secrets by their lengths, never printing them.
    const task = await callJSON<TaskJSON>('run', {
      command: ['sh', '-c', 'echo "secret ${#SECRET_TOKEN} key ${#API_KEY}"; pwd'],
      name: 'mcp-env',
      env: { API_KEY: TASK_SECRET },
      description: 'checks its environment',
    });
    expectTaskShape(task);
    expect(task.id).toMatch(UUID);
    expect(task).toMatchObject({ name: 'mcp-env', status: 'running', cwd: workDir });
    const done = await ended('mcp-env');
    expect(done).toMatchObject({ id: task.id, status: 'exited', exit_code: 0 });
    const log = await call('log', { task: 'mcp-env' });
    expect(texts(log)[0]).toBe(`secret ${SECRET.length} key ${TASK_SECRET.length}\n${workDir}\n`);
    expect(texts(log)[1]).toMatch(/run 1's output \(the current run\); showing all of it \(2 lines\).*exited 0/);
  });

  it('runs a shell script, in a relative cwd', async () => {
    const task = await callJSON<TaskJSON>('run', { script: 'echo "$((6 * 7))" && exit 3', cwd: '.' });
    expect(task.command).toEqual(['/bin/sh', '-c', 'echo "$((6 * 7))" && exit 3']);
    expect(task.cwd).toBe(workDir);
    expect(await ended(task.id)).toMatchObject({ status: 'exited', exit_code: 3 });
    expect(texts(await call('log', { task: task.id }))[0]).toBe('42\n');
  });

  it('runs and waits in one call, returning the exit status and the last lines of output', async () => {
    const done = await callJSON<TaskJSON & { timed_out: boolean; log_tail: string[] }>('run', { script: 'seq 1 25; echo failing >&2; exit 7', name: 'mcp-wait-run', wait: true });
    expect(done).toMatchObject({ status: 'exited', exit_code: 7, timed_out: false, remaining_seconds: 0 });
    expect(done.log_tail).toEqual([...Array.from({ length: 19 }, (_, i) => String(i + 7)), 'failing']);
  });

  it('starts once with reuse: the same task while it runs, a new run of it once it has ended', async () => {
    const marker = uniqueSleepArg();
    const first = await callJSON<TaskJSON>('run', { command: ['sleep', marker], name: 'mcp-reuse', reuse: true });
    const second = await callJSON<TaskJSON>('run', { command: ['sleep', marker], name: 'mcp-reuse', reuse: true });
    expect(second).toMatchObject({ id: first.id, run: 1, pid: first.pid });
    expect(processesWithArg(marker)).toContain(first.pid);
    await callJSON('stop', { task: first.id, force: true });
    const third = await callJSON<TaskJSON>('run', { command: ['sleep', marker], name: 'mcp-reuse', reuse: true });
    expect(third).toMatchObject({ id: first.id, run: 2, status: 'running' });
    await callJSON('stop', { task: first.id, force: true });
  });

  it('lists tasks, filtered by name, status, directory and project', async () => {
    const all = await callJSON<{ tasks: TaskJSON[]; more: boolean }>('list');
    expect(all.tasks.length).toBeGreaterThanOrEqual(2);
    expect(all.more).toBe(false);
    expect(all.tasks.map((task) => task.name)).toContain('mcp-env');
    const named = await callJSON<{ tasks: TaskJSON[] }>('list', { name: 'mcp-env' });
    expect(named.tasks).toHaveLength(1);
    expect(named.tasks[0]!.status).toBe('exited');
    expect((await callJSON<{ tasks: TaskJSON[] }>('list', { status: 'running', name: 'mcp-env' })).tasks).toEqual([]);
    // An agent in this repository sees its own tasks: those started in the server's directory.
    mkdirSync(join(workDir, 'elsewhere'), { recursive: true });
    const other = await callJSON<TaskJSON>('run', { command: ['true'], cwd: 'elsewhere' });
    const here = await callJSON<{ tasks: TaskJSON[] }>('list', { here: true });
    expect(here.tasks.length).toBeGreaterThan(0);
    expect(here.tasks.every((task) => task.cwd === workDir)).toBe(true);
    expect((await callJSON<{ tasks: TaskJSON[] }>('list', { cwd: 'elsewhere' })).tasks.map((task) => task.id)).toEqual([other.id]);
    expect((await callJSON<{ tasks: TaskJSON[] }>('list', { project: 'no-such-project' })).tasks).toEqual([]);
  });

  it('shows one task by name and by id prefix', async () => {
    const byName = await callJSON<TaskJSON>('status', { task: 'mcp-env' });
    const byPrefix = await callJSON<TaskJSON>('status', { task: byName.id.slice(0, 8) });
    expect(byPrefix).toEqual(byName);
    expect(byName.finished_at).not.toBeNull();
  });

  it('returns only the last lines of a 10,000-line log, says it left earlier output out, and pages with cursors', async () => {
    const task = await callJSON<TaskJSON>('run', { command: ['seq', '1', '10000'], name: 'mcp-long' });
    await ended(task.id);
    const fallback = await call('log', { task: 'mcp-long' });
    const lines = texts(fallback)[0]!.trimEnd().split('\n');
    expect(lines).toHaveLength(100);
    expect(lines[0]).toBe('9901');
    expect(lines[99]).toBe('10000');
    expect(texts(fallback)[1]).toMatch(/earlier output was left out: earlier_cursor reads it/);
    const five = await call('log', { task: 'mcp-long', lines: 5 });
    expect(texts(five)[0]).toBe('9996\n9997\n9998\n9999\n10000\n');
    const capped = await call('log', { task: 'mcp-long', lines: 50_000 });
    const cappedLines = texts(capped)[0]!.trimEnd().split('\n');
    expect(cappedLines).toHaveLength(1000);
    expect(cappedLines[0]).toBe('9001');
    expect(texts(capped)[1]).toMatch(/1000 lines is the most one call returns/);
    // The page before, then the one after it again.
    const before = await callJSON<LogJSON>('log', { task: 'mcp-long', cursor: (five.structuredContent as LogJSON).earlier_cursor, lines: 3 });
    expect(before.lines).toEqual(['9993', '9994', '9995']);
    const after = await callJSON<LogJSON>('log', { task: 'mcp-long', cursor: before.next_cursor, lines: 2 });
    expect(after.lines).toEqual(['9996', '9997']);
  });

  it('strips control characters and escape sequences from log lines', async () => {
    const task = await callJSON<TaskJSON>('run', { script: "printf 'a\\033[31mred\\033[0m\\033]0;title\\007 b\\rprogress 100%%\\n'" });
    await ended(task.id);
    expect(texts(await call('log', { task: task.id }))[0]).toBe('progress 100%\n');
    const second = await callJSON<TaskJSON>('run', { script: "printf 'x\\033[2Ky\\033[1;32mz\\033[0m\\tw\\n'" });
    await ended(second.id);
    expect(texts(await call('log', { task: second.id }))[0]).toBe('xyz\tw\n');
  });

  it('searches a log for a pattern, with context lines', async () => {
    const task = await callJSON<TaskJSON>('run', { script: 'for i in 1 2 3 4 5 6; do echo "step $i"; [ $i = 4 ] && printf "\\033[31mERROR\\033[0m: disk full\\n"; done; true' });
    await ended(task.id);
    const found = await call('search', { task: task.id, pattern: 'error: disk', ignore_case: true, context: 2 });
    const result = found.structuredContent as { matches: { offset: number; line: string; before: string[]; after: string[] }[]; stopped_by: string | null };
    expect(result.matches).toEqual([{ offset: expect.any(Number), line: 'ERROR: disk full', before: ['step 3', 'step 4'], after: ['step 5', 'step 6'] }]);
    expect(result.stopped_by).toBeNull();
    expect(texts(found)[0]).toBe(`@${result.matches[0]!.offset}\n  step 3\n  step 4\n> ERROR: disk full\n  step 5\n  step 6\n`);
    expect(texts(found)[1]).toMatch(/^\[ghost: 1 match in run 1's output/);
    // The log tool reads on from a match's offset.
    expect((await callJSON<LogJSON>('log', { task: task.id, offset: result.matches[0]!.offset, lines: 2 })).lines).toEqual(['ERROR: disk full', 'step 5']);
  });

  it("keeps each run's output apart: log and search read the current run's by default, runs lists them", async () => {
    const task = await callJSON<TaskJSON>('run', { script: `echo "started $$"; exec sleep ${uniqueSleepArg()}`, name: 'mcp-runs' });
    await waitFor(async () => (await callJSON<LogJSON>('log', { task: 'mcp-runs' })).lines.length === 1, { message: 'run 1 output' });
    const again = await callJSON<TaskJSON>('restart', { task: 'mcp-runs', timeout_seconds: 5 });
    expect(again).toMatchObject({ id: task.id, run: 2 });
    const current = await waitFor(
      async () => {
        const page = await callJSON<LogJSON>('log', { task: 'mcp-runs' });
        return page.lines.length === 1 ? page : undefined;
      },
      { message: 'run 2 output' },
    );
    expect(current).toMatchObject({ run: 2, current_run: 2, lines: [`started ${again.pid}`] });
    expect((await callJSON<LogJSON>('log', { task: 'mcp-runs', run: 1 })).lines).toEqual([`started ${task.pid}`]);
    const whole = await callJSON<LogJSON>('log', { task: 'mcp-runs', all_runs: true });
    expect(whole).toMatchObject({ run: null, lines: [`started ${task.pid}`, `started ${again.pid}`], runs: [{ run: 1, line: 0 }, { run: 2, line: 1 }] });
    const search = await callJSON<{ matches: { line: string }[] }>('search', { task: 'mcp-runs', pattern: 'started' });
    expect(search.matches.map((match) => match.line)).toEqual([`started ${again.pid}`]);
    const runs = await callJSON<{ task: string; current_run: number; runs: RunJSON[] }>('runs', { task: 'mcp-runs' });
    expect(runs).toMatchObject({ task: task.id, current_run: 2 });
    expect(runs.runs.map((run) => [run.run, run.pid, run.status])).toEqual([
      [2, again.pid, 'running'],
      [1, task.pid, 'killed'],
    ]);
    await callJSON('stop', { task: 'mcp-runs', force: true });
  });

  it("finds the port a task's process tree listens on", async () => {
    const server = "require('net').createServer().listen(0, '127.0.0.1', function () { console.log(this.address().port) })";
    // The listener is a child of the task's shell, not the command itself.
    const task = await callJSON<TaskJSON>('run', { script: `"${process.execPath}" -e "$SERVER" & wait`, env: { SERVER: server }, name: 'mcp-ports' });
    const port = await waitFor(async () => Number((await callJSON<LogJSON>('log', { task: 'mcp-ports' })).lines[0]) || undefined, { message: 'the port' });
    const found = await callJSON<{ ports: { task: string; name: string; protocol: string; address: string; port: number; pid: number }[] }>('ports', { tasks: ['mcp-ports'] });
    expect(found.ports).toEqual([{ task: task.id, name: 'mcp-ports', protocol: 'tcp', address: '127.0.0.1', port, pid: expect.any(Number) }]);
    expect(found.ports[0]!.pid).not.toBe(task.pid);
    expect((await callJSON<{ ports: { port: number }[] }>('ports')).ports.map((entry) => entry.port)).toContain(port);
    // SIGKILL (kill's default) ends the whole tree: the port is gone with it.
    expect(await callJSON<TaskJSON>('kill', { task: 'mcp-ports' })).toMatchObject({ status: 'killed', signal: 'SIGKILL' });
    expect(await callJSON('ports', { tasks: ['mcp-ports'] })).toEqual({ ports: [] });
  });

  it('sends any signal with kill, and removes ended tasks with rm', async () => {
    const marker = uniqueSleepArg();
    const task = await callJSON<TaskJSON>('run', { command: ['sleep', marker], name: 'mcp-kill' });
    await waitFor(() => processesWithArg(marker).includes(task.pid!), { message: 'the sleep to run' });
    expect((await callJSON<TaskJSON>('kill', { task: 'mcp-kill', signal: 'INT' })).id).toBe(task.id);
    expect(await ended('mcp-kill')).toMatchObject({ status: 'killed', signal: 'SIGINT' });
    const running = await callJSON<TaskJSON>('run', { command: ['sleep', uniqueSleepArg()] });
    const refused = await call('rm', { tasks: ['mcp-kill', running.id] });
    expect(refused.isError).toBe(true);
    expect(texts(refused)[0]).toMatch(/is running; nothing was removed/);
    const removed = await callJSON<{ removed: TaskJSON[] }>('rm', { tasks: ['mcp-kill'] });
    expect(removed.removed.map((entry) => entry.id)).toEqual([task.id]);
    expect(texts(await call('status', { task: task.id }))[0]).toMatch(/no task matches/);
    await callJSON('stop', { task: running.id, force: true });
  });

  it('stops a running task and its processes', async () => {
    const marker = uniqueSleepArg();
    const task = await callJSON<TaskJSON>('run', { command: ['sleep', marker], name: 'mcp-sleep' });
    // The sleep and its supervisor (whose argv holds the command too).
    await waitFor(() => processesWithArg(marker).includes(task.pid!), { message: 'the sleep to run' });
    const stopped = await callJSON<StopResultJSON>('stop', { task: 'mcp-sleep', timeout_seconds: 5 });
    // The shape `ghost stop --json` prints too (exit-status.test.ts).
    expectStopResultShape(stopped);
    expect(stopped).toMatchObject({ was_running: true, killed: false, recorded: true, task: { id: task.id, status: 'killed', signal: 'SIGTERM' } });
    expect(processesWithArg(marker)).toEqual([]);
    const again = await callJSON<StopResultJSON>('stop', { task: 'mcp-sleep', force: true });
    expect(again).toEqual({ ...stopped, was_running: false });
  });

  it('restarts a task: same id, a new process', async () => {
    const marker = uniqueSleepArg();
    const first = await callJSON<TaskJSON>('run', { command: ['sleep', marker], name: 'mcp-restart' });
    await waitFor(() => processesWithArg(marker).includes(first.pid!), { message: 'the sleep to run' });
    const again = await callJSON<TaskJSON>('restart', { task: 'mcp-restart', timeout_seconds: 5 });
    expect(again).toMatchObject({ id: first.id, name: 'mcp-restart', status: 'running' });
    expect(again.pid).not.toBe(first.pid);
    expect(isAlive(first.pid!)).toBe(false);
    await waitFor(() => processesWithArg(marker).includes(again.pid!), { message: 'the new sleep to run' });
    await callJSON('stop', { task: 'mcp-restart', force: true });
  });

  it('waits for tasks: exit code, any, timeout, and progress notifications', async () => {
    const quick = await callJSON<TaskJSON>('run', { script: 'sleep 0.3; exit 42' });
    const waited = await callJSON<WaitJSON>('wait', { tasks: [quick.id], timeout_seconds: 15 });
    expect(waited).toMatchObject({ timed_out: false, remaining_seconds: 0 });
    expect(waited.tasks).toHaveLength(1);
    expect(waited.tasks[0]).toMatchObject({ id: quick.id, status: 'exited', exit_code: 42 });

    const marker = uniqueSleepArg();
    const slow = await callJSON<TaskJSON>('run', { command: ['sleep', marker] });
    const timedOut = await callJSON<WaitJSON>('wait', { tasks: [slow.id], timeout_seconds: 0.3 });
    expect(timedOut).toMatchObject({ timed_out: true, remaining_seconds: 0 });
    expect(timedOut.tasks[0]).toMatchObject({ id: slow.id, status: 'running' });

    const soon = await callJSON<TaskJSON>('run', { script: 'sleep 0.2' });
    const progress: Progress[] = [];
    const any = (await client.callTool({ name: 'wait', arguments: { tasks: [slow.id, soon.id], any: true, timeout_seconds: 15 } }, undefined, {
      onprogress: (update) => void progress.push(update),
    })) as CallToolResult;
    expectValid('wait', any);
    const anyResult = any.structuredContent as WaitJSON;
    expect(anyResult.timed_out).toBe(false);
    expect(anyResult.tasks.map((task) => [task.id, task.status])).toEqual([
      [slow.id, 'running'],
      [soon.id, 'exited'],
    ]);
    expect(progress[0]).toMatchObject({ progress: 0, total: 15, message: expect.stringMatching(/^0 of 2 tasks ended/) });
    await callJSON('stop', { task: slow.id, force: true });
  });

  it('runs a task with a health check and waits until it is ready (wait_healthy, wait healthy)', async () => {
    const ready = await callJSON<TaskJSON>('run', { script: `echo ready; sleep ${uniqueSleepArg()}`, ready_log: '^ready$', wait_healthy: true });
    expect(ready).toMatchObject({ status: 'running', health: 'healthy', timed_out: false });
    const probed = await callJSON<TaskJSON>('run', { command: ['sleep', uniqueSleepArg()], health_cmd: 'true', health_interval: '100ms' });
    expect(probed.health).toBe('starting');
    const waited = await callJSON<WaitJSON>('wait', { tasks: [probed.id], healthy: true, timeout_seconds: 15 });
    expect(waited).toMatchObject({ timed_out: false, tasks: [{ id: probed.id, status: 'running', health: 'healthy' }] });
    const bad = await call('run', { command: ['true'], health_http: 'ftp://example.com/' });
    expect(bad.isError).toBe(true);
    expect(texts(bad)[0]).toMatch(/only http:\/\/ and https:\/\/ URLs can be checked/);
    for (const task of [ready, probed]) await callJSON('stop', { task: task.id, force: true });
  });

  it("brings a project's services up, shows them and their CPU and memory, and takes them down", async () => {
    const project = makeTempDir('ghost-e2e-mcp-project-');
    writeFileSync(join(project, 'ghost.yaml'), `name: mcp-shop\nservices:\n  db:\n    command: [sleep, "${uniqueSleepArg()}"]\n  api:\n    command: [sleep, "${uniqueSleepArg()}"]\n    depends_on: [db]\n`);
    type Up = { project: string; changed: boolean; services: { service: string; action: string; task: TaskJSON }[]; warnings: string[] };
    const first = await callJSON<Up>('up', { cwd: project });
    expect(first).toMatchObject({ project: 'mcp-shop', changed: true, warnings: [] });
    expect(first.services.map(({ service, action, task }) => [service, action, task.status])).toEqual([
      ['db', 'start', 'running'],
      ['api', 'start', 'running'],
    ]);
    expect((await callJSON<Up>('up', { cwd: project })).changed).toBe(false);
    const listed = await callJSON<{ tasks: TaskJSON[] }>('list', { project: 'mcp-shop' });
    expect(listed.tasks.map((task) => task.service).sort()).toEqual(['api', 'db']);
    const stats = await callJSON<{ stats: { task: string; memory_bytes: number }[] }>('stats', { tasks: listed.tasks.map((task) => task.id) });
    expect(stats.stats.map((entry) => entry.task).sort()).toEqual(listed.tasks.map((task) => task.id).sort());
    for (const entry of stats.stats) expect(entry.memory_bytes).toBeGreaterThan(0);
    const down = await callJSON<{ project: string; stopped: StopResultJSON[]; removed: TaskJSON[] }>('down', { cwd: project, remove: true });
    expect(down.stopped.map(({ task }) => task.service)).toEqual(['api', 'db']);
    expect(down.removed).toHaveLength(2);
  });

  it('reports failures as one-line tool errors and keeps serving', async () => {
    const cases: [string, Record<string, unknown>, RegExp][] = [
      ['status', { task: 'no-such-task' }, /no task matches/],
      ['log', { task: 'no-such-task' }, /no task matches/],
      ['stop', { task: 'no-such-task' }, /no task matches/],
      ['restart', { task: 'no-such-task' }, /no task matches/],
      ['wait', { tasks: ['no-such-task'] }, /no task matches/],
      ['kill', { task: 'mcp-env' }, /is not running/],
      ['kill', { task: 'mcp-env', signal: 'SIGNOPE' }, /unknown signal "SIGNOPE"/],
      ['search', { task: 'mcp-env', pattern: '[' }, /^invalid pattern "\[": /],
      ['log', { task: 'mcp-env', run: 9 }, /has no run 9/],
      ['log', { task: 'mcp-env', cursor: 'x' }, /^invalid cursor/],
      ['log', { task: 'mcp-env', tail: 5 }, /^MCP error -32602: invalid arguments for tool log: unknown argument "tail"$/],
      ['run', { command: ['ghost-e2e-no-such-program'] }, /not found/],
      ['run', { command: ['true'], cwd: '/nonexistent/dir' }, /nonexistent/],
      ['run', { command: ['true'], env: { 'BAD KEY': SECRET } }, /invalid environment variable name/],
      ['run', {}, /exactly one of/],
      ['log', { task: 'mcp-env', lines: 0 }, /^MCP error -32602: invalid arguments for tool log: lines: /],
      ['list', { status: 'sleeping' }, /^MCP error -32602: invalid arguments for tool list: status: /],
      ['up', { cwd: '/' }, /no ghost.yaml, Procfile or process-compose/],
    ];
    for (const [tool, args, message] of cases) {
      const result = await call(tool, args);
      expect(result.isError, `${tool} ${JSON.stringify(args)}`).toBe(true);
      expect(texts(result)).toHaveLength(1);
      expect(texts(result)[0]).toMatch(message);
      expect(texts(result)[0]).not.toContain('\n');
    }
    expect(isAlive(serverPid)).toBe(true);
    expect((await client.listTools()).tools).toHaveLength(TOOLS.length);
  });

  it('never returns an environment value in any result', () => {
    expect(results.length).toBeGreaterThan(40);
    const everything = JSON.stringify(results);
    expect(everything).not.toContain(SECRET);
    expect(everything).not.toContain(TASK_SECRET);
  });

  it('has called every tool, and every result fit its output schema', () => {
    expect([...checked].sort()).toEqual(TOOLS);
  });

  it("returns a wait longer than the client's 60 s request timeout before that timeout, saying how long is left", async () => {
    // The client's default: a wait that took the whole 80 s in one call would fail at 60 s (-32001).
    expect(DEFAULT_REQUEST_TIMEOUT_MSEC).toBe(60_000);
    const result = await longWait.result;
    const elapsed = Date.now() - longWait.started;
    expectValid('wait', result);
    const cut = result.structuredContent as WaitJSON;
    expect(cut.timed_out).toBe(true);
    expect(cut.tasks[0]).toMatchObject({ id: longWait.task.id, status: 'running' });
    expect(elapsed).toBeGreaterThan(45_000);
    expect(elapsed).toBeLessThan(DEFAULT_REQUEST_TIMEOUT_MSEC);
    expect(cut.remaining_seconds).toBeGreaterThan(25);
    expect(cut.remaining_seconds).toBeLessThanOrEqual(35);
    expect(texts(result)[1]).toMatch(/call wait with tasks .* and timeout_seconds \d/);
    // Progress at once and every 5 s meanwhile, rising.
    expect(longWait.progress.length).toBeGreaterThanOrEqual(9);
    expect(longWait.progress.map((update) => update.progress)).toEqual([...longWait.progress.map((update) => update.progress)].sort((a, b) => a - b));
    await callJSON('stop', { task: longWait.task.id, force: true });
  }, DEFAULT_REQUEST_TIMEOUT_MSEC + 10_000);

  it('is the parent of the supervisors it starts, and leaves no zombie once they end', async () => {
    const marker = uniqueSleepArg();
    const task = await callJSON<TaskJSON>('run', { command: ['sleep', marker], name: 'mcp-zombie' });
    // The task's supervisor (its process group leader) is this server's child.
    expect(procStat(task.pgid!)?.ppid).toBe(serverPid);
    expect(childrenOf(serverPid)).toContain(task.pgid);
    const burst = await Promise.all(
      Array.from({ length: 5 }, (_, i) => callJSON<TaskJSON>('run', { command: ['sh', '-c', `exit ${i}`] })),
    );
    await callJSON('stop', { task: 'mcp-zombie', timeout_seconds: 5 });
    for (const quick of burst) await ended(quick.id);
    // An ended child is reaped at once; give the event loop a moment, never a fixed sleep.
    await waitFor(() => zombiesOf(serverPid).length === 0, { timeout: 5_000, message: 'no zombie children of ghost mcp' });
    expect(childrenOf(serverPid)).toEqual([]);
  });

  it('ends when the client closes the connection', async () => {
    const started = Date.now();
    await client.close();
    // The SDK's client sends SIGTERM only after 2 s: ending sooner means the server ended by itself.
    expect(Date.now() - started).toBeLessThan(1_900);
    await waitFor(() => procStat(serverPid) === null || procStat(serverPid)?.state === 'Z' ? true : undefined, {
      timeout: 5_000,
      message: 'ghost mcp to exit',
    });
    expect(stderr).toBe('');
  });

  it('answers malformed requests with -32602 in one line, and exits 0 when its stdin closes, with tasks it started still running', async () => {
    const marker = uniqueSleepArg();
    const server = execa(process.execPath, [GHOST_BIN, 'mcp'], {
      env: serverEnv(dataDir),
      cwd: workDir,
      reject: false,
      timeout: 20_000,
      killSignal: 'SIGKILL',
    });
    const request = (id: number, method: string, params: object) => `${JSON.stringify({ jsonrpc: '2.0', id, method, params })}\n`;
    server.stdin.write(
      request(1, 'initialize', { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } }),
    );
    server.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' })}\n`);
    server.stdin.write(request(2, 'tools/call', { name: 'run', arguments: { command: ['sleep', marker], name: 'mcp-raw' } }));
    server.stdin.write(request(3, 'tools/call', { name: 'list', arguments: [1] }));
    server.stdin.write(request(4, 'tools/call', { name: 'no-such-tool', arguments: {} }));
    let output = '';
    server.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    await waitFor(() => ['"id":2', '"id":3', '"id":4'].every((id) => output.includes(id)), { timeout: 15_000, message: 'the responses' });
    server.stdin.end();
    const result = await server;
    expect(result.exitCode).toBe(0);
    expect(result.stderr).toBe('');
    // Every stdout line is one JSON-RPC message.
    const messages = output.split('\n').filter(Boolean).map((line) => JSON.parse(line) as { id?: number; error?: { code: number; message: string } });
    for (const message of messages) expect(message).toMatchObject({ jsonrpc: '2.0' });
    expect(messages.find((message) => message.id === 3)?.error).toEqual({
      code: -32602,
      message: 'invalid tools/call request: params.arguments: Invalid input: expected record, received array',
    });
    expect(messages.find((message) => message.id === 4)?.error).toEqual({ code: -32602, message: expect.stringMatching(/^unknown tool "no-such-tool" \(the tools are run, list, /) });
    const status = await ghost(['status', 'mcp-raw', '--json'], { dataDir });
    const task = JSON.parse(status.stdout) as TaskJSON;
    expect(task.status).toBe('running');
    expect(processesWithArg(marker)).toContain(task.pid);
  });
});
