#!/usr/bin/env node
// The API report of @ghost/core: every entry in its package exports (`.`, `./stack`, `./format`),
// as api-extractor reads it from the built declarations, in api/<entry>.api.md. Run after a build:
//   pnpm --filter @ghost/core api           rewrite the reports (commit them with the change)
//   node scripts/api-report.mjs --check     exit 1, naming the entries, if a report is out of date
import { Extractor, ExtractorConfig } from '@microsoft/api-extractor';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const UPDATE_COMMAND = 'pnpm --filter @ghost/core api';
const packageDir = dirname(dirname(fileURLToPath(import.meta.url)));
const manifest = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8'));

/** Each code entry of the package exports: its report name and its declarations. */
export function apiEntries() {
  return Object.entries(manifest.exports)
    .filter(([, target]) => typeof target === 'object' && target.types)
    .map(([key, target]) => ({ name: key === '.' ? 'ghost-core' : `ghost-core-${key.slice(2)}`, types: join(packageDir, target.types) }));
}

/** Writes the reports (update) or compares them with the checked-in ones; returns the entries that differ. */
export function apiReport({ update }) {
  const scratch = mkdtempSync(join(tmpdir(), 'ghost-api-'));
  try {
    return apiEntries().filter((entry) => {
      const config = ExtractorConfig.prepare({
        configObject: {
          projectFolder: packageDir,
          mainEntryPointFilePath: entry.types,
          compiler: { tsconfigFilePath: join(packageDir, 'tsconfig.build.json') },
          apiReport: { enabled: true, reportFileName: `${entry.name}.api.md`, reportFolder: join(packageDir, 'api'), reportTempFolder: scratch },
          docModel: { enabled: false },
          dtsRollup: { enabled: false },
          tsdocMetadata: { enabled: false },
          messages: {
            // ghost has one release level (everything exported is public), so no @public tags.
            extractorMessageReporting: { 'ae-missing-release-tag': { logLevel: 'none' },
              // Doc coverage is TypeDoc's to report (`pnpm --filter @ghost/core docs`), not the API's.
              'ae-undocumented': { logLevel: 'none', addToApiReportFile: false }, default: { logLevel: 'warning', addToApiReportFile: true } },
            tsdocMessageReporting: { default: { logLevel: 'none' } },
            compilerMessageReporting: { default: { logLevel: 'warning' } },
          },
        },
        configObjectFullPath: join(packageDir, 'api', 'api-extractor.json'),
        packageJsonFullPath: join(packageDir, 'package.json'),
      });
      const result = Extractor.invoke(config, { localBuild: update, showVerboseMessages: false, messageCallback: quiet });
      if (!result.succeeded && !result.apiReportChanged) throw new Error(`api-extractor failed on ${entry.types}`);
      return result.apiReportChanged;
    });
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** api-extractor's own notes ("You have changed the public API…", the report paths) say nothing the caller does not. */
function quiet(message) {
  if (message.category === 'Extractor' && message.messageId === 'console-api-report-changed') message.handled = true;
  if (message.logLevel === 'info' || message.logLevel === 'verbose') message.handled = true;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const check = process.argv.includes('--check');
  const changed = apiReport({ update: !check });
  if (check && changed.length > 0) {
    console.error(`the public API of @ghost/core changed (${changed.map((entry) => `api/${entry.name}.api.md`).join(', ')}): run \`${UPDATE_COMMAND}\` and commit the report`);
    process.exit(1);
  }
}
