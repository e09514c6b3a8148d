#!/usr/bin/env node
// The two commands of the quick start, runnable on a machine that has only Node >= 20:
//   npm run setup   install, build, link nothing globally, and run a first task
//   npm test        install, build, typecheck and run every test (what CI runs)
// pnpm is taken from PATH when it is the pinned major, else installed into .tools/ from the
// npm registry (no global install, no root needed).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const pnpmVersion = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).packageManager.split('@')[1];
const toolsBin = join(root, '.tools', 'node_modules', '.bin');

function run(command, args, options = {}) {
  console.error(`\n$ ${[command, ...args].join(' ')}`);
  const result = spawnSync(command, args, { stdio: 'inherit', cwd: root, ...options });
  if (result.error) throw result.error;
  if (result.status !== 0) process.exit(result.status ?? 1);
}

function pnpmMajorOnPath() {
  const result = spawnSync('pnpm', ['--version'], { encoding: 'utf8' });
  return result.status === 0 ? result.stdout.trim().split('.')[0] : undefined;
}

function ensurePnpm() {
  // Turbo runs package scripts through pnpm, so it must be on PATH for child processes too.
  process.env.PATH = `${toolsBin}:${process.env.PATH}`;
  if (pnpmMajorOnPath() === pnpmVersion.split('.')[0]) return;
  const tools = join(root, '.tools');
  mkdirSync(tools, { recursive: true });
  writeFileSync(join(tools, 'package.json'), '{ "private": true }\n');
  run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', `pnpm@${pnpmVersion}`], { cwd: tools });
}

function install() {
  const frozen = process.env.CI ? ['--frozen-lockfile'] : [];
  run('pnpm', ['install', ...frozen]);
}

const TEST_PACKAGES = ['packages/test-support', 'packages/ghost-core', 'packages/ghost-cli', 'packages/ghost-ui', 'packages/ghost-mcp', 'e2e'];

/**
 * What runs again on each other Node named by GHOST_TEST_NODES (paths to node binaries, joined
 * by ':'; CI fetches Node 22 and 24): the e2e suite, as users run the built ghost there, and
 * core's suite on node:sqlite, so that both SQLite drivers pass the same tests.
 */
const OTHER_NODE_PACKAGES = [
  { dir: 'packages/ghost-core', env: { GHOST_SQLITE_DRIVER: 'node:sqlite' } },
  { dir: 'e2e', env: {} },
];

/**
 * What failed in one vitest JSON report, a line each: the report's name (which names the Node),
 * the test file, the test's full name and its message's first line. Files that failed to load
 * have no tests, only a message.
 */
function failuresOf(file, report) {
  const lines = [];
  for (const result of report.testResults ?? []) {
    const where = `${relative(root, file)}: ${relative(root, result.name)}`;
    const failed = (result.assertionResults ?? []).filter((test) => test.status === 'failed');
    for (const test of failed) lines.push(`${where} > ${test.fullName}: ${firstLine(test.failureMessages?.[0])}`);
    if (result.status === 'failed' && failed.length === 0) lines.push(`${where}: ${firstLine(result.message)}`);
  }
  return lines;
}

const firstLine = (text) => (text ?? '').trim().split('\n')[0].slice(0, 300);

/**
 * One closing block for every test run together, from vitest's JSON reports: what failed, if
 * anything, then the totals. It is printed last so that a log's tail says which test failed.
 */
function printTotals(reports) {
  const totals = { passed: 0, failed: 0, skipped: 0 };
  const failures = [];
  for (const file of reports) {
    if (!existsSync(file)) {
      failures.push(`${relative(root, file)}: no test results`);
      totals.failed += 1;
      continue;
    }
    const report = JSON.parse(readFileSync(file, 'utf8'));
    totals.passed += report.numPassedTests;
    totals.failed += report.numFailedTests + (report.numTotalTestSuites > 0 ? 0 : 1);
    totals.skipped += report.numPendingTests + report.numTodoTests;
    failures.push(...failuresOf(file, report));
  }
  if (failures.length > 0) {
    const shown = failures.slice(0, 30).map((line) => `  ${line}`);
    if (failures.length > shown.length) shown.push(`  and ${failures.length - shown.length} more`);
    console.log(`\nfailed:\n${shown.join('\n')}`);
  }
  console.log(`\ntests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
  return totals.failed === 0;
}

/** Runs the suites of OTHER_NODE_PACKAGES with `node`; returns their reports and whether all ran. */
function testWithNode(node) {
  const version = spawnSync(node, ['--version'], { encoding: 'utf8' }).stdout?.trim();
  if (!version) {
    console.error(`GHOST_TEST_NODES: cannot run ${node}`);
    return { reports: [], ok: false };
  }
  const vitest = join(root, 'node_modules', 'vitest', 'vitest.mjs');
  const reports = [];
  let ok = true;
  for (const { dir, env } of OTHER_NODE_PACKAGES) {
    const report = join(root, dir, `test-results.${version}.json`);
    rmSync(report, { force: true });
    reports.push(report);
    console.error(`\n$ (${dir}) ${node} vitest run   # ${version}${Object.keys(env).length ? `, ${Object.entries(env).map(([k, v]) => `${k}=${v}`).join(' ')}` : ''}`);
    const result = spawnSync(node, [vitest, 'run'], {
      stdio: 'inherit',
      cwd: join(root, dir),
      env: { ...process.env, ...env, GHOST_TEST_RESULTS: report },
    });
    ok &&= result.status === 0;
  }
  return { reports, ok };
}

const task = process.argv[2];
if (task === 'test') {
  ensurePnpm();
  install();
  for (const dir of TEST_PACKAGES) rmSync(join(root, dir, 'test-results.json'), { force: true });
  const result = spawnSync('pnpm', ['turbo', 'run', 'build', 'typecheck', 'test', 'docs', 'lint:packages', 'check:changesets', '--continue', '--output-logs=new-only'], {
    stdio: 'inherit',
    cwd: root,
  });
  const reports = TEST_PACKAGES.map((dir) => join(root, dir, 'test-results.json'));
  let ok = result.status === 0;
  for (const node of (process.env.GHOST_TEST_NODES ?? '').split(':').filter(Boolean)) {
    const other = testWithNode(node);
    reports.push(...other.reports);
    ok &&= other.ok;
  }
  const passed = printTotals(reports);
  process.exit(ok && passed ? 0 : 1);
} else if (task === 'setup') {
  ensurePnpm();
  install();
  run('pnpm', ['turbo', 'run', 'build', '--output-logs=errors-only']);
  // A first task, in a throwaway data directory so that trying ghost leaves nothing behind.
  const ghost = join(root, 'packages', 'ghost-cli', 'bin', 'ghost.cjs');
  const env = { ...process.env, GHOST_DATA_DIR: mkdtempSync(join(tmpdir(), 'ghost-quickstart-')) };
  const opts = { env, stdio: 'inherit', cwd: root };
  run(process.execPath, [ghost, 'run', '--name', 'hello', '--', 'sh', '-c', 'echo "hello from a ghost task"; sleep 1; echo bye'], opts);
  run(process.execPath, [ghost, 'list'], opts);
  run(process.execPath, [ghost, 'log', '--follow', 'hello'], opts);
  run(process.execPath, [ghost, 'status', 'hello'], opts);
  console.error(`\nghost is built. Use it with: node ${ghost} --help`);
  console.error(`(or put it on your PATH: ln -s ${ghost} ~/.local/bin/ghost)`);
} else {
  console.error('usage: node scripts/dev.mjs setup|test');
  process.exit(2);
}
