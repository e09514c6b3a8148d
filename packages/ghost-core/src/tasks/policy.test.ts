import { describe, expect, it } from 'vitest';
import { isGhostError } from '../errors.js';
import { DEFAULT_HEALTH_TUNING, DEFAULT_LOGS, DEFAULT_RESTART, decodePolicy, encodePolicy, healthOptions, healthSpec, parseHealthOptions } from './policy.js';

const messageOf = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    if (isGhostError(error)) return `${error.code}: ${error.message}`;
    throw error;
  }
  return 'no error';
};

describe('health checks in a task policy', () => {
  it('parses text, fills in defaults and gives the same spec back from its options', () => {
    const spec = healthSpec(parseHealthOptions({ healthTcp: '[::1]:5432', healthInterval: '500ms', healthStartPeriod: '2s' }))!;
    expect(spec).toEqual({ probe: { kind: 'tcp', host: '::1', port: 5432 }, ...DEFAULT_HEALTH_TUNING, intervalMs: 500, startPeriodMs: 2000 });
    expect(healthSpec(healthOptions(spec))).toEqual(spec);
    expect(healthSpec(parseHealthOptions({ healthTcp: '8080' }))!.probe).toEqual({ kind: 'tcp', host: '127.0.0.1', port: 8080 });
    expect(healthSpec({})).toBeNull();
  });

  it('is stored with the task, and tasks recorded before health checks have none', () => {
    const health = healthSpec({ http: 'http://127.0.0.1:3000/health' });
    const policy = { restart: { ...DEFAULT_RESTART }, logs: { ...DEFAULT_LOGS }, health };
    expect(decodePolicy(encodePolicy(policy))).toEqual(policy);
    expect(decodePolicy(JSON.stringify({ restart: { ...DEFAULT_RESTART, policy: 'always' } })).health).toBeNull();
    expect(encodePolicy({ restart: { ...DEFAULT_RESTART }, logs: { ...DEFAULT_LOGS }, health: null })).toBeNull();
  });

  it('refuses bad values with one clear message', () => {
    expect(messageOf(() => parseHealthOptions({ healthHttp: 'ftp://host/' }))).toBe(
      'INVALID_ARGUMENT: cannot probe "ftp://host/": only http:// and https:// URLs can be checked',
    );
    expect(messageOf(() => parseHealthOptions({ readyLog: 'a(' }))).toBe('INVALID_ARGUMENT: invalid ready-log pattern /a(/: Unterminated group');
    expect(messageOf(() => parseHealthOptions({ healthCmd: 'true', healthInterval: '0' }))).toBe('INVALID_ARGUMENT: invalid health interval: 0 ms (10 ms to 24 hours)');
    expect(messageOf(() => parseHealthOptions({ healthCmd: 'true', healthTimeout: 'soon' }))).toMatch(/^INVALID_ARGUMENT: invalid health timeout "soon"/);
    expect(messageOf(() => healthSpec({ command: 'true', retries: 1.5 }))).toBe('INVALID_ARGUMENT: invalid health retries: 1.5 (a whole number from 1)');
  });
});
