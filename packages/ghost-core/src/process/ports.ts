import { readFileSync, readdirSync, readlinkSync } from 'node:fs';

/** A socket a task's process listens on. */
export interface ListeningPort {
  protocol: 'tcp' | 'udp';
  /** The local address, e.g. "127.0.0.1", "0.0.0.0", "::". */
  address: string;
  port: number;
  /** The process holding the socket. */
  pid: number;
}

/**
 * The TCP sockets in LISTEN state and the bound UDP sockets that the processes `pids` hold.
 * Linux reads /proc (socket inodes from each process's fds, matched against the kernel's
 * socket tables); elsewhere lsof is asked, when it is installed.
 */
export async function listeningPorts(pids: readonly number[]): Promise<ListeningPort[]> {
  if (pids.length === 0) return [];
  const ports = process.platform === 'linux' ? procPorts(pids) : await lsofPorts(pids);
  return ports.sort((a, b) => a.port - b.port || a.protocol.localeCompare(b.protocol) || a.address.localeCompare(b.address));
}

const TABLES = [
  { file: 'tcp', protocol: 'tcp', listening: '0A' },
  { file: 'tcp6', protocol: 'tcp', listening: '0A' },
  { file: 'udp', protocol: 'udp', listening: '07' },
  { file: 'udp6', protocol: 'udp', listening: '07' },
] as const;

function procPorts(pids: readonly number[]): ListeningPort[] {
  const owners = new Map<string, number>();
  for (const pid of pids) {
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue; // gone, or not ours to read
    }
    for (const fd of fds) {
      try {
        const inode = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`))?.[1];
        if (inode) owners.set(inode, pid);
      } catch {
        // Closed meanwhile.
      }
    }
  }
  if (owners.size === 0) return [];
  const ports: ListeningPort[] = [];
  for (const table of TABLES) {
    let text: string;
    try {
      // The first process's view: its network namespace may not be ours.
      text = readFileSync(`/proc/${pids[0]}/net/${table.file}`, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      if (fields.length < 10 || fields[3] !== table.listening) continue;
      const pid = owners.get(fields[9]!);
      if (pid === undefined) continue;
      const [address, port] = fields[1]!.split(':');
      ports.push({ protocol: table.protocol, address: formatAddress(address!), port: Number.parseInt(port!, 16), pid });
    }
  }
  return ports;
}

/** /proc/net addresses are hex, in host (little-endian) order per 32-bit word. */
export function formatAddress(hex: string): string {
  const bytes: number[] = [];
  for (let word = 0; word < hex.length; word += 8) {
    for (let i = 6; i >= 0; i -= 2) bytes.push(Number.parseInt(hex.slice(word + i, word + i + 2), 16));
  }
  if (bytes.length === 4) return bytes.join('.');
  // IPv4-mapped IPv6 (::ffff:a.b.c.d) reads best as IPv4.
  if (bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff) return bytes.slice(12).join('.');
  const groups = Array.from({ length: 8 }, (_, i) => ((bytes[2 * i]! << 8) | bytes[2 * i + 1]!).toString(16));
  // Compress the longest run of zero groups to "::".
  let best = { start: -1, length: 0 };
  for (let i = 0; i < 8; ) {
    if (groups[i] !== '0') {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === '0') j++;
    if (j - i > best.length && j - i > 1) best = { start: i, length: j - i };
    i = j;
  }
  if (best.start < 0) return groups.join(':');
  return `${groups.slice(0, best.start).join(':')}::${groups.slice(best.start + best.length).join(':')}`;
}

async function lsofPorts(pids: readonly number[]): Promise<ListeningPort[]> {
  const { execFile } = process.getBuiltinModule('node:child_process');
  const run = (args: string[]) =>
    new Promise<string>((resolve) => {
      execFile('lsof', args, { timeout: 3_000 }, (_error, stdout) => resolve(String(stdout ?? '')));
    });
  const list = pids.join(',');
  const [tcp, udp] = await Promise.all([
    run(['-nP', '-a', '-p', list, '-iTCP', '-sTCP:LISTEN', '-F', 'pn']),
    run(['-nP', '-a', '-p', list, '-iUDP', '-F', 'pn']),
  ]);
  return [...parseLsof(tcp, 'tcp'), ...parseLsof(udp, 'udp')];
}

/** lsof -F pn: "p<pid>" starts a process, "n<address>:<port>" names each of its sockets. */
export function parseLsof(output: string, protocol: 'tcp' | 'udp'): ListeningPort[] {
  const ports: ListeningPort[] = [];
  let pid = 0;
  for (const line of output.split('\n')) {
    if (line.startsWith('p')) pid = Number(line.slice(1));
    const match = /^n(.*):(\d+)$/.exec(line);
    if (!match || match[1]!.includes('->')) continue;
    const address = match[1] === '*' ? '0.0.0.0' : match[1]!.replace(/^\[|\]$/g, '');
    ports.push({ protocol, address, port: Number(match[2]), pid });
  }
  return ports;
}
