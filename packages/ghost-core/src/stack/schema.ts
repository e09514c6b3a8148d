// The ghost.yaml schema, declared once: the TypeScript types (`GhostFile`), the validation and
// the JSON Schema editors read (ghost.schema.json) all come from it. The supervision keys are
// made from core's SUPERVISION_OPTIONS table, so a new `run` option is a new service key too.
import { z } from 'zod';
import { SUPERVISION_OPTIONS, type SupervisionOption } from '../tasks/supervision-options.js';
import { DEPENDENCY_CONDITIONS } from './model.js';
import { PROJECT_NAME } from './find-file.js';

// A command validates one file once: zod's compiled fast path (new Function per object schema,
// ~20 ms to build) costs more than it saves for that.
z.config({ jitless: true });

const durationOrNumber = z.union([z.string(), z.number().nonnegative()]);

function supervisionField(option: SupervisionOption): z.ZodType {
  const schema = (() => {
    switch (option.kind) {
      case 'choice':
        return z.enum(option.choices as [string, ...string[]]);
      case 'integer':
        return z.int().min(option.min ?? 0);
      case 'number':
        return z.number().positive();
      case 'duration':
      case 'size':
        return durationOrNumber;
      case 'text':
      case 'range':
        return z.string();
    }
  })();
  return schema.describe(option.description);
}

const supervisionShape = Object.fromEntries(SUPERVISION_OPTIONS.map((option) => [option.field, supervisionField(option)]));

const stringList = z.array(z.string());

export const serviceSchema = z
  .strictObject({
    command: z
      .union([z.string(), stringList])
      .describe('The command: an argv list, or a string run by /bin/sh -c'),
    cwd: z.string().describe('The working directory, relative to this file (default: its directory)'),
    env: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).describe('Environment variables to add'),
    env_file: z.union([z.string(), stringList]).describe('.env files (KEY=VALUE lines), relative to this file; env wins over them'),
    depends_on: z
      .union([
        z.array(z.string()),
        z.record(z.string(), z.strictObject({ condition: z.enum(DEPENDENCY_CONDITIONS as [string, ...string[]]) })),
      ])
      .describe('Services to wait for: a list (started), or a map of name to {condition: started|healthy|completed_successfully}'),
    description: z.string(),
    watch: z
      .union([stringList, z.strictObject({ paths: stringList, ignore: stringList.optional() })])
      .describe('Paths or globs, relative to this file, that restart the service under `ghost up --watch`'),
    stop_signal: z.union([z.string(), z.int()]).describe('The signal `ghost down` sends first (default TERM)'),
    stop_timeout: durationOrNumber.describe('How long `ghost down` waits before SIGKILL'),
    ...supervisionShape,
  })
  .partial()
  .required({ command: true });

export const SERVICE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

export const ghostFileSchema = z.strictObject({
  name: z.string().regex(PROJECT_NAME, 'a project name is lowercase letters, digits, _ and -').optional(),
  services: z.record(z.string().regex(SERVICE_NAME, 'a service name is letters, digits, ., _ and -'), serviceSchema),
});

/** A ghost.yaml as written (after `x-*` extension keys are set aside). */
export type GhostFile = z.infer<typeof ghostFileSchema>;
export type GhostService = z.infer<typeof serviceSchema>;

/** Extension keys (`x-anything`), allowed at the top level and in a service, as in docker compose. */
export const EXTENSION_KEY = /^x-/;

/** The JSON Schema of ghost.yaml, for editors (`# yaml-language-server: $schema=...`). */
export function ghostFileJSONSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(ghostFileSchema, { target: 'draft-2020-12' }) as unknown as Record<string, unknown> & {
    properties: { services: { additionalProperties: Record<string, unknown> } };
  };
  const extensions = { [EXTENSION_KEY.source]: {} };
  schema.patternProperties = extensions;
  schema.properties.services.additionalProperties.patternProperties = extensions;
  return {
    $schema: schema.$schema,
    title: 'ghost.yaml',
    description: 'A ghost project file: the services `ghost up` runs',
    ...schema,
  };
}
