// A Procfile (foreman and overmind): `name: command` lines, each run by /bin/sh -c as foreman
// does, with the `.env` beside it applied to every service. No dependencies.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { ReadFormat } from './ghost-file.js';
import { readEnvFile } from './ghost-file.js';
import type { ServiceSpec } from './model.js';
import type { Problem } from './problems.js';
import { SERVICE_NAME } from './schema.js';

export function readProcfile(file: string, text: string): ReadFormat {
  const dir = dirname(file);
  const problems: Problem[] = [];
  let env: Record<string, string> = {};
  const dotenv = join(dir, '.env');
  if (existsSync(dotenv)) {
    const read = readEnvFile(dotenv);
    if ('error' in read) problems.push({ file: dotenv, line: 1, col: 1, message: read.error });
    else {
      env = read.env;
      problems.push(...read.problems);
    }
  }
  const services: ServiceSpec[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const at = (message: string): Problem => ({ file, line: index + 1, col: raw.indexOf(line) + 1, message });
    const match = /^([^:\s]+)\s*:\s*(.*)$/.exec(line);
    if (!match) return void problems.push(at('expected "name: command"'));
    const [, name, command] = match as unknown as [string, string, string];
    if (!SERVICE_NAME.test(name)) return void problems.push(at(`"${name}": a service name is letters, digits, ., _ and -`));
    if (services.some((service) => service.name === name)) return void problems.push(at(`${name}: defined twice`));
    if (command.trim() === '') return void problems.push(at(`${name}: the command is empty`));
    services.push({ name, command: [command], shell: true, cwd: dir, env: { ...env }, ...(existsSync(dotenv) && { envFiles: [dotenv] }), dependsOn: {} });
  });
  return { services, problems, warnings: [] };
}
