// @ghost/core/stack: reading project files (ghost.yaml, Procfile, process-compose.yaml) into a
// StackSpec. A subpath of its own, so the YAML parser and the schema library load only in
// commands that read project files.
export { type LoadStackOptions, type LoadStackResult, type ParseStackOptions, loadStack, parseRevision, parseStack } from './stack/load-stack.js';
export { type ProjectFile, type StackFormat, findProjectFile, normalizeProjectName, resolveProjectFile } from './stack/find-file.js';
export { type Problem, formatProblem, didYouMean } from './stack/problems.js';
export { type EnvFile, parseEnvFile } from './stack/env-file.js';
export { type GhostFile, type GhostService, ghostFileJSONSchema, ghostFileSchema } from './stack/schema.js';
export {
  type DependencyCondition,
  DEPENDENCY_CONDITIONS,
  type ServiceSpec,
  type StackSpec,
} from './stack/model.js';
export { type SystemdExportOptions, type SystemdUnit, systemdUnits } from './stack/export-systemd.js';
export type { GitOrigin } from './stack/git.js';
