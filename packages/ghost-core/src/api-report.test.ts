import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { expect, it } from 'vitest';

// The checked-in API reports (api/*.api.md) against the built declarations: a change to the
// public surface must come with its report, so that a reviewer sees it.
it('the public API matches its checked-in report', () => {
  const check = spawnSync(process.execPath, [join(import.meta.dirname, '..', 'scripts', 'api-report.mjs'), '--check'], { encoding: 'utf8' });
  if (check.status !== 0) expect.fail(check.stderr.trim().split('\n').at(-1));
}, 60_000);
