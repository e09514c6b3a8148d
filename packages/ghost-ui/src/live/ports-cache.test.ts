import type { ListeningPort } from '@ghost/core';
import { waitFor } from '@ghost/test-support';
import { describe, expect, it } from 'vitest';
import { PortsCache } from './ports-cache.js';

const PORT: ListeningPort = { protocol: 'tcp', address: '127.0.0.1', port: 4000, pid: 42 };

describe('PortsCache', () => {
  it('answers at once, fetches in the background, and refetches only when stale', async () => {
    let clock = 0;
    let fetches = 0;
    const updates: string[] = [];
    const cache = new PortsCache(
      async () => {
        fetches++;
        return [PORT];
      },
      (id) => updates.push(id),
      2_000,
      () => clock,
    );
    expect(cache.get('a')).toEqual({ state: 'loading' });
    expect(fetches).toBe(0); // not even started inside the caller's render
    await waitFor(() => updates.length === 1);
    expect(cache.get('a')).toEqual({ state: 'ready', ports: [PORT] });
    clock = 1_999;
    cache.get('a');
    clock = 2_000;
    expect(cache.get('a')).toEqual({ state: 'ready', ports: [PORT] }); // stale is shown while refetching
    await waitFor(() => updates.length === 2);
    expect(fetches).toBe(2);
  });

  it('reports a failed fetch', async () => {
    const cache = new PortsCache(
      async () => {
        throw new Error('no lsof');
      },
      () => {},
    );
    cache.get('a');
    await waitFor(() => cache.get('a').state === 'failed');
    expect(cache.get('a')).toEqual({ state: 'failed', message: 'no lsof' });
  });
});
