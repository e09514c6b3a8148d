import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SUPERVISION_OPTIONS } from '../tasks/supervision-options.js';
import { ghostFileJSONSchema } from './schema.js';

const FILE = join(import.meta.dirname, '..', '..', 'ghost.schema.json');

describe('ghost.schema.json', () => {
  it('is the schema generated from the code (regenerate: pnpm -C packages/ghost-core run schema)', () => {
    const generated = `${JSON.stringify(ghostFileJSONSchema(), null, 2)}\n`;
    if (process.env.GHOST_WRITE_SCHEMA === '1') writeFileSync(FILE, generated);
    expect(readFileSync(FILE, 'utf8')).toBe(generated);
  });

  it('has every supervision option as a service key, refuses unknown keys and allows x- ones', () => {
    const schema = JSON.parse(readFileSync(FILE, 'utf8'));
    const service = schema.properties.services.additionalProperties;
    for (const option of SUPERVISION_OPTIONS) expect(service.properties[option.field]?.description).toBe(option.description);
    expect(service.additionalProperties).toBe(false);
    expect(schema.additionalProperties).toBe(false);
    expect(Object.keys(schema.patternProperties)).toEqual(['^x-']);
    expect(service.required).toEqual(['command']);
  });
});
