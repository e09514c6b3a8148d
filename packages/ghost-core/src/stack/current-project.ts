// The project of a directory, for commands that resolve a service by name (`ghost log api`)
// and must stay as cheap as a command that reads no project file: finding the file is a few
// existsSync calls and the name is one line of it; the YAML parser is never loaded.
import { readFileSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { PROJECT_NAME, findProjectFile, normalizeProjectName } from './find-file.js';

/**
 * The project the nearest project file from `dir` names (`name:` at the top of a ghost file,
 * else the file's directory name, as `loadStack` names it), or undefined when there is no
 * project file or the name is not a valid one (`loadStack` reports that).
 */
export function currentProject(dir: string): string | undefined {
  const found = findProjectFile(dir);
  if (!found) return undefined;
  let project = normalizeProjectName(basename(dirname(found.file)));
  if (found.format === 'ghost') {
    let text: string;
    try {
      text = readFileSync(found.file, 'utf8');
    } catch {
      return undefined;
    }
    // A top-level `name:` line (no indentation), its value plain or quoted, maybe commented.
    const written = /^name:[ \t]*(["']?)([^"'#\s]*)\1[ \t]*(?:#.*)?$/m.exec(text);
    if (written) project = written[2]!;
  }
  return PROJECT_NAME.test(project) ? project : undefined;
}
