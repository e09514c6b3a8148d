import { findExecutable } from '../process/executable.js';
import type { HealthSpec } from '../tasks/policy.js';

/**
 * The shell script the supervisor runs as a probe (`/bin/sh -c`, in the task's cwd and
 * environment, output to /dev/null): exit 0 is a pass. Empty for a ready-log check, which is
 * looked for when state is read, not by the supervisor.
 *
 * Chosen when the task starts, by what this machine has, so that a probe costs a fork and an
 * exec or two rather than a Node start (~40 ms of CPU) every interval: curl for HTTP, bash's
 * /dev/tcp for TCP, timeout(1) for the time limit. Without them a small Node probe runs, which
 * works everywhere and costs more (README, "Health checks").
 */
export function probeScript(health: HealthSpec | null, pathVariable: string | undefined): string {
  if (!health || health.probe.kind === 'log') return '';
  const seconds = (health.timeoutMs / 1000).toFixed(3);
  const timeout = findExecutable('timeout', pathVariable);
  const limited = (words: string[]) => (timeout ? ['exec', quote(timeout), '-k', '1', seconds, ...words] : ['exec', ...words]).join(' ');
  const probe = health.probe;
  if (probe.kind === 'cmd') return limited(['/bin/sh', '-c', quote(probe.command)]);
  const bash = findExecutable('bash', pathVariable);
  if (probe.kind === 'http') {
    const url = new URL(probe.url);
    // Plain HTTP by hand over bash's /dev/tcp: a bash start costs a third of a curl start.
    if (url.protocol === 'http:' && bash && timeout) {
      const args = [url.hostname.replace(/^\[(.*)\]$/, '$1'), url.port || '80', `${url.pathname}${url.search}`, url.host];
      return limited([quote(bash), '-c', quote(HTTP_BY_HAND), 'ghost-probe', ...args.map(quote)]);
    }
    const curl = findExecutable('curl', pathVariable);
    // -f: 4xx and 5xx fail; without -L a 3xx answer passes, as Docker and Kubernetes count it.
    // -k: the certificate is not verified, as Kubernetes does not for its HTTPS probes: a probe
    // asks whether the task answers, not who it is, and a dev server's certificate is often
    // self-signed. -q: no ~/.curlrc.
    if (curl) return ['exec', quote(curl), '-q', '-fsk', '-o', '/dev/null', '--noproxy', "'*'", '--max-time', seconds, '--', quote(probe.url)].join(' ');
    return limited(nodeProbe(['http', probe.url, String(health.timeoutMs)]));
  }
  if (bash && timeout) return limited([quote(bash), '-c', quote(`: <>/dev/tcp/${probe.host}/${probe.port}`)]);
  return limited(nodeProbe(['tcp', `${probe.host}:${probe.port}`, String(health.timeoutMs)]));
}

/** GET $3 from $1:$2 (Host $4) with HTTP/1.0; a 2xx or 3xx status line passes. */
const HTTP_BY_HAND = `exec 3<>"/dev/tcp/$1/$2" || exit 1
printf 'GET %s HTTP/1.0\\r\\nHost: %s\\r\\nConnection: close\\r\\n\\r\\n' "$3" "$4" >&3
read -r _ c _ <&3
case $c in 2??|3??) exit 0 ;; esac
exit 1`;

/** A probe in Node, for machines without curl (HTTP) or bash and timeout(1) (TCP). */
const NODE_PROBE = `const [k,a,t]=process.argv.slice(1);const f=()=>process.exit(1);setTimeout(f,+t).unref();
if(k==='http'){(a.startsWith('https:')?require('https'):require('http')).get(a,{timeout:+t,rejectUnauthorized:false},r=>process.exit(r.statusCode<400?0:1)).on('error',f)}
else{const i=a.lastIndexOf(':');require('net').connect(+a.slice(i+1),a.slice(0,i)).on('connect',()=>process.exit(0)).on('error',f)}`;

function nodeProbe(args: string[]): string[] {
  return [quote(process.execPath), '-e', quote(NODE_PROBE), ...args.map(quote)];
}

/** One word for sh, whatever it holds. */
export function quote(word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`;
}
