// `.env` files (docker compose's and foreman's format): `KEY=VALUE` lines, `export ` allowed,
// `#` comments, single quotes literal, double quotes with \n escapes. Values are not
// interpolated: what is written is what the service gets.
import type { Problem } from './problems.js';

export interface EnvFile {
  env: Record<string, string>;
  problems: Problem[];
}

export function parseEnvFile(text: string, file: string): EnvFile {
  const env: Record<string, string> = {};
  const problems: Problem[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const match = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=\s*(.*)$/.exec(line);
    if (!match) {
      problems.push({ file, line: index + 1, col: raw.length - raw.trimStart().length + 1, message: 'expected KEY=VALUE' });
      return;
    }
    env[match[1]!] = unquote(match[2]!);
  });
  return { env, problems };
}

function unquote(value: string): string {
  const quote = value[0];
  if ((quote === '"' || quote === "'") && value.lastIndexOf(quote) > 0) {
    const inner = value.slice(1, value.lastIndexOf(quote));
    return quote === "'" ? inner : inner.replace(/\\([nrt"\\])/g, (_, c: string) => ({ n: '\n', r: '\r', t: '\t' })[c] ?? c);
  }
  return value.replace(/\s+#.*$/, '');
}
