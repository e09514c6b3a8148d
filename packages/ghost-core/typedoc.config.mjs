// Reference docs of @ghost/core from its doc comments: `pnpm --filter @ghost/core docs` writes
// them to reference/ (build output, not committed). One entry point per package export.
/** @type {Partial<import('typedoc').TypeDocOptions>} */
export default {
  entryPoints: ['src/index.ts', 'src/stack.ts', 'src/format.ts'],
  tsconfig: 'tsconfig.build.json',
  out: 'reference',
  readme: 'README.md',
  excludePrivate: true,
  treatWarningsAsErrors: true,
  // Types derived from these are public; the values themselves are how core computes them
  // (a table, a zod schema, an internal union), so the docs show the derived type's shape.
  intentionallyNotExported: ['DATA_FOLDERS', 'Tracking', 'serviceSchema', 'Facts'],
};
