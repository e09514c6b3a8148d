export { git } from './git.js';
export { tempDir } from './temp-dir.js';
export { type Truthy, type WaitOptions, waitFor } from './wait-for.js';
export { type ScreenPattern, waitForScreen } from './wait-for-screen.js';
