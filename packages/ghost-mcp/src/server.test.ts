import { Ghost, SUPERVISION_OPTIONS } from '@ghost/core';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createGhostMcpServer } from './server.js';

const TOOLS = ['run', 'list', 'status', 'log', 'stats', 'stop', 'restart', 'wait', 'up', 'down'];

let dir: string;
let ghost: Ghost;
let client: Client;

async function connect(target: Ghost): Promise<Client> {
  const server = createGhostMcpServer(target, { cwd: dir, env: { PATH: process.env.PATH, SECRET_TOKEN: 'hunter2' } });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  const connected = new Client({ name: 'test', version: '1.0.0' });
  await Promise.all([server.connect(serverSide), connected.connect(clientSide)]);
  return connected;
}

async function call(name: string, args: Record<string, unknown> = {}): Promise<CallToolResult> {
  return (await client.callTool({ name, arguments: args })) as CallToolResult;
}

function texts(result: CallToolResult): string[] {
  return result.content.map((item) => (item.type === 'text' ? item.text : ''));
}

async function until<T>(condition: () => Promise<T | undefined>, what: string, timeout = 10_000): Promise<T> {
  const deadline = Date.now() + timeout;
  for (;;) {
    const value = await condition();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ghost-mcp-test-'));
  ghost = Ghost.open({ dataDir: join(dir, 'data') });
  client = await connect(ghost);
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
  rmSync(dir, { recursive: true, force: true });
});

describe('ghost MCP server', () => {
  it('lists every tool with a description and described parameters', async () => {
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name).sort()).toEqual([...TOOLS].sort());
    for (const tool of tools) {
      expect(tool.description, tool.name).toBeTruthy();
      const properties = (tool.inputSchema.properties ?? {}) as Record<string, { description?: string }>;
      for (const [key, property] of Object.entries(properties)) expect(property.description, `${tool.name}.${key}`).toBeTruthy();
    }
    const run = tools.find((tool) => tool.name === 'run')!;
    expect(Object.keys(run.inputSchema.properties ?? {})).toEqual(
      expect.arrayContaining(['command', 'script', 'name', 'cwd', 'env', 'description', ...SUPERVISION_OPTIONS.map((option) => option.field)]),
    );
    const properties = run.inputSchema.properties as Record<string, { description?: string }>;
    for (const option of SUPERVISION_OPTIONS) expect(properties[option.field]!.description).toBe(option.description);
  });

  it('runs a command and reports it, without environment values', async () => {
    const started = await call('run', { command: ['sh', '-c', 'echo hello; echo "$SECRET_TOKEN" | wc -c'], name: 'greet', env: { EXTRA: 'shh' } });
    expect(started.isError).toBeFalsy();
    const task = JSON.parse(texts(started)[0]!) as { id: string; name: string; cwd: string };
    expect(task.name).toBe('greet');
    expect(task.cwd).toBe(dir);
    const ended = await until(async () => {
      const status = JSON.parse(texts(await call('status', { task: 'greet' }))[0]!) as { status: string; exit_code: number };
      return status.status === 'running' ? undefined : status;
    }, 'the task to end');
    expect(ended).toMatchObject({ status: 'exited', exit_code: 0 });
    const log = await call('log', { task: task.id.slice(0, 6) });
    expect(texts(log)[0]).toBe('hello\n8\n');
    expect(texts(log)[1]).toMatch(/whole log \(2 lines\).*exited 0/);
    const listed = JSON.parse(texts(await call('list', { name: 'greet' }))[0]!) as unknown[];
    expect(listed).toHaveLength(1);
    for (const result of [started, log]) expect(JSON.stringify(result)).not.toMatch(/hunter2|shh/);
  });

  it('runs a script with a shell, relative to the server directory', async () => {
    const result = await call('run', { script: 'pwd && exit 3', cwd: '.' });
    const task = JSON.parse(texts(result)[0]!) as { id: string; command: string[] };
    expect(task.command).toEqual(['/bin/sh', '-c', 'pwd && exit 3']);
    const ended = await until(async () => {
      const status = ghost.status(task.id);
      return status.status === 'running' ? undefined : status;
    }, 'the script to end');
    expect(ended.exitCode).toBe(3);
  });

  it('returns only the last lines of a long log, and says it truncated', async () => {
    const result = await call('run', { script: 'i=0; while [ $i -lt 3000 ]; do i=$((i+1)); printf "line %d\\033[2K\\033[31mred\\033[0m\\n" $i; done' });
    const { id } = JSON.parse(texts(result)[0]!) as { id: string };
    await until(async () => (ghost.status(id).status === 'running' ? undefined : true), 'the writer to end');
    const fallback = await call('log', { task: id });
    const lines = texts(fallback)[0]!.trimEnd().split('\n');
    expect(lines).toHaveLength(100);
    expect(lines[99]).toBe('line 3000red');
    expect(texts(fallback)[1]).toMatch(/truncated: showing the last 100 lines/);
    const capped = await call('log', { task: id, lines: 5000 });
    expect(texts(capped)[0]!.trimEnd().split('\n')).toHaveLength(1000);
    expect(texts(capped)[1]).toMatch(/1000 lines is the most/);
    const few = await call('log', { task: id, lines: 3 });
    expect(texts(few)[0]).toBe('line 2998red\nline 2999red\nline 3000red\n');
  });

  it("reports a running task's CPU and memory, its busy child's included, and none once it ended", async () => {
    const started = await call('run', { script: "sh -c 'while :; do :; done' & sleep 60", name: 'busy' });
    const task = JSON.parse(texts(started)[0]!) as { id: string; started_at: string };
    type Stats = { task: string; cpu_percent: number; cpu_since: string; memory_bytes: number; processes: number };
    const sampled = await until(async () => {
      const [stats] = JSON.parse(texts(await call('stats', { tasks: ['busy'], sample_seconds: 0.2 }))[0]!) as Stats[];
      return stats && stats.cpu_percent > 0 ? stats : undefined;
    }, 'CPU use to show');
    expect(sampled).toMatchObject({ task: task.id });
    expect(sampled.cpu_since > task.started_at).toBe(true);
    expect(sampled.memory_bytes).toBeGreaterThan(0);
    expect(sampled.processes).toBeGreaterThanOrEqual(2);
    const shown = JSON.parse(texts(await call('status', { task: 'busy' }))[0]!) as { cpu_percent: number | null; memory_bytes: number | null };
    expect(shown.memory_bytes).toBeGreaterThan(0);
    await call('stop', { task: 'busy', force: true });
    expect(JSON.parse(texts(await call('stats', {}))[0]!)).toEqual([]);
    expect(JSON.parse(texts(await call('status', { task: 'busy' }))[0]!)).toMatchObject({ cpu_percent: null, memory_bytes: null });
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
      ['list', { status: 'sleeping' }, /.+/],
      ['stats', { tasks: ['nope'] }, /no task matches/],
      ['stats', { sample_seconds: 60 }, /.+/],
      ['stats', { task: 'x' }, /task/],
    ] as const) {
      const result = await call(tool, args);
      expect(result.isError, `${tool} ${JSON.stringify(args)}`).toBe(true);
      expect(texts(result).join('\n')).toMatch(message);
    }
    // The server is still serving.
    expect((await client.listTools()).tools).toHaveLength(TOOLS.length);
  });

  it('stops a running task', async () => {
    const started = JSON.parse(texts(await call('run', { command: ['sleep', '30'], name: 'nap' }))[0]!) as { id: string };
    const stopped = await call('stop', { task: 'nap', timeout_seconds: 5 });
    const body = JSON.parse(texts(stopped)[0]!) as { was_running: boolean; task: { id: string; status: string; signal: string } };
    expect(body.was_running).toBe(true);
    expect(body.task).toMatchObject({ id: started.id, status: 'killed', signal: 'SIGTERM' });
    const again = JSON.parse(texts(await call('stop', { task: 'nap' }))[0]!) as { was_running: boolean };
    expect(again.was_running).toBe(false);
  });

  it.skipIf(typeof (Ghost.prototype as { restart?: unknown }).restart !== 'function')('restarts a task in place', async () => {
    const first = JSON.parse(texts(await call('run', { command: ['sleep', '30'], name: 'again' }))[0]!) as { id: string; pid: number };
    const result = await call('restart', { task: 'again', timeout_seconds: 5 });
    expect(result.isError, texts(result)[0]).toBeFalsy();
    const again = JSON.parse(texts(result)[0]!) as { id: string; pid: number; status: string };
    expect(again).toMatchObject({ id: first.id, status: 'running' });
    expect(again.pid).not.toBe(first.pid);
  });

  it.skipIf(typeof (Ghost.prototype as { wait?: unknown }).wait !== 'function')('waits for a task, or times out', async () => {
    const task = JSON.parse(texts(await call('run', { script: 'exit 42' }))[0]!) as { id: string };
    const waited = JSON.parse(texts(await call('wait', { tasks: [task.id], timeout_seconds: 10 }))[0]!) as {
      timed_out: boolean;
      tasks: { status: string; exit_code: number }[];
    };
    expect(waited).toMatchObject({ timed_out: false, tasks: [{ status: 'exited', exit_code: 42 }] });
    const sleeper = JSON.parse(texts(await call('run', { command: ['sleep', '30'] }))[0]!) as { id: string };
    const timedOut = JSON.parse(texts(await call('wait', { tasks: [sleeper.id], timeout_seconds: 0.1 }))[0]!) as { timed_out: boolean };
    expect(timedOut.timed_out).toBe(true);
  });

  it('bounds log output in bytes, says so, and pages through the log by byte offset', async () => {
    // 1,000 lines of 3,000 characters: 3 MB, which 1,000 lines used to return whole.
    const result = await call('run', { script: 'awk \'BEGIN { s = sprintf("%3000s", ""); for (i = 1; i <= 1000; i++) print i s }\'' });
    const { id } = JSON.parse(texts(result)[0]!) as { id: string };
    await until(async () => (ghost.status(id).status === 'running' ? undefined : true), 'the writer to end');
    const tail = await call('log', { task: id, lines: 1000 });
    expect(JSON.stringify(tail).length).toBeLessThan(40_000);
    expect(Number.parseInt(texts(tail)[0]!.trimEnd().split('\n').at(-1)!)).toBe(1000);
    expect(texts(tail)[1]).toMatch(/truncated: showing the last \d+ lines \(bytes \d+-\d+ of \d+\)/);
    expect(texts(tail)[1]).toMatch(/cut at max_bytes \(32768 bytes\)/);

    // Paging forward from 0 with next_offset reads the whole log, line after line, once.
    const numbers: number[] = [];
    let offset: number | undefined = 0;
    while (offset !== undefined) {
      const page = await call('log', { task: id, offset, max_bytes: 100_000, lines: 1000 });
      expect(JSON.stringify(page).length).toBeLessThan(100_000);
      numbers.push(...texts(page)[0]!.trimEnd().split('\n').map((line) => Number.parseInt(line)));
      const next = /next_offset (\d+)/.exec(texts(page)[1]!);
      offset = next ? Number(next[1]) : undefined;
      if (!next) expect(texts(page)[1]).toMatch(/this is the end of the log/);
    }
    expect(numbers).toEqual(Array.from({ length: 1000 }, (_, i) => i + 1));
  });

  it('rejects unknown arguments by name, for every tool', async () => {
    const { tools } = await client.listTools();
    for (const tool of tools) {
      const result = await call(tool.name, { task: 'x', tasks: ['x'], command: ['true'], frobnicate: 1 });
      expect(result.isError, tool.name).toBe(true);
      expect(texts(result).join('\n'), tool.name).toMatch(/frobnicate/);
    }
    const typo = await call('log', { task: 'x', tail: 5 });
    expect(texts(typo).join('\n')).toMatch(/Unrecognized key.*"tail"/);
  });

  it("brings a project file's stack up and down, and says where a bad file is wrong", async () => {
    writeFileSync(join(dir, 'ghost.yaml'), 'name: demo\nservices:\n  db:\n    command: [sleep, "300"]\n  api:\n    command: [sleep, "300"]\n    depends_on: [db]\n');
    type Up = { project: string; changed: boolean; services: { service: string; action: string; task: { status: string; service: string } }[] };
    const first = JSON.parse(texts(await call('up', {}))[0]!) as Up;
    expect(first).toMatchObject({ project: 'demo', changed: true });
    expect(first.services.map(({ service, action, task }) => [service, action, task.status])).toEqual([
      ['db', 'start', 'running'],
      ['api', 'start', 'running'],
    ]);
    expect((JSON.parse(texts(await call('up', {}))[0]!) as Up).changed).toBe(false);
    const down = JSON.parse(texts(await call('down', {}))[0]!) as { stopped: { task: { service: string; status: string } }[] };
    expect(down.stopped.map(({ task }) => task.service)).toEqual(['api', 'db']);
    expect(down.stopped.every(({ task }) => task.status !== 'running')).toBe(true);

    writeFileSync(join(dir, 'ghost.yaml'), 'services:\n  db:\n    comand: [sleep, "300"]\n');
    const bad = await call('up', {});
    expect(bad.isError).toBe(true);
    expect(texts(bad)[0]).toMatch(/ghost\.yaml:3:5: .*did you mean "command"/);
    expect(texts(bad)[0]!.split('\n')).toHaveLength(1);
  });
});
