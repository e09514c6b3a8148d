import { Ghost, SUPERVISION_OPTIONS } from '@ghost/core';
import { tempDir, waitFor } from '@ghost/test-support';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { CallToolResult, JSONRPCMessage, Tool } from '@modelcontextprotocol/sdk/types.js';
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/ajv';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type GhostMcpServerOptions, TOOLS, createGhostMcpServer } from './server.js';

const TOOL_NAMES = ['run', 'list', 'status', 'log', 'search', 'runs', 'ports', 'stats', 'wait', 'stop', 'kill', 'restart', 'rm', 'up', 'down'];

let dir: string;
let ghost: Ghost;
let client: Client;
/** Each tool's declared output schema, as the client got it. */
let outputs: Map<string, (value: unknown) => { valid: boolean; errorMessage?: string | undefined }>;

async function connect(options: GhostMcpServerOptions = {}): Promise<Client> {
  const server = createGhostMcpServer(ghost, { cwd: dir, env: { PATH: process.env.PATH, SECRET_TOKEN: 'hunter2' }, ...options });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  const connected = new Client({ name: 'test', version: '1.0.0' });
  await Promise.all([server.connect(serverSide), connected.connect(clientSide)]);
  return connected;
}

/** Calls a tool; a result that is not an error must come with structuredContent its output schema accepts. */
async function call(name: string, args: Record<string, unknown> = {}, through = client): Promise<CallToolResult> {
  const result = (await through.callTool({ name, arguments: args })) as CallToolResult;
  if (!result.isError) {
    expect(result.structuredContent, name).toBeDefined();
    const checked = outputs.get(name)!(result.structuredContent);
    expect(checked.errorMessage, name).toBeUndefined();
  }
  return result;
}

/** The structured result of a call that must succeed. */
async function value<T = Record<string, any>>(name: string, args: Record<string, unknown> = {}, through = client): Promise<T> {
  const result = await call(name, args, through);
  expect(result.isError, `${name}: ${texts(result).join(' ')}`).toBeFalsy();
  return result.structuredContent as T;
}

function texts(result: CallToolResult): string[] {
  return result.content.map((item) => (item.type === 'text' ? item.text : ''));
}

/** A shell loop that waits until the test creates `name` in the task's directory: a task's step the test releases, not a timer. */
function untilFile(name: string): string {
  return `while [ ! -e ${name} ]; do sleep 0.02; done`;
}

async function ended(id: string): Promise<void> {
  await waitFor(() => !['running', 'restarting'].includes(ghost.status(id).status), { message: `task ${id} to end` });
}

beforeEach(async () => {
  dir = tempDir('ghost-mcp-test-');
  ghost = Ghost.open({ dataDir: join(dir, 'data') });
  client = await connect();
  const validator = new AjvJsonSchemaValidator();
  const { tools } = await client.listTools();
  outputs = new Map(tools.map((tool) => [tool.name, validator.getValidator(tool.outputSchema as never)]));
});

afterEach(async () => {
  await client.close();
  for (const task of ghost.list().filter((t) => t.status === 'running' || t.status === 'restarting')) {
    if (task.pgid !== null && task.pgid > 1) {
      try {
        process.kill(-task.pgid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }
  ghost.close();
});

describe('ghost MCP server', () => {
  it('lists every tool with a description, described parameters and an output schema', async () => {
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name)).toEqual(TOOL_NAMES);
    expect(TOOLS.map((tool) => tool.name)).toEqual(TOOL_NAMES);
    for (const tool of tools) {
      expect(tool.description, tool.name).toBeTruthy();
      const properties = (tool.inputSchema.properties ?? {}) as Record<string, { description?: string }>;
      for (const [key, property] of Object.entries(properties)) expect(property.description, `${tool.name}.${key}`).toBeTruthy();
      expect(tool.outputSchema?.type, tool.name).toBe('object');
    }
    const run = tools.find((tool) => tool.name === 'run')!;
    expect(Object.keys(run.inputSchema.properties ?? {})).toEqual(
      expect.arrayContaining(['command', 'script', 'name', 'cwd', 'env', 'description', 'reuse', 'wait', 'wait_healthy', ...SUPERVISION_OPTIONS.map((option) => option.field)]),
    );
    const properties = run.inputSchema.properties as Record<string, { description?: string }>;
    for (const option of SUPERVISION_OPTIONS) expect(properties[option.field]!.description).toBe(option.description);
  });

  it('runs a command and reports it as JSON text and structured content, without environment values', async () => {
    const started = await call('run', { command: ['sh', '-c', 'echo hello; echo "$SECRET_TOKEN" | wc -c'], name: 'greet', env: { EXTRA: 'shh' } });
    const task = started.structuredContent as { id: string; name: string; cwd: string };
    expect(JSON.parse(texts(started)[0]!)).toEqual(task);
    expect(task).toMatchObject({ name: 'greet', cwd: dir });
    await ended(task.id);
    expect(await value('status', { task: 'greet' })).toMatchObject({ status: 'exited', exit_code: 0 });
    const log = await call('log', { task: task.id.slice(0, 6) });
    expect(texts(log)[0]).toBe('hello\n8\n');
    expect(texts(log)[1]).toMatch(/run 1's output \(the current run\); showing all of it \(2 lines\).*exited 0/);
    expect(log.structuredContent).toMatchObject({ task: task.id, run: 1, current_run: 1, lines: ['hello', '8'], earlier_cursor: null, runs: [{ run: 1, line: 0 }] });
    expect((await value('list', { name: 'greet' })).tasks).toHaveLength(1);
    for (const result of [started, log]) expect(JSON.stringify(result)).not.toMatch(/hunter2|shh/);
  });

  it('runs a script with a shell, relative to the server directory', async () => {
    const task = await value<{ id: string; command: string[] }>('run', { script: 'pwd && exit 3', cwd: '.' });
    expect(task.command).toEqual(['/bin/sh', '-c', 'pwd && exit 3']);
    await ended(task.id);
    expect(ghost.status(task.id).exitCode).toBe(3);
  });

  it('runs and waits in one call: the exit status and the last lines of output', async () => {
    const done = await value('run', { script: 'seq 1 30; exit 4', wait: true });
    expect(done).toMatchObject({ status: 'exited', exit_code: 4, timed_out: false, remaining_seconds: 0 });
    expect(done.log_tail).toEqual(Array.from({ length: 20 }, (_, i) => String(i + 11)));
    const ready = await value('run', { script: 'echo up; exec sleep 30', ready_log: '^up$', wait_healthy: true });
    expect(ready).toMatchObject({ status: 'running', health: 'healthy', timed_out: false });
    expect(ready).not.toHaveProperty('log_tail');
    const bad = await call('run', { command: ['true'], wait: true, wait_healthy: true });
    expect(texts(bad)).toEqual(['give wait or wait_healthy, not both']);
  });

  it('starts once with reuse: the running task is returned, an ended one starts again as a new run', async () => {
    const first = await value('run', { command: ['sleep', '30'], reuse: true });
    const again = await value('run', { command: ['sleep', '30'], reuse: true });
    expect(again).toMatchObject({ id: first.id, run: 1, pid: first.pid });
    await value('stop', { task: first.id, force: true });
    expect(await value('run', { command: ['sleep', '30'], reuse: true })).toMatchObject({ id: first.id, run: 2, status: 'running' });
  });

  it('scopes list to a directory or a project', async () => {
    const sub = join(dir, 'sub');
    mkdirSync(sub);
    const here = await value('run', { command: ['true'], name: 'here' });
    const there = await value('run', { command: ['true'], name: 'there', cwd: 'sub' });
    const ids = async (args: Record<string, unknown>) => ((await value('list', args)).tasks as { id: string }[]).map((task) => task.id);
    expect(await ids({ here: true })).toEqual([here.id]);
    expect(await ids({ cwd: 'sub' })).toEqual([there.id]);
    expect(await ids({ cwd: sub })).toEqual([there.id]);
    expect(await ids({ project: 'nope' })).toEqual([]);
    const limited = await call('list', { limit: 1 });
    expect(limited.structuredContent).toMatchObject({ more: true });
    expect(texts(limited)[1]).toMatch(/only the newest 1 tasks are shown/);
    expect(texts(await call('list', { here: true, cwd: 'sub' }))).toEqual(['give here or cwd, not both']);
  });

  it('returns only the last lines of a long log, and pages back and forth with cursors', async () => {
    const task = await value('run', { script: 'i=0; while [ $i -lt 3000 ]; do i=$((i+1)); printf "line %d\\033[2K\\033[31mred\\033[0m\\n" $i; done' });
    await ended(task.id);
    const fallback = await call('log', { task: task.id });
    const lines = texts(fallback)[0]!.trimEnd().split('\n');
    expect(lines).toHaveLength(100);
    expect(lines[99]).toBe('line 3000red');
    expect(texts(fallback)[1]).toMatch(/showing 100 lines .*earlier output was left out: earlier_cursor reads it/);
    const capped = await call('log', { task: task.id, lines: 5000 });
    expect(texts(capped)[0]!.trimEnd().split('\n')).toHaveLength(1000);
    expect(texts(capped)[1]).toMatch(/1000 lines is the most/);

    // Back from the end, 700 lines a page, then forward again: every line once, in order.
    const back: string[] = [];
    let page = await value('log', { task: task.id, lines: 700 });
    back.unshift(...page.lines);
    while (page.earlier_cursor) {
      page = await value('log', { task: task.id, cursor: page.earlier_cursor, lines: 700 });
      back.unshift(...page.lines);
    }
    expect(back).toEqual(Array.from({ length: 3000 }, (_, i) => `line ${i + 1}red`));
    const forward: string[] = [...page.lines];
    while (page.end < page.output_end) {
      page = await value('log', { task: task.id, cursor: page.next_cursor, lines: 700 });
      forward.push(...page.lines);
    }
    expect(forward).toEqual(back);
  });

  it('bounds log output in bytes, says so, and reads on from a cursor as output grows', async () => {
    // 1,000 lines of 3,000 characters: 3 MB, which 1,000 lines used to return whole.
    const task = await value('run', { script: 'awk \'BEGIN { s = sprintf("%3000s", ""); for (i = 1; i <= 1000; i++) print i s }\'' });
    await ended(task.id);
    const tail = await call('log', { task: task.id, lines: 1000 });
    expect(JSON.stringify(tail).length).toBeLessThan(80_000);
    expect(Number.parseInt(texts(tail)[0]!.trimEnd().split('\n').at(-1)!)).toBe(1000);
    expect(texts(tail)[1]).toMatch(/cut at max_bytes \(32768 bytes\)/);
    const fromStart = await value('log', { task: task.id, offset: 0, max_bytes: 100_000, lines: 1000 });
    expect(fromStart.lines.map((line: string) => Number.parseInt(line))).toEqual(Array.from({ length: 33 }, (_, i) => i + 1));

    // A cursor at the end of a running task's output reads what it writes next.
    // The second line waits for a file, so a slow poll cannot miss the moment with one line.
    const writer = await value('run', { script: `echo one; ${untilFile('go')}; echo two; sleep 30` });
    const first = await waitFor(async () => {
      const page = await value('log', { task: writer.id });
      return page.lines.length === 1 ? page : undefined;
    }, { message: 'the first line' });
    writeFileSync(join(dir, 'go'), '');
    const next = await waitFor(async () => {
      const page = await value('log', { task: writer.id, cursor: first.next_cursor });
      return page.lines.length > 0 ? page : undefined;
    }, { message: 'the second line' });
    expect(next.lines).toEqual(['two']);
    const bad = await call('log', { task: writer.id, cursor: 'nonsense' });
    expect(texts(bad)).toEqual(['invalid cursor: pass a next_cursor or earlier_cursor from a log or search result as it is']);
    const other = await call('log', { task: task.id, cursor: first.next_cursor });
    expect(texts(other)[0]).toMatch(/^that cursor is for another task/);
    expect(texts(await call('log', { task: writer.id, cursor: first.next_cursor, run: 1 }))).toEqual(['give cursor alone, without run, all_runs or offset: it says what to read']);
  });

  it('keeps a cursor where it was when the log is rotated under it, and says what rotation took', async () => {
    const go = (step: number) => writeFileSync(join(dir, `go${step}`), '');
    const untilGo = (step: number) => untilFile(`go${step}`);
    const task = await value('run', {
      script: `echo before; ${untilGo(1)}; head -c 102400 /dev/zero | tr '\\0' x; echo; echo after; ${untilGo(2)}; echo third; exec sleep 30`,
      log_max_size: '64K',
      log_max_files: 1,
    });
    const first = await waitFor(async () => {
      const page = await value('log', { task: task.id });
      return page.lines.length === 1 ? page : undefined;
    }, { message: 'the first line' });
    go(1);
    // The next call that looks rotates the log (its supervisor may do it first).
    await waitFor(async () => {
      await value('list');
      return ghost.runs(task.id)[0]!.logOffset! < 0;
    }, { message: 'the log to be rotated' });
    go(2);
    const next = await waitFor(async () => {
      const page = await call('log', { task: task.id, cursor: first.next_cursor, max_bytes: 200_000 });
      return (page.structuredContent as { lines: string[] }).lines.includes('third') ? page : undefined;
    }, { message: 'the line after the rotation' });
    // A rotation usually takes all 102,407 bytes written after the cursor, but the supervisor may
    // rotate while they are still being written: then the page starts with the rest of them.
    // Either way, what rotation took and what the page reads add up to what was written.
    const page = next.structuredContent as { lines: string[]; start: number };
    expect(page.start).toBe(0);
    const rotatedOut = Number(/(\d+) bytes after the cursor were rotated out of the log before they were read/.exec(texts(next).at(-1)!)?.[1]);
    const written = `${'x'.repeat(102400)}\nafter\nthird\n`;
    expect(rotatedOut).toBeGreaterThan(64 * 1024 - 7);
    expect(written.slice(rotatedOut)).toBe(`${page.lines.join('\n')}\n`);
  });

  it("reads the current run's output by default, so that output from before a restart is not taken for current output", async () => {
    const task = await value('run', { script: 'echo "run $$"; sleep 30', name: 'again' });
    await waitFor(async () => (await value('log', { task: 'again' })).lines.length > 0, { message: 'run 1 output' });
    const restarted = await value('restart', { task: 'again', timeout_seconds: 5 });
    expect(restarted).toMatchObject({ id: task.id, run: 2 });
    const current = await waitFor(async () => {
      const page = await value('log', { task: 'again' });
      return page.lines.length > 0 ? page : undefined;
    }, { message: 'run 2 output' });
    expect(current).toMatchObject({ run: 2, current_run: 2, lines: [`run ${restarted.pid}`] });
    expect(await value('log', { task: 'again', run: 1 })).toMatchObject({ run: 1, lines: [`run ${task.pid}`] });
    const all = await value('log', { task: 'again', all_runs: true });
    expect(all).toMatchObject({ run: null, lines: [`run ${task.pid}`, `run ${restarted.pid}`], runs: [{ run: 1, line: 0 }, { run: 2, line: 1 }] });
    const runs = await value('runs', { task: 'again' });
    expect(runs).toMatchObject({ task: task.id, current_run: 2, more: false });
    expect(runs.runs.map((run: { run: number; status: string }) => [run.run, run.status])).toEqual([
      [2, 'running'],
      [1, 'killed'],
    ]);
    expect((await value('runs', { task: 'again', limit: 1 })).more).toBe(true);
    expect(texts(await call('log', { task: 'again', run: 7 }))[0]).toMatch(/has no run 7/);
  });

  it('searches a log with context, and goes on from a cursor', async () => {
    const task = await value('run', { script: 'for i in $(seq 1 200); do if [ $((i % 20)) -eq 0 ]; then echo "ERROR $i"; else echo "ok $i"; fi; done' });
    await ended(task.id);
    const found = await call('search', { task: task.id, pattern: 'error \\d+0$', ignore_case: true, context: 1, max_matches: 4 });
    const result = found.structuredContent as Record<string, any>;
    expect(result.matches.map((match: { line: string }) => match.line)).toEqual(['ERROR 20', 'ERROR 40', 'ERROR 60', 'ERROR 80']);
    expect(result.matches[0]).toMatchObject({ before: ['ok 19'], after: ['ok 21'] });
    expect(result.stopped_by).toBe('matches');
    expect(texts(found)[0]).toMatch(/^@\d+\n {2}ok 19\n> ERROR 20\n {2}ok 21\n@/);
    expect(texts(found)[1]).toMatch(/4 matches in run 1's output.*stopped at 4 matches \(max_matches\): next_cursor goes on/);
    const rest = await value('search', { task: task.id, pattern: 'ERROR', cursor: result.next_cursor });
    expect(rest.matches.map((match: { line: string }) => match.line)).toEqual(['ERROR 100', 'ERROR 120', 'ERROR 140', 'ERROR 160', 'ERROR 180', 'ERROR 200']);
    expect(rest.stopped_by).toBeNull();
    // A match's offset is where log reads from.
    expect((await value('log', { task: task.id, offset: rest.matches[0].offset, lines: 1 })).lines).toEqual(['ERROR 100']);
    expect((await value('search', { task: task.id, pattern: 'ERROR 1.0', literal: true })).matches).toEqual([]);
    expect(texts(await call('search', { task: task.id, pattern: '(' }))).toEqual(['invalid pattern "(": Unterminated group']);
  });

  it('shows the ports of a task, and none once it has ended', async () => {
    const server = "require('net').createServer().listen(0, '127.0.0.1', function () { console.log(this.address().port) })";
    const task = await value('run', { command: [process.execPath, '-e', server], name: 'web' });
    const port = await waitFor(async () => {
      const page = await value('log', { task: 'web' });
      return page.lines.length > 0 ? Number(page.lines[0]) : undefined;
    }, { message: 'the port' });
    expect((await value('ports', { tasks: ['web'] })).ports).toEqual([{ task: task.id, name: 'web', protocol: 'tcp', address: '127.0.0.1', port, pid: task.pid }]);
    expect((await value('ports')).ports).toHaveLength(1);
    await value('kill', { task: 'web' });
    const after = await call('ports', { tasks: ['web'] });
    expect(after.structuredContent).toEqual({ ports: [] });
    expect(texts(after)[1]).toMatch(/task web is not running \(killed\): it has no ports/);
  });

  it('sends any signal with kill, and removes ended tasks with rm, all or nothing', async () => {
    const sleeper = await value('run', { command: ['sleep', '30'] });
    const termed = await value('kill', { task: sleeper.id, signal: 'term' });
    expect(termed.id).toBe(sleeper.id);
    await ended(sleeper.id);
    expect(ghost.status(sleeper.id)).toMatchObject({ status: 'killed', signal: 'SIGTERM' });
    const other = await value('run', { command: ['sleep', '30'] });
    expect(await value('kill', { task: other.id, signal: 9 })).toMatchObject({ status: 'killed', signal: 'SIGKILL' });
    expect(texts(await call('kill', { task: other.id }))[0]).toMatch(/is not running/);
    expect(texts(await call('kill', { task: other.id, signal: 'NOPE' }))).toEqual(['unknown signal "NOPE" (try TERM, INT, HUP, KILL or a number)']);

    const running = await value('run', { command: ['sleep', '30'] });
    const refused = await call('rm', { tasks: [sleeper.id, running.id] });
    expect(refused.isError).toBe(true);
    expect(texts(refused)[0]).toMatch(/nothing was removed \(the stop tool stops it\)$/);
    const removed = await value('rm', { tasks: [sleeper.id, other.id] });
    expect(removed.removed.map((task: { id: string }) => task.id)).toEqual([sleeper.id, other.id]);
    expect(texts(await call('status', { task: sleeper.id }))[0]).toMatch(/no task matches/);
  });

  it("reports a running task's CPU and memory, its busy child's included, and none once it ended", async () => {
    const task = await value('run', { script: "sh -c 'while :; do :; done' & sleep 60", name: 'busy' });
    const sampled = await waitFor(async () => {
      const [stats] = (await value('stats', { tasks: ['busy'], sample_seconds: 0.2 })).stats;
      return stats && stats.cpu_percent > 0 ? stats : undefined;
    }, { message: 'CPU use to show' });
    expect(sampled).toMatchObject({ task: task.id });
    expect(sampled.cpu_since > task.started_at).toBe(true);
    expect(sampled.memory_bytes).toBeGreaterThan(0);
    expect(sampled.processes).toBeGreaterThanOrEqual(2);
    expect((await value('status', { task: 'busy' })).memory_bytes).toBeGreaterThan(0);
    await value('stop', { task: 'busy', force: true });
    expect(await value('stats')).toEqual({ stats: [] });
    expect(await value('status', { task: 'busy' })).toMatchObject({ cpu_percent: null, memory_bytes: null });
  });

  it('turns ghost errors and bad input into one-line tool errors', async () => {
    for (const [tool, args, message] of [
      ['status', { task: 'nope' }, /no task matches/],
      ['log', { task: 'nope' }, /no task matches/],
      ['stop', { task: 'nope' }, /no task matches/],
      ['run', { command: ['definitely-not-a-program-xyz'] }, /not found/],
      ['run', { command: ['true'], cwd: join(dir, 'missing') }, /missing/],
      ['run', {}, /exactly one of/],
      ['run', { command: ['true'], script: 'true' }, /exactly one of/],
      ['list', { status: 'sleeping' }, /^MCP error -32602: invalid arguments for tool list: status: Invalid option/],
      ['log', { task: 'x', lines: 0, tail: 5 }, /^MCP error -32602: invalid arguments for tool log: lines: Too small: .*; unknown argument "tail"$/],
      ['stats', { tasks: ['nope'] }, /no task matches/],
      ['stats', { sample_seconds: 60 }, /sample_seconds: Too big/],
      ['stats', { task: 'x' }, /unknown argument "task"/],
      ['wait', { tasks: [] }, /tasks: Too small/],
    ] as const) {
      const result = await call(tool, args);
      expect(result.isError, `${tool} ${JSON.stringify(args)}`).toBe(true);
      expect(texts(result)).toHaveLength(1);
      expect(texts(result)[0]).toMatch(message);
      expect(texts(result)[0]).not.toContain('\n');
    }
    // The server is still serving.
    expect((await client.listTools()).tools).toHaveLength(TOOL_NAMES.length);
  });

  it('answers malformed params with -32602 and one line', async () => {
    const server = createGhostMcpServer(ghost, { cwd: dir });
    const [raw, serverSide] = InMemoryTransport.createLinkedPair();
    const replies: JSONRPCMessage[] = [];
    raw.onmessage = (message) => void replies.push(message);
    await server.connect(serverSide);
    await raw.start();
    const request = (id: number, method: string, params: unknown) => raw.send({ jsonrpc: '2.0', id, method, params } as JSONRPCMessage);
    await request(1, 'initialize', { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } });
    await request(2, 'tools/call', { name: 'list', arguments: [1] });
    await request(3, 'tools/call', { arguments: {} });
    await request(4, 'tools/call', { name: 'nope', arguments: {} });
    await request(5, 'tools/list', { cursor: 5 });
    await request(6, 'initialize', { protocolVersion: 1 });
    const reply = (id: number) => waitFor(async () => replies.find((message) => 'id' in message && message.id === id), { message: `reply ${id}` });
    for (const [id, message] of [
      [2, 'invalid tools/call request: params.arguments: Invalid input: expected record, received array'],
      [3, 'invalid tools/call request: params.name: Invalid input: expected string, received undefined'],
      [4, `unknown tool "nope" (the tools are ${TOOL_NAMES.join(', ')})`],
      [5, 'invalid tools/list request: params.cursor: Invalid input: expected string, received number'],
    ] as const) {
      expect(await reply(id)).toEqual({ jsonrpc: '2.0', id, error: { code: -32602, message } });
    }
    const badInitialize = (await reply(6)) as { error: { code: number; message: string } };
    expect(badInitialize.error.code).toBe(-32602);
    expect(badInitialize.error.message).not.toContain('\n');
    await server.close();
  });

  it('stops a running task', async () => {
    const started = await value('run', { command: ['sleep', '30'], name: 'nap' });
    const stopped = await value('stop', { task: 'nap', timeout_seconds: 5 });
    expect(stopped.was_running).toBe(true);
    expect(stopped.task).toMatchObject({ id: started.id, status: 'killed', signal: 'SIGTERM' });
    expect((await value('stop', { task: 'nap' })).was_running).toBe(false);
  });

  it('restarts a task in place', async () => {
    const first = await value('run', { command: ['sleep', '30'], name: 'again' });
    const again = await value('restart', { task: 'again', timeout_seconds: 5 });
    expect(again).toMatchObject({ id: first.id, status: 'running' });
    expect(again.pid).not.toBe(first.pid);
  });

  it('waits for a task, or times out', async () => {
    const task = await value('run', { script: 'exit 42' });
    expect(await value('wait', { tasks: [task.id], timeout_seconds: 10 })).toMatchObject({
      timed_out: false,
      remaining_seconds: 0,
      tasks: [{ status: 'exited', exit_code: 42 }],
    });
    const sleeper = await value('run', { command: ['sleep', '30'] });
    const timedOut = await call('wait', { tasks: [sleeper.id], timeout_seconds: 0.1 });
    expect(timedOut.structuredContent).toMatchObject({ timed_out: true, remaining_seconds: 0 });
    expect(texts(timedOut)[1]).toMatch(/timed out/);
  });

  it("never blocks one call past its limit: the rest of a long wait is left for the next call, with progress meanwhile", async () => {
    const limited = await connect({ callSeconds: 0.5 });
    // The task ends only when the test says so, so the first call can only return because its limit cut it.
    const sleeper = await value('run', { script: untilFile('done') }, limited);
    const progress: { progress: number; total?: number; message?: string }[] = [];
    const first = (await limited.callTool({ name: 'wait', arguments: { tasks: [sleeper.id], timeout_seconds: 20 } }, undefined, {
      onprogress: (update) => void progress.push(update),
    })) as CallToolResult;
    const cut = first.structuredContent as { timed_out: boolean; remaining_seconds: number };
    expect(cut.timed_out).toBe(true);
    expect(cut.remaining_seconds).toBeGreaterThan(0);
    expect(cut.remaining_seconds).toBeLessThan(20);
    expect(texts(first)[1]).toMatch(/still waiting after 1 s, the longest one call waits.*call wait with tasks \[".*"\] and timeout_seconds \d/);
    expect(progress[0]).toMatchObject({ progress: 0, total: 1, message: expect.stringMatching(/^0 of 1 task ended after \d+ s$/) });
    writeFileSync(join(dir, 'done'), '');
    // The agent calls again, as told, until the task has ended.
    const last = await waitFor(async () => {
      const again = await value('wait', { tasks: [sleeper.id], timeout_seconds: cut.remaining_seconds }, limited);
      return again.timed_out ? undefined : again;
    }, { message: 'the task to end' });
    expect(last).toMatchObject({ remaining_seconds: 0, tasks: [{ status: 'exited', exit_code: 0 }] });
    // run with wait is cut short the same way.
    const running = await value('run', { command: ['sleep', '30'], wait: true }, limited);
    expect(running).toMatchObject({ status: 'running', timed_out: true, log_tail: [] });
    expect(running.remaining_seconds).toBeGreaterThan(500);
    await limited.close();
  });

  it('rejects unknown arguments by name, for every tool', async () => {
    const { tools } = await client.listTools();
    for (const tool of tools as Tool[]) {
      const result = await call(tool.name, { task: 'x', tasks: ['x'], command: ['true'], pattern: 'x', frobnicate: 1 });
      expect(result.isError, tool.name).toBe(true);
      expect(texts(result).join('\n'), tool.name).toMatch(/unknown arguments? (".*", )?"frobnicate"/);
    }
  });

  it("brings a project file's stack up and down, and says where a bad file is wrong", async () => {
    writeFileSync(join(dir, 'ghost.yaml'), 'name: demo\nservices:\n  db:\n    command: [sleep, "300"]\n  api:\n    command: [sleep, "300"]\n    depends_on: [db]\n');
    const first = await value('up');
    expect(first).toMatchObject({ project: 'demo', changed: true, warnings: [] });
    expect(first.services.map(({ service, action, task }: { service: string; action: string; task: { status: string } }) => [service, action, task.status])).toEqual([
      ['db', 'start', 'running'],
      ['api', 'start', 'running'],
    ]);
    expect((await value('up')).changed).toBe(false);
    expect(((await value('list', { project: 'demo' })).tasks as { service: string }[]).map((task) => task.service).sort()).toEqual(['api', 'db']);
    const down = await value('down', { remove: true });
    expect(down.stopped.map(({ task }: { task: { service: string } }) => task.service)).toEqual(['api', 'db']);
    expect(down.removed).toHaveLength(2);

    writeFileSync(join(dir, 'ghost.yaml'), 'services:\n  db:\n    comand: [sleep, "300"]\n');
    const bad = await call('up');
    expect(bad.isError).toBe(true);
    expect(texts(bad)[0]).toMatch(/ghost\.yaml:3:5: .*did you mean "command"/);
    expect(texts(bad)[0]!.split('\n')).toHaveLength(1);
  });
});
