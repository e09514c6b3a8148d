import { describe, expect, it } from 'vitest';
import { isGhostError } from '../errors.js';
import { SUPERVISION_OPTIONS, parseSupervisionOptions } from './supervision-options.js';

describe('the supervision options', () => {
  it('have one flag, field and key each', () => {
    for (const name of ['key', 'flag', 'field'] as const) {
      const names = SUPERVISION_OPTIONS.map((option) => option[name]);
      expect(new Set(names).size, name).toBe(names.length);
    }
    for (const option of SUPERVISION_OPTIONS) expect(option.flag.slice(2).replaceAll('-', '_')).toBe(option.field);
  });

  it('parse text and numbers alike, into what run takes', () => {
    const text = parseSupervisionOptions({ restart: 'on-failure', maxRestarts: '3', backoff: '1s..4s', memory: '64M', cpus: '0.5', logMaxFiles: '2', healthTcp: '5432', healthRetries: '2' });
    const numbers = parseSupervisionOptions({ restart: 'on-failure', maxRestarts: 3, backoff: '1s..4s', memory: '64M', cpus: 0.5, logMaxFiles: 2, healthTcp: 5432, healthRetries: 2 });
    expect(numbers).toEqual(text);
    expect(text).toMatchObject({
      restart: { policy: 'on-failure', maxRestarts: 3, backoffMinMs: 1000, backoffMaxMs: 4000 },
      limits: { memoryBytes: 64 * 1024 * 1024, cpus: 0.5 },
      logs: { maxFiles: 2 },
      health: { tcp: '5432', retries: 2 },
    });
    expect(parseSupervisionOptions({}).limits).toBeUndefined();
  });

  it('refuse a bad value naming the option', () => {
    for (const [text, argument] of [
      [{ backoff: '5s..1s' }, 'backoff'],
      [{ backoff: '0s..2d' }, 'backoff'],
      [{ memory: 'lots' }, 'memory'],
      [{ memory: '1k' }, 'memory'],
      [{ maxOpenFiles: '1.5' }, 'maxOpenFiles'],
      [{ readyLog: '(' }, 'readyLog'],
      [{ healthHttp: 'ftp://x' }, 'healthHttp'],
      [{ healthTcp: 'x:99999' }, 'healthTcp'],
      [{ healthInterval: '1ms', healthCmd: 'true' }, 'healthInterval'],
      [{ healthInterval: '5s' }, 'healthInterval'],
      [{ healthRetries: 0, healthCmd: 'true' }, 'healthRetries'],
      [{ minUptime: 'soon' }, 'minUptime'],
      [{ logMaxSize: '1' }, 'logMaxSize'],
      [{ restart: 'sometimes' }, 'restart'],
    ] as const) {
      try {
        parseSupervisionOptions(text);
        expect.unreachable(JSON.stringify(text));
      } catch (error) {
        expect(isGhostError(error) && error.code).toBe('INVALID_ARGUMENT');
        expect(isGhostError(error) && error.details.option, JSON.stringify(text)).toBe(argument);
      }
    }
  });
});
