// @ghost/core: the engine's public API. Everything a front end or downstream tool may use is
// exported here, or from `@ghost/core/stack` (project files) and `@ghost/core/format` (text for
// people); deep imports are not part of the contract.
export {
  Ghost,
  type GhostOptions,
  type ListOptions,
  type RecentOptions,
  type RecentTasks,
  RECENT_ENDED_TASKS,
  type LogOptions,
  type FollowLogOptions,
  type TaskPort,
  type TaskRef,
  type TaskTarget,
  type ProjectRef,
  type WaitOptions,
  type WaitResult,
} from './ghost.js';
export {
  GhostError,
  isGhostError,
  isStorageFailure,
  type GhostErrorCode,
  type GhostErrorOptions,
  type GhostErrorDetails,
  type TaskMention,
  type UnresolvedRef,
} from './errors.js';
export {
  type Run,
  type RunJSON,
  type RunStatus,
  type Task,
  type TaskJSON,
  type TaskStatus,
  type TaskHealth,
  type StatusFilter,
  TASK_STATUSES,
  endedInFailure,
  ENDED_STATUSES,
  filterStatuses,
  isActiveStatus,
  isTaskStatus,
  runToJSON,
  taskDurationMs,
  taskToJSON,
} from './tasks/types.js';
export {
  type StopResultJSON,
  type TaskPortJSON,
  type WaitResultJSON,
  stopResultToJSON,
  taskPortToJSON,
  waitResultToJSON,
} from './wire/shapes.js';
export {
  type DownResultJSON,
  type TaskStatsJSON,
  type UpResultJSON,
  downResultToJSON,
  taskStatsToJSON,
  upResultToJSON,
} from './wire/shapes.js';
export type { StatsOptions, TaskStats, UsageSource } from './tasks/stats.js';
export type { RunOptions } from './tasks/run.js';
export {
  type LogCapOptions,
  type LogCapText,
  type LogSpec,
  DEFAULT_LOGS,
  parseLogCapOptions,
  parseSize,
  type RestartOptions,
  type RestartPolicy,
  type RestartSpec,
  type RestartText,
  DEFAULT_RESTART,
  RESTART_POLICIES,
  parseBackoff,
  parseDuration,
  parseRestartOptions,
  type LimitOptions,
  type LimitText,
  parseLimitOptions,
  type HealthOptions,
  type HealthProbe,
  type HealthSpec,
  type HealthText,
  DEFAULT_HEALTH_TUNING,
  hasHealthCheck,
  parseHealthOptions,
} from './tasks/policy.js';
export {
  SUPERVISION_OPTIONS,
  type SupervisionKey,
  type SupervisionOption,
  type SupervisionOptions,
  type SupervisionText,
  type SupervisionValueKind,
  parseSupervisionOptions,
} from './tasks/supervision-options.js';
export { type LimitSupport, type Limits, type Enforcement, limitSupport } from './process/limits/limits.js';
export { type StopOptions, type StopResult, DEFAULT_STOP_TIMEOUT_MS } from './tasks/terminate.js';
export { END_REASONS } from './tasks/reconcile.js';
export { type CleanupOptions, DEFAULT_CLEANUP_DAYS } from './tasks/cleanup.js';
export { type Diagnosis, type DiagnoseOptions, diagnose } from './doctor/diagnose.js';
export type { TrackingMechanism } from './process/tracking/tracking.js';
export { type DataFolder, type DataPaths, compileCacheDir, resolveDataDir } from './paths/data-dir.js';
export type { UnsafePathDetails, UnsafeReason } from './paths/private-path.js';
export type { ListeningPort } from './process/ports.js';
export { processAlive } from './process/process-table.js';
export type { ChangeWatcher, WatchOptions } from './events/watch.js';
export type { TaskEvent, TaskEventType } from './events/task-events.js';
export { LogReader } from './logs/log-reader.js';
export { type LogPage, type LogPageOptions, type LogRange, MAX_PAGE_BYTES } from './logs/read.js';
export { type LogAnchor, type RunLogRange, anchoredOffset, logAnchor } from './logs/run-range.js';
export {
  type LogMatch,
  type LogPatternOptions,
  type LogSearch,
  type LogSearchOptions,
  MAX_SEARCH_BYTES,
} from './logs/search.js';
export { LogLines } from './logs/log-lines.js';
export { type Signal, parseSignal, signalName } from './process/signals.js';
export { SCHEMA_VERSION } from './db/migrations.js';
export { DRIVER_ENV, DRIVER_NAMES, type DriverName, type DriverSource } from './db/driver.js';
export { type TaskChanges, mergeTaskChanges } from './tasks/task-changes.js';
export {
  type DependencyCondition,
  type ServiceSpec,
  type StackSpec,
  DEPENDENCY_CONDITIONS,
} from './stack/model.js';
export { type ServiceAction, type ServicePlan, type StackPlan, plan } from './stack/plan.js';
export {
  type ServiceState,
  type StackFailureDetails,
  type StackProgress,
  type UpOptions,
  type UpResult,
  type UpService,
  DEFAULT_UP_TIMEOUT_MS,
  stackFailure,
  up,
} from './stack/up.js';
export { type DownOptions, type DownResult, down } from './stack/down.js';
export { type StackRevision, latestRevision, projectOfFile, recordRevision, rollbackRevision, stackHistory } from './stack/history.js';
export { type ProjectSummary, type StackState, projectSummaries, stackState } from './stack/project-state.js';
export { type GitOrigin, type GitRevisionFile, fileAtGitRevision, gitOrigin } from './stack/git.js';
export { serviceDigest } from './stack/digest.js';
export { LOG_TAIL_LINES } from './stack/log-tail.js';
export { serviceStopOptions } from './stack/service-options.js';
export { currentProject } from './stack/current-project.js';
export { type StackWatchEvent, type StackWatcher, type WatchStackOptions, watchStack } from './stack/watch.js';
