// The suite tests the built binaries: fail at once, with the fix, if they are missing.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './harness.js';

export default function checkBuilt(): void {
  const missing = ['packages/ghost-core/dist/index.js', 'packages/ghost-cli/dist/main.cjs'].filter(
    (file) => !existsSync(join(REPO_ROOT, file)),
  );
  if (missing.length > 0) {
    throw new Error(`e2e tests need a build (missing ${missing.join(', ')}); run: pnpm turbo run build`);
  }
}
