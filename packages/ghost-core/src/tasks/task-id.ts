import { closeSync, openSync, readSync } from 'node:fs';

/**
 * A random (version 4) UUID for a new task. Read from /dev/urandom through `fs`, which every
 * command has loaded anyway: loading node:crypto for one UUID costs a few ms of start-up, and
 * start-up is most of what `ghost run` costs. Falls back to crypto where the device is missing.
 */
export function newTaskId(): string {
  const bytes = Buffer.alloc(16);
  try {
    const fd = openSync('/dev/urandom', 'r');
    try {
      if (readSync(fd, bytes, 0, 16, null) !== 16) throw new Error('short read');
    } finally {
      closeSync(fd);
    }
  } catch {
    return process.getBuiltinModule('node:crypto').randomUUID();
  }
  bytes[6] = (bytes[6]! & 0x0f) | 0x40; // version 4
  bytes[8] = (bytes[8]! & 0x3f) | 0x80; // RFC 4122 variant
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
