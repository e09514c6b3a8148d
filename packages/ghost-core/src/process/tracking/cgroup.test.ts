import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cgroupMounts, cgroupPlace, findPlace, ownCgroup, warmMigration } from './cgroup.js';

/** This machine's cgroup v2 place, when this process may make cgroups there. */
const place = cgroupPlace();

const HYBRID = [
  '31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755',
  '35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory',
  '39 31 0:36 / /sys/fs/cgroup/pids rw,relatime - cgroup cgroup rw,pids',
  '40 31 0:37 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,xattr,release_agent=/x,name=systemd',
  '41 31 0:38 / /sys/fs/cgroup/un\\040ified rw,relatime shared:9 - cgroup2 cgroup2 rw',
].join('\n');

describe('cgroupMounts', () => {
  it('reads v1 hierarchies with their controllers and the v2 mount, unescaping paths', () => {
    expect(cgroupMounts(HYBRID)).toEqual([
      { version: 1, path: '/sys/fs/cgroup/memory', root: '/', controllers: ['memory'] },
      { version: 1, path: '/sys/fs/cgroup/pids', root: '/', controllers: ['pids'] },
      { version: 1, path: '/sys/fs/cgroup/systemd', root: '/', controllers: ['name=systemd'] },
      { version: 2, path: '/sys/fs/cgroup/un ified', root: '/', controllers: [] },
    ]);
  });
});

describe('ownCgroup', () => {
  it('is the v2 line of /proc/self/cgroup', () => {
    expect(ownCgroup('4:memory:/a\n0::/user.slice/x.scope\n')).toBe('/user.slice/x.scope');
    expect(ownCgroup('4:memory:/a\n')).toBeNull();
  });
});

describe('findPlace', () => {
  const v2 = [{ version: 2 as const, path: '/sys/fs/cgroup', root: '/', controllers: [] }];

  it('as root, at the top of the hierarchy', () => {
    expect(findPlace(v2, '/', () => true)).toEqual({ mount: '/sys/fs/cgroup', own: '/sys/fs/cgroup', base: '/sys/fs/cgroup' });
  });

  it("on a desktop, the user's delegated service, not the terminal's scope", () => {
    const own = '/user.slice/user-1000.slice/user@1000.service/app.slice/vte-spawn-1.scope';
    const delegated = (dir: string) => dir.includes('/user@1000.service');
    expect(findPlace(v2, own, delegated)?.base).toBe('/sys/fs/cgroup/user.slice/user-1000.slice/user@1000.service');
  });

  it('nowhere when nothing is writable, or without cgroup v2', () => {
    expect(findPlace(v2, '/system.slice/x.service', () => false)?.base).toBeNull();
    expect(findPlace([], '/', () => true)).toBeNull();
    expect(findPlace(v2, null, () => true)).toBeNull();
  });

  it('maps a cgroup below the root of a mount that does not show the whole hierarchy', () => {
    const mounts = [{ version: 2 as const, path: '/sys/fs/cgroup', root: '/docker/abc', controllers: [] }];
    expect(findPlace(mounts, '/docker/abc/inner', () => true)).toEqual({
      mount: '/sys/fs/cgroup',
      own: '/sys/fs/cgroup/inner',
      base: '/sys/fs/cgroup',
    });
    expect(findPlace(mounts, '/elsewhere', () => true)).toBeNull();
  });
});

describe('warmMigration', () => {
  it.skipIf(place?.base == null)('moves nothing: this process stays in its own cgroup', async () => {
    const before = readFileSync('/proc/self/cgroup', 'utf8');
    await warmMigration(place!.own);
    expect(readFileSync('/proc/self/cgroup', 'utf8')).toBe(before);
  });

  it('settles, and does nothing, where there is no cgroup to write to', async () => {
    await expect(warmMigration('/nonexistent/cgroup')).resolves.toBeUndefined();
  });
});
