// A service's supervision keys (the `field` names of SUPERVISION_OPTIONS), parsed by core's one
// parser; a bad value names its field, so the reader can point at its line.
import { isGhostError } from '../errors.js';
import { hasHealthCheck } from '../tasks/policy.js';
import { SUPERVISION_OPTIONS, type SupervisionText, parseSupervisionOptions } from '../tasks/supervision-options.js';
import type { ServiceSpec } from './model.js';

export type SupervisionParts = Pick<ServiceSpec, 'restart' | 'limits' | 'logs' | 'health'>;

export type SupervisionResult = { ok: true; parts: SupervisionParts } | { ok: false; field: string | undefined; message: string };

/** `fields` by field name (`max_restarts`); unknown names are not looked at. */
export function parseServiceSupervision(fields: Readonly<Record<string, unknown>>): SupervisionResult {
  const text: SupervisionText = {};
  for (const option of SUPERVISION_OPTIONS) {
    const value = fields[option.field];
    if (typeof value === 'string' || typeof value === 'number') text[option.key] = value;
  }
  try {
    const options = parseSupervisionOptions(text);
    return {
      ok: true,
      parts: {
        restart: options.restart,
        limits: options.limits,
        logs: options.logs,
        health: hasHealthCheck(options.health) ? options.health : undefined,
      },
    };
  } catch (error) {
    if (!isGhostError(error)) throw error;
    const field = SUPERVISION_OPTIONS.find((option) => option.key === error.details.option)?.field;
    return { ok: false, field, message: error.message };
  }
}
