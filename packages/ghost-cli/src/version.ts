declare const __GHOST_VERSION__: string | undefined;

/** Inlined by the bundler from package.json; unbundled (tests) it reads as a dev build. */
export const VERSION = typeof __GHOST_VERSION__ === 'string' ? __GHOST_VERSION__ : '0.0.0-dev';

/** The flags that print VERSION, as clipanion's version command takes them. */
export const VERSION_FLAGS: readonly string[] = ['--version', '-v'];
