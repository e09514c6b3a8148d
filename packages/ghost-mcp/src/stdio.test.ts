import { Ghost } from '@ghost/core';
import { tempDir } from '@ghost/test-support';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { serveStdio } from './stdio.js';

let dir: string;
let ghost: Ghost;

beforeEach(() => {
  dir = tempDir('ghost-mcp-stdio-');
  ghost = Ghost.open({ dataDir: join(dir, 'data') });
});

afterEach(() => {
  ghost.close();
});

function nextMessage(stream: PassThrough): Promise<Record<string, unknown>> {
  return new Promise((resolve) => {
    let buffer = '';
    const onData = (chunk: Buffer) => {
      buffer += chunk.toString();
      const newline = buffer.indexOf('\n');
      if (newline < 0) return;
      stream.off('data', onData);
      resolve(JSON.parse(buffer.slice(0, newline)) as Record<string, unknown>);
    };
    stream.on('data', onData);
  });
}

it('answers newline-delimited JSON-RPC and resolves when its input ends', async () => {
  const stdin = new PassThrough();
  const stdout = new PassThrough();
  const served = serveStdio(ghost, { stdin, stdout, cwd: dir });
  const reply = nextMessage(stdout);
  stdin.write(
    `${JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'test', version: '1' } },
    })}\n`,
  );
  expect(await reply).toMatchObject({ id: 1, result: { serverInfo: { name: 'ghost' } } });
  stdin.end();
  await served;
  // The caller's Ghost is still usable: serveStdio never closes it.
  expect(ghost.list()).toEqual([]);
});
