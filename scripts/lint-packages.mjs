#!/usr/bin/env node
// Every publishable package as its tarball: packed as `pnpm publish` would pack it (workspace:
// and catalog: ranges written out), then checked by publint (the manifest, its exports and bins)
// and by @arethetypeswrong/cli (that each export's types resolve as declared).
//
// The libraries (@ghost/core, @ghost/mcp) are ESM only, so attw checks them with its esm-only
// profile: it skips node10 (no exports support) and `require()` from CommonJS under node16
// resolution. Those failures are what an ESM-only package is, not a defect: its exports offer
// only the `import` condition, and CommonJS code loads it with `await import()`, which TypeScript
// types correctly. The bin-only packages (@ghost/cli, @ghost/ui) export nothing, so attw has no types to check.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const bin = join(root, 'node_modules', '.bin');
const packs = mkdtempSync(join(tmpdir(), 'ghost-packs-'));

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { encoding: 'utf8', ...options });
  return { ok: result.status === 0, output: `${result.stdout ?? ''}${result.stderr ?? ''}`.trim() };
}

let failures = 0;
try {
  for (const dir of readdirSync(join(root, 'packages')).map((name) => join(root, 'packages', name))) {
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    if (manifest.private) continue;
    const packed = run('pnpm', ['pack', '--pack-destination', packs], { cwd: dir });
    if (!packed.ok) throw new Error(`pnpm pack failed in ${dir}:\n${packed.output}`);
    const tarball = join(packs, readdirSync(packs).find((file) => file.startsWith(manifest.name.slice(1).replace('/', '-'))));
    const checks = [['publint', ['run', tarball, '--strict']]];
    if (manifest.exports) checks.push(['attw', [tarball, '--profile', 'esm-only', '--no-color', '--no-emoji', '--format', 'table-flipped']]);
    for (const [tool, args] of checks) {
      const result = run(join(bin, tool), args);
      if (result.ok) continue;
      failures += 1;
      console.error(`${manifest.name}: ${tool} found problems:\n${result.output}\n`);
    }
  }
} finally {
  rmSync(packs, { recursive: true, force: true });
}
if (failures > 0) process.exit(1);
console.log('packages: publint and attw found no problem');
