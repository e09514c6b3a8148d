// What live front ends (the terminal UI, event streams) build on: rerun, remove, ports,
// change notifications and incremental log reading, with real processes.
import { tempDir, waitFor } from '@ghost/test-support';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LogLines } from './logs/log-lines.js';
import { openGhost, waitForEnd } from './test-support/ghosts.js';

describe('rerun and remove', () => {
  it('reruns a task as a new one with the same argv, cwd, recorded environment and name', async () => {
    const ghost = openGhost();
    const cwd = tempDir();
    const first = await ghost.run({ command: ['sh', '-c', 'echo "$GREETING from $PWD"'], cwd, name: 'hello', env: { GREETING: 'hi' } });
    await waitForEnd(ghost, first.id);
    const again = await ghost.rerun('hello');
    await waitForEnd(ghost, again.id);
    expect(again.id).not.toBe(first.id);
    expect(again).toMatchObject({ name: 'hello', cwd, command: first.command });
    expect(ghost.readLog(again.id).toString()).toBe(`hi from ${cwd}\n`);
  });

  it('removes an ended task with its log and refuses a running one', async () => {
    const ghost = openGhost();
    const done = await ghost.run({ command: ['true'] });
    const live = await ghost.run({ command: ['sleep', '30'] });
    await waitForEnd(ghost, done.id);
    expect(ghost.remove(done.id).id).toBe(done.id);
    expect(existsSync(done.logPath)).toBe(false);
    expect(() => ghost.status(done.id)).toThrow(/no task matches/);
    expect(() => ghost.remove(live.id)).toThrow(/is running; nothing was removed/);
    expect(ghost.status(live.id).status).toBe('running');
  });
});

describe('ports', () => {
  it('lists the listening ports of the whole process tree, TCP and UDP', async () => {
    const ghost = openGhost();
    const server = `
      const net = require('net'), dgram = require('dgram');
      const tcp = net.createServer().listen(0, '127.0.0.1', () => {
        const udp = dgram.createSocket('udp4').bind(0, '127.0.0.1', () => {
          console.log(JSON.stringify({ tcp: tcp.address().port, udp: udp.address().port, pid: process.pid }));
        });
      });`;
    // The listener is a child of the task's command, not the command itself.
    const task = await ghost.run({ command: ['sh', '-c', `"${process.execPath}" -e "$SERVER" & wait`], env: { SERVER: server } });
    const info = await waitFor(() => {
      const text = readFileSync(task.logPath, 'utf8').trim();
      return text ? (JSON.parse(text) as { tcp: number; udp: number; pid: number }) : undefined;
    });
    const ports = await ghost.ports(task.id);
    expect(ports).toEqual(
      expect.arrayContaining([
        { protocol: 'tcp', address: '127.0.0.1', port: info.tcp, pid: info.pid },
        { protocol: 'udp', address: '127.0.0.1', port: info.udp, pid: info.pid },
      ]),
    );
    // Of several tasks at once, each socket with its task; an ended task has none.
    const ended = await ghost.run({ command: ['true'] });
    await waitFor(() => ghost.status(ended.id).status === 'exited');
    const everyRunning = await ghost.taskPorts();
    expect(everyRunning.map(({ task: owner, port }) => [owner.id, port.port])).toEqual(expect.arrayContaining([[task.id, info.tcp], [task.id, info.udp]]));
    expect((await ghost.taskPorts([ended.id, task.id])).every(({ task: owner }) => owner.id === task.id)).toBe(true);
    await ghost.stop(task.id);
    expect(await ghost.ports(task.id)).toEqual([]);
    expect(await ghost.taskPorts()).toEqual([]);
  });
});

describe('watch', () => {
  it('reports changes made by other processes: a task starts, ends, is removed', async () => {
    const dataDir = join(tempDir(), 'ghost');
    const watcher = openGhost(dataDir);
    const other = openGhost(dataDir);
    let changes = 0;
    const watch = watcher.watch(() => changes++, { debounceMs: 10 });
    try {
      const task = await other.run({ command: ['sleep', '0.2'] });
      await waitFor(() => changes >= 1);
      const before = changes;
      // The exit record the supervisor drops is a change too.
      await waitFor(() => changes > before && watcher.status(task.id).status === 'exited');
      const beforeRemove = changes;
      other.remove(task.id);
      await waitFor(() => changes > beforeRemove);
    } finally {
      watch.close();
    }
  });
});

describe('events', () => {
  it('streams the starts, ends and stops that another process causes', async () => {
    const dataDir = join(tempDir(), 'ghost');
    const watcher = openGhost(dataDir);
    const other = openGhost(dataDir);
    const controller = new AbortController();
    const seen: string[] = [];
    const stream = (async () => {
      for await (const event of watcher.events({ signal: controller.signal })) seen.push(`${event.type} ${event.task.name}`);
    })();
    // Let the stream take its baseline before anything happens.
    await new Promise((resolve) => setImmediate(resolve));
    const quick = await other.run({ command: ['sh', '-c', 'sleep 0.2; exit 3'], name: 'quick' });
    const server = await other.run({ command: ['sleep', '30'], name: 'server' });
    await waitFor(() => seen.includes('exited quick') && seen.includes('started server'));
    await other.stop(server.id);
    other.remove(quick.id);
    await waitFor(() => seen.includes('killed server') && seen.includes('removed quick'));
    controller.abort();
    await stream;
    expect(seen.indexOf('started quick')).toBeLessThan(seen.indexOf('exited quick'));
  });
});

describe('openLog', () => {
  it('feeds a bounded, sanitised line view incrementally', async () => {
    const ghost = openGhost();
    const task = await ghost.run({ command: ['sh', '-c', 'printf "\\033[2Jone\\n\\033[32mtwo\\033[0m\\n"; sleep 0.3; echo three'] });
    const reader = ghost.openLog(task.id);
    const lines = new LogLines(100);
    try {
      await waitFor(() => {
        const { data, truncated } = reader.read();
        if (truncated) lines.clear();
        lines.push(data);
        return lines.toArray().includes('three');
      });
      expect(lines.toArray()).toEqual(['one', '\x1b[32mtwo\x1b[0m', 'three']);
    } finally {
      reader.close();
    }
  });
});
