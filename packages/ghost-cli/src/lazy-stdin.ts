import type { Readable } from 'node:stream';

// Clipanion reads `process.stdin` when it loads (for its default context), and the first read
// builds a stream: about 3 ms of every command, although no ghost command reads stdin. This
// module, imported before clipanion, hands it a stand-in that builds the real stream only if
// something actually uses it; `restoreStdin()` puts the real property back afterwards.
const real = Object.getOwnPropertyDescriptor(process, 'stdin')!;
const realStdin = (): Readable => (real.get ? real.get.call(process) : real.value) as Readable;

export const lazyStdin = new Proxy({} as Readable, {
  get(_target, key) {
    const stdin = realStdin();
    const value = Reflect.get(stdin, key, stdin) as unknown;
    return typeof value === 'function' ? value.bind(stdin) : value;
  },
});

Object.defineProperty(process, 'stdin', { configurable: true, enumerable: true, get: () => lazyStdin });

export function restoreStdin(): void {
  Object.defineProperty(process, 'stdin', real);
}
