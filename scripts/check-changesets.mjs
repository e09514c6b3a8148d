#!/usr/bin/env node
// The changesets, checked twice:
// 1. `changeset status` against the last release: every package changed since then has a
//    changeset waiting, and every waiting changeset parses and names real packages. The last
//    release is the newest release tag (`@ghost/core@0.2.0`, as `changeset publish` tags)
//    reachable from HEAD, else the first commit. A fixed base, unlike the default (the merge base
//    with main), so the check means the same on main, on a branch and in a fresh clone.
// 2. `changeset version` in a scratch copy of the work tree: the release it would make, each
//    package's new version and CHANGELOG.md. The versioning itself is the release's own step
//    (it consumes the changesets), so it is rehearsed here and never applied to the repo.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const changeset = join(root, 'node_modules', '.bin', 'changeset');
const git = (...args) => spawnSync('git', args, { cwd: root, encoding: 'utf8' });

function fail(message) {
  console.error(`check-changesets: ${message}`);
  process.exit(1);
}

const tag = git('describe', '--tags', '--abbrev=0', '--match', '@ghost/*@*');
const since = tag.status === 0 ? tag.stdout.trim() : git('rev-list', '--max-parents=0', 'HEAD').stdout.trim().split('\n').at(-1);
if (!since) fail('cannot find the last release or the first commit (a shallow clone?)');
const status = spawnSync(changeset, ['status', `--since=${since}`], { cwd: root, encoding: 'utf8' });
if (status.status !== 0) fail(`changeset status --since=${since} failed:\n${status.stdout}${status.stderr}`);

const scratch = mkdtempSync(join(tmpdir(), 'ghost-version-'));
try {
  const files = git('ls-files', '-z', '--cached', '--others', '--exclude-standard').stdout.split('\0').filter(Boolean);
  for (const file of files) {
    if (!existsSync(join(root, file))) continue; // deleted, not yet committed
    mkdirSync(dirname(join(scratch, file)), { recursive: true });
    cpSync(join(root, file), join(scratch, file));
  }
  const version = spawnSync(changeset, ['version'], { cwd: scratch, encoding: 'utf8' });
  if (version.status !== 0) fail(`changeset version failed:\n${version.stdout}${version.stderr}`);
  const lines = [];
  for (const name of readdirSync(join(root, 'packages'))) {
    const before = JSON.parse(readFileSync(join(root, 'packages', name, 'package.json'), 'utf8'));
    if (before.private) continue;
    const after = JSON.parse(readFileSync(join(scratch, 'packages', name, 'package.json'), 'utf8'));
    if (after.version === before.version) continue;
    const changelog = join(scratch, 'packages', name, 'CHANGELOG.md');
    const text = existsSync(changelog) ? readFileSync(changelog, 'utf8') : '';
    if (!text.includes(`## ${after.version}\n`)) fail(`changeset version bumped ${before.name} to ${after.version} without a CHANGELOG.md entry for it`);
    const entries = text.split(`## ${after.version}\n`)[1].split(/\n## /)[0].match(/^- /gm)?.length ?? 0;
    lines.push(`${before.name} ${before.version} → ${after.version} (${entries} CHANGELOG entries)`);
  }
  const left = readdirSync(join(scratch, '.changeset')).filter((file) => file.endsWith('.md') && file !== 'README.md');
  if (left.length > 0) fail(`changeset version left changesets behind: ${left.join(', ')}`);
  console.log(`changesets: the next release would be ${lines.length > 0 ? lines.join('; ') : 'empty'}`);
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
