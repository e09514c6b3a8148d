// `ghost mcp`: a real MCP client session (the official SDK's Client over stdio) against the
// built CLI: initialize, list the tools and their input schemas, call every tool, and check the
// promises: no environment values in any result, bounded log output, no zombie processes, and
// a server that ends when its client goes away.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult, Tool } from '@modelcontextprotocol/sdk/types.js';
import { execa } from 'execa';
import { readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  GHOST_BIN,
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
  waitFor,
} from '../src/harness.js';
import { expectStopResultShape } from '../src/assertions.js';

const TOOLS = ['down', 'list', 'log', 'restart', 'run', 'stats', 'status', 'stop', 'up', 'wait'];
/** In the server's environment, which tasks inherit: must never come back in a result. */
const SECRET = 'hunter2';
/** Given to a task through the run tool's env: must never come back either. */
const TASK_SECRET = 'swordfish-0451';


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
  let client: Client;
  let transport: StdioClientTransport;
  let serverPid: number;
  let stderr = '';

  async function call(name: string, args: Record<string, unknown> = {}): Promise<CallToolResult> {
    const result = (await client.callTool({ name, arguments: args })) as CallToolResult;
    results.push(result);
    return result;
  }

  function texts(result: CallToolResult): string[] {
    return result.content.map((item) => (item.type === 'text' ? item.text : ''));
  }

  /** Calls a tool that must succeed and returns its first text item as JSON. */
  async function callJSON<T>(name: string, args: Record<string, unknown> = {}): Promise<T> {
    const result = await call(name, args);
    expect(result.isError, `${name}: ${texts(result).join(' ')}`).toBeFalsy();
    return JSON.parse(texts(result)[0]!) as T;
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

  it('lists every tool, each described, with described input schemas', async () => {
    const { tools } = await client.listTools();
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
    }
    expect(Object.keys(schema('run').properties).sort()).toEqual([
      'backoff', 'command', 'cpus', 'cwd', 'description', 'env', 'health_cmd', 'health_http', 'health_interval', 'health_retries',
      'health_start_period', 'health_tcp', 'health_timeout', 'limits', 'log_max_files', 'log_max_size', 'max_open_files', 'max_restarts',
      'memory', 'min_uptime', 'name', 'ready_log', 'restart', 'script', 'wait_healthy',
    ]);
    expect(schema('run').properties.command).toMatchObject({ type: 'array', items: { type: 'string' } });
    expect(schema('run').properties.env).toMatchObject({ type: 'object', additionalProperties: { type: 'string' } });
    expect(schema('run').required ?? []).toEqual([]);
    expect(Object.keys(schema('list').properties)).toEqual(expect.arrayContaining(['status', 'name']));
    expect(schema('list').properties.status.enum).toEqual(['running', 'restarting', 'exited', 'killed', 'unknown']);
    expect(schema('status').required).toEqual(['task']);
    expect(Object.keys(schema('log').properties).sort()).toEqual(['lines', 'max_bytes', 'offset', 'run', 'task']);
    expect(schema('log').properties.lines.type).toBe('integer');
    expect(schema('log').required).toEqual(['task']);
    expect(Object.keys(schema('stop').properties).sort()).toEqual(['force', 'task', 'timeout_seconds']);
    expect(Object.keys(schema('restart').properties).sort()).toEqual(['task', 'timeout_seconds']);
    expect(Object.keys(schema('wait').properties).sort()).toEqual(['any', 'healthy', 'tasks', 'timeout_seconds']);
    expect(schema('wait').properties.tasks).toMatchObject({ type: 'array', items: { type: 'string' } });
    expect(byName.list!.annotations?.readOnlyHint).toBe(true);
    expect(byName.stop!.annotations?.destructiveHint).toBe(true);
  });

  it('runs an argv in the background with env, cwd, name and description, and reports it', async () => {
    // The task proves it has both secrets by their lengths, never printing them.
    const task = await callJSON<TaskJSON>('run', {
      command: ['sh', '-c', 'echo "secret ${#SECRET_TOKEN} key ${#API_KEY}"; pwd'],
      name: 'mcp-env',
      env: { API_KEY: TASK_SECRET },
      description: 'checks its environment',
    });
    expect(task.id).toMatch(UUID);
    expect(task).toMatchObject({ name: 'mcp-env', status: 'running', cwd: workDir });
    expect(task).not.toHaveProperty('env');
    const done = await ended('mcp-env');
    expect(done).toMatchObject({ id: task.id, status: 'exited', exit_code: 0 });
    const log = await call('log', { task: 'mcp-env' });
    expect(texts(log)[0]).toBe(`secret ${SECRET.length} key ${TASK_SECRET.length}\n${workDir}\n`);
    expect(texts(log)[1]).toMatch(/whole log \(2 lines\).*exited 0/);
  });

  it('runs a shell script, in a relative cwd', async () => {
    const task = await callJSON<TaskJSON>('run', { script: 'echo "$((6 * 7))" && exit 3', cwd: '.' });
    expect(task.command).toEqual(['/bin/sh', '-c', 'echo "$((6 * 7))" && exit 3']);
    expect(task.cwd).toBe(workDir);
    expect(await ended(task.id)).toMatchObject({ status: 'exited', exit_code: 3 });
    expect(texts(await call('log', { task: task.id }))[0]).toBe('42\n');
  });

  it('lists tasks, filtered by name and status', async () => {
    const all = await callJSON<TaskJSON[]>('list');
    expect(all.length).toBeGreaterThanOrEqual(2);
    expect(all.map((task) => task.name)).toContain('mcp-env');
    const named = await callJSON<TaskJSON[]>('list', { name: 'mcp-env' });
    expect(named).toHaveLength(1);
    expect(named[0]!.status).toBe('exited');
    expect(await callJSON<TaskJSON[]>('list', { status: 'running', name: 'mcp-env' })).toEqual([]);
  });

  it('shows one task by name and by id prefix', async () => {
    const byName = await callJSON<TaskJSON>('status', { task: 'mcp-env' });
    const byPrefix = await callJSON<TaskJSON>('status', { task: byName.id.slice(0, 8) });
    expect(byPrefix).toEqual(byName);
    expect(byName.finished_at).not.toBeNull();
  });

  it('returns only the last lines of a 10,000-line log, and says it truncated', async () => {
    const task = await callJSON<TaskJSON>('run', { command: ['seq', '1', '10000'], name: 'mcp-long' });
    await ended(task.id);
    const fallback = await call('log', { task: 'mcp-long' });
    const lines = texts(fallback)[0]!.trimEnd().split('\n');
    expect(lines).toHaveLength(100);
    expect(lines[0]).toBe('9901');
    expect(lines[99]).toBe('10000');
    expect(texts(fallback)[1]).toMatch(/truncated: showing the last 100 lines/);
    const five = await call('log', { task: 'mcp-long', lines: 5 });
    expect(texts(five)[0]).toBe('9996\n9997\n9998\n9999\n10000\n');
    expect(texts(five)[1]).toMatch(/truncated/);
    const capped = await call('log', { task: 'mcp-long', lines: 50_000 });
    const cappedLines = texts(capped)[0]!.trimEnd().split('\n');
    expect(cappedLines).toHaveLength(1000);
    expect(cappedLines[0]).toBe('9001');
    expect(texts(capped)[1]).toMatch(/truncated.*1000 lines is the most/);
  });

  it('strips control characters and escape sequences from log lines', async () => {
    const task = await callJSON<TaskJSON>('run', { script: "printf 'a\\033[31mred\\033[0m\\033]0;title\\007 b\\rprogress 100%%\\n'" });
    await ended(task.id);
    expect(texts(await call('log', { task: task.id }))[0]).toBe('progress 100%\n');
    const second = await callJSON<TaskJSON>('run', { script: "printf 'x\\033[2Ky\\033[1;32mz\\033[0m\\tw\\n'" });
    await ended(second.id);
    expect(texts(await call('log', { task: second.id }))[0]).toBe('xyz\tw\n');
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

  it('waits for tasks: exit code, any, and timeout', async () => {
    const quick = await callJSON<TaskJSON>('run', { script: 'sleep 0.3; exit 42' });
    const waited = await callJSON<{ timed_out: boolean; tasks: TaskJSON[] }>('wait', { tasks: [quick.id], timeout_seconds: 15 });
    expect(waited.timed_out).toBe(false);
    expect(waited.tasks).toHaveLength(1);
    expect(waited.tasks[0]).toMatchObject({ id: quick.id, status: 'exited', exit_code: 42 });

    const marker = uniqueSleepArg();
    const slow = await callJSON<TaskJSON>('run', { command: ['sleep', marker] });
    const timedOut = await callJSON<{ timed_out: boolean; tasks: TaskJSON[] }>('wait', { tasks: [slow.id], timeout_seconds: 0.3 });
    expect(timedOut.timed_out).toBe(true);
    expect(timedOut.tasks[0]).toMatchObject({ id: slow.id, status: 'running' });

    const soon = await callJSON<TaskJSON>('run', { script: 'sleep 0.2' });
    const any = await callJSON<{ timed_out: boolean; tasks: TaskJSON[] }>('wait', { tasks: [slow.id, soon.id], any: true, timeout_seconds: 15 });
    expect(any.timed_out).toBe(false);
    expect(any.tasks.map((task) => [task.id, task.status])).toEqual([
      [slow.id, 'running'],
      [soon.id, 'exited'],
    ]);
    await callJSON('stop', { task: slow.id, force: true });
  });

  it('runs a task with a health check and waits until it is ready (wait_healthy, wait healthy)', async () => {
    const ready = await callJSON<TaskJSON>('run', { script: `echo ready; sleep ${uniqueSleepArg()}`, ready_log: '^ready$', wait_healthy: true });
    expect(ready).toMatchObject({ status: 'running', health: 'healthy' });
    const probed = await callJSON<TaskJSON>('run', { command: ['sleep', uniqueSleepArg()], health_cmd: 'true', health_interval: '100ms' });
    expect(probed.health).toBe('starting');
    const waited = await callJSON<{ timed_out: boolean; tasks: TaskJSON[] }>('wait', { tasks: [probed.id], healthy: true, timeout_seconds: 15 });
    expect(waited).toMatchObject({ timed_out: false, tasks: [{ id: probed.id, status: 'running', health: 'healthy' }] });
    const bad = await call('run', { command: ['true'], health_http: 'ftp://example.com/' });
    expect(bad.isError).toBe(true);
    expect(texts(bad)[0]).toMatch(/only http:\/\/ and https:\/\/ URLs can be checked/);
    for (const task of [ready, probed]) await callJSON('stop', { task: task.id, force: true });
  });

  it('reports failures as one-line tool errors and keeps serving', async () => {
    const cases: [string, Record<string, unknown>, RegExp][] = [
      ['status', { task: 'no-such-task' }, /no task matches/],
      ['log', { task: 'no-such-task' }, /no task matches/],
      ['stop', { task: 'no-such-task' }, /no task matches/],
      ['restart', { task: 'no-such-task' }, /no task matches/],
      ['wait', { tasks: ['no-such-task'] }, /no task matches/],
      ['log', { task: 'mcp-env', tail: 5 }, /"tail"/],
      ['run', { command: ['ghost-e2e-no-such-program'] }, /not found/],
      ['run', { command: ['true'], cwd: '/nonexistent/dir' }, /nonexistent/],
      ['run', { command: ['true'], env: { 'BAD KEY': SECRET } }, /invalid environment variable name/],
      ['run', {}, /exactly one of/],
      ['log', { task: 'mcp-env', lines: 0 }, /.+/],
      ['list', { status: 'sleeping' }, /.+/],
      ['up', { cwd: '/' }, /no ghost.yaml, Procfile or process-compose/],
    ];
    for (const [tool, args, message] of cases) {
      const result = await call(tool, args);
      expect(result.isError, `${tool} ${JSON.stringify(args)}`).toBe(true);
      const text = texts(result).join('\n');
      expect(text).toMatch(message);
      if (!text.startsWith('MCP error') && !/validation/i.test(text)) expect(text).not.toContain('\n');
    }
    expect(isAlive(serverPid)).toBe(true);
    expect((await client.listTools()).tools).toHaveLength(TOOLS.length);
  });

  it('never returns an environment value in any result', () => {
    expect(results.length).toBeGreaterThan(20);
    const everything = JSON.stringify(results);
    expect(everything).not.toContain(SECRET);
    expect(everything).not.toContain(TASK_SECRET);
  });

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

  it('exits 0 when its stdin closes, with tasks it started still running', async () => {
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
    let output = '';
    server.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    await waitFor(() => output.includes('"id":2'), { timeout: 15_000, message: 'the run response' });
    server.stdin.end();
    const result = await server;
    expect(result.exitCode).toBe(0);
    expect(result.stderr).toBe('');
    // Every stdout line is one JSON-RPC message.
    for (const line of output.split('\n').filter(Boolean)) expect(JSON.parse(line)).toMatchObject({ jsonrpc: '2.0' });
    const status = await ghost(['status', 'mcp-raw', '--json'], { dataDir });
    const task = JSON.parse(status.stdout) as TaskJSON;
    expect(task.status).toBe('running');
    expect(processesWithArg(marker)).toContain(task.pid);
  });
});
