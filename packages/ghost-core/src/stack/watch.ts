// What `ghost up --watch` reacts to: the project file, and the files under each service's
// `watch` paths. fs.watch does the work (recursive where the platform has it); nothing polls.
import { type FSWatcher, statSync, watch } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { StackSpec } from './model.js';

/**
 * A change, once its burst of notifications has settled (see `debounceMs`): the project file
 * or an env file changed (re-read the file and apply it), or files under a service's watch paths did (restart it).
 * `paths` are relative to the project file's directory, with `/` separators, in the order seen.
 */
export type StackWatchEvent = { kind: 'file'; paths: string[] } | { kind: 'service'; service: string; paths: string[] };

export interface WatchStackOptions {
  /** A change is reported once no further one has come for this long (default 300 ms). */
  debounceMs?: number | undefined;
}

export interface StackWatcher {
  /** Watches what another revision of the stack names instead (after a project-file change). */
  update(stack: StackSpec): void;
  close(): void;
}

/**
 * Calls `onEvent` when the stack's project file or one of its env files changes (also when an
 * editor replaces it: their directories are watched), or when files change under a service's
 * `watch` paths (globs with `*`, `**`, `?` and `{a,b}`; a path names everything under it),
 * except those its `ignore` patterns name (relative to the file's directory like the paths; a
 * pattern without `/` matches at any depth, as in .gitignore). Changes within `debounceMs` of
 * each other make one event per service.
 */
export function watchStack(stack: StackSpec, onEvent: (event: StackWatchEvent) => void, options: WatchStackOptions = {}): StackWatcher {
  const debounceMs = options.debounceMs ?? 300;
  const pending = new Map<string, { timer: NodeJS.Timeout; event: StackWatchEvent }>();
  let watchers: FSWatcher[] = [];
  let closed = false;

  const report = (key: string, event: StackWatchEvent, path: string) => {
    const seen = pending.get(key);
    if (seen) clearTimeout(seen.timer);
    const current = seen?.event ?? event;
    if (!current.paths.includes(path)) current.paths.push(path);
    const timer = setTimeout(() => {
      pending.delete(key);
      if (!closed) onEvent(current);
    }, debounceMs);
    pending.set(key, { timer, event: current });
  };

  const open = (spec: StackSpec) => {
    const services = spec.services
      .filter((service) => service.watch && service.watch.paths.length > 0)
      .map((service) => ({
        name: service.name,
        paths: service.watch!.paths.map(compileGlob),
        ignore: service.watch!.ignore.map((pattern) => compileGlob(pattern.includes('/') ? pattern : `**/${pattern}`)),
      }));
    const fileNames = new Set([spec.file, ...spec.services.flatMap((service) => service.envFiles ?? [])].map((file) => relativePath(spec.dir, file)));
    const onChange = (base: string) => (_type: string, name: string | Buffer | null) => {
      if (closed || name === null) return;
      const path = relativePath(spec.dir, join(base, name.toString()));
      // The project file (or an env file) is applied, never taken as a service's source too.
      if (fileNames.has(path)) return report('', { kind: 'file', paths: [] }, path);
      for (const service of services) {
        if (service.paths.some((glob) => glob.test(path)) && !service.ignore.some((glob) => glob.test(path))) {
          report(`service:${service.name}`, { kind: 'service', service: service.name, paths: [] }, path);
        }
      }
    };
    // The file's directory, not the file: an editor that saves by renaming replaces the inode.
    const targets = new Map<string, boolean>([...fileNames].map((name) => [dirname(resolve(spec.dir, name)), false]));
    for (const service of spec.services) {
      for (const pattern of service.watch?.paths ?? []) {
        const base = resolve(spec.dir, globBase(pattern));
        const isDir = isDirectory(base);
        const target = isDir ? base : dirname(base);
        targets.set(target, (targets.get(target) ?? false) || isDir);
      }
    }
    for (const [target, recursive] of targets) {
      const watcher = watchDir(target, recursive, onChange(target));
      if (watcher) watchers.push(watcher);
    }
  };

  open(stack);
  return {
    update(next) {
      for (const watcher of watchers) watcher.close();
      watchers = [];
      if (!closed) open(next);
    },
    close() {
      closed = true;
      for (const { timer } of pending.values()) clearTimeout(timer);
      pending.clear();
      for (const watcher of watchers) watcher.close();
      watchers = [];
    },
  };
}

function watchDir(dir: string, recursive: boolean, listener: (type: string, name: string | Buffer | null) => void): FSWatcher | undefined {
  for (const options of recursive ? [{ recursive: true }, {}] : [{}]) {
    try {
      const watcher = watch(dir, { persistent: true, ...options }, listener);
      watcher.on('error', () => {});
      return watcher;
    } catch {
      // No recursive watching here (or the directory is gone): try the next way, or skip it.
    }
  }
  return undefined;
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function relativePath(dir: string, path: string): string {
  const rel = isAbsolute(path) ? relative(dir, path) : path;
  return rel.split(sep).join('/');
}

/** The leading part of a pattern that has no glob characters: what to watch. */
function globBase(pattern: string): string {
  const segments = pattern.split('/');
  const first = segments.findIndex((segment) => /[*?{[]/.test(segment));
  const base = (first === -1 ? segments : segments.slice(0, first)).join('/');
  return base === '' ? '.' : base;
}

/** A pattern as a regular expression over `/`-separated relative paths. */
export function compileGlob(pattern: string): RegExp {
  const clean = pattern.replace(/^\.\//, '').replace(/\/+$/, '');
  let source = '';
  for (let i = 0; i < clean.length; i++) {
    const char = clean[i]!;
    if (char === '*' && clean[i + 1] === '*') {
      // `**/` is any number of directories (none too); a final `**` anything below.
      if (clean[i + 2] === '/') {
        source += '(?:[^/]*/)*';
        i += 2;
      } else {
        source += '.*';
        i += 1;
      }
    } else if (char === '*') source += '[^/]*';
    else if (char === '?') source += '[^/]';
    else if (char === '{') {
      const end = clean.indexOf('}', i);
      if (end === -1) source += '\\{';
      else {
        source += `(?:${clean.slice(i + 1, end).split(',').map(escapeRegExp).join('|')})`;
        i = end;
      }
    } else source += escapeRegExp(char);
  }
  return new RegExp(clean === '.' || clean === '' ? '^' : `^${source}(?:/|$)`);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
