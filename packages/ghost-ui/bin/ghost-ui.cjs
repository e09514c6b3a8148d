#!/usr/bin/env sh
':' //; exec node --max-semi-space-size=1 "$0" "$@"
// sh runs the line above; Node reads it as a string and a comment. It starts Node with a V8
// flag that a `#!/usr/bin/env node` line cannot pass portably: young-generation spaces of 1 MB
// (instead of up to 16 MB each), which keep the UI over 10,000 tasks under 90 MB resident at the
// cost of a few more small collections (see `pnpm bench`, whose UI figures use these flags).
require('../dist/main.cjs');
