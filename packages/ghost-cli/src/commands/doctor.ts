import { DRIVER_ENV, type Diagnosis, diagnose } from '@ghost/core';
import { Command } from 'clipanion';
import { option } from '../options/option.js';
import { GhostCommand } from './base.js';

export class DoctorCommand extends GhostCommand {
  static override paths = [['doctor']];

  static override usage = Command.Usage({
    description: 'show what this machine offers ghost',
    details: `
      Reports what ghost can rely on here, each part tried rather than assumed: the cgroup hierarchies (v2, hybrid, v1 or none) and whether ghost can make a cgroup for each run (it makes one, moves a throwaway process in and kills it through the cgroup); the tree tracking a \`ghost run\` gets (\`cgroup2\`, or the inherited \`GHOST_RUN\` marker) and what it can miss; how ports are found (/proc/net or lsof); whether file-system notifications work in the data directory (else changes are polled for); the SQLite driver (better-sqlite3, or Node's own node:sqlite where better-sqlite3's addon is missing or was built for another Node; \`GHOST_SQLITE_DRIVER=better-sqlite3\` or \`node:sqlite\` insists on one) and SQLite's version; Node's version, the platform and the data directory.

      \`GHOST_TRACKING=marker\` makes runs use the marker even where a cgroup is possible; doctor says so.

      Output: one "field value" line per fact; with \`--json\`, one object (see the README).

      Exit codes: 0 the report was made (whatever it says); 2 bad usage.
    `,
    examples: [
      ['What does ghost have to work with here?', 'ghost doctor'],
      ['For a bug report', 'ghost doctor --json'],
    ],
  });

  json = option('json');

  protected override async run(): Promise<void> {
    const report = await diagnose({ env: this.context.env });
    if (this.json) {
      this.printJSON(report);
      return;
    }
    const fields = describeDiagnosis(report);
    this.print(fields.map(([key, value]) => `${this.style.dim(key.padEnd(18))}${value}`).join('\n'));
  }
}

const TRACKING_WORDS = {
  cgroup2: 'cgroup2: every process a task starts stays in its cgroup, daemonized or not',
  marker: 'marker: processes that keep GHOST_RUN in their environment (a process started with a cleared environment escapes)',
} as const;

function describeSqlite(sqlite: Diagnosis['sqlite']): string {
  if (!sqlite.version) return `unusable: ${sqlite.problem}`;
  const driver =
    sqlite.driver === 'node:sqlite'
      ? `node:sqlite of Node.js ${sqlite.driver_version}`
      : `better-sqlite3 ${sqlite.driver_version}, ${sqlite.source === 'bundled' ? 'bundled' : 'installed package'}`;
  const why = sqlite.forced ? `; chosen by ${DRIVER_ENV}` : sqlite.fallback ? `; ${sqlite.fallback}` : '';
  return `${sqlite.version} (${driver}${why})`;
}

function describeDiagnosis(report: Diagnosis): [string, string][] {
  const { cgroups, sqlite } = report;
  const hierarchies =
    cgroups.kind === 'none'
      ? 'none'
      : [
          cgroups.kind,
          cgroups.v2_mount ? `cgroup2 at ${cgroups.v2_mount}` : null,
          cgroups.v1_controllers.length > 0 ? `v1: ${cgroups.v1_controllers.join(', ')}` : null,
        ]
          .filter(Boolean)
          .join('; ');
  const runCgroups = cgroups.usable
    ? `${cgroups.base}/ghost (made one and killed a process in it; cgroup.kill: ${cgroups.kill ? 'yes' : 'no, each process is signalled'})`
    : `no: ${cgroups.problem}`;
  return [
    ['platform', `${report.platform.os} ${report.platform.release} ${report.platform.arch}`],
    ['node', report.node],
    ['data dir', report.data_dir.usable ? report.data_dir.path : `${report.data_dir.path} (unusable: ${report.data_dir.problem})`],
    ['sqlite', describeSqlite(sqlite)],
    ['cgroups', hierarchies],
    ['cgroup per run', runCgroups],
    ['tree tracking', `${TRACKING_WORDS[report.tracking.mechanism]}${report.tracking.forced ? ' (GHOST_TRACKING=marker)' : ''}`],
    ...(['memory', 'cpus', 'max_open_files'] as const).map((name): [string, string] => {
      const limit = report.limits[name];
      const label = `limit ${name === 'max_open_files' ? 'open files' : name === 'cpus' ? 'cpu' : name}`;
      return [label, limit.by === null ? `no: ${limit.why} (to enable: ${limit.enable})` : `${limit.by} (${limit.where})`];
    }),
    ['port discovery', report.ports.method === 'procfs' ? '/proc/net' : report.ports.method === 'lsof' ? 'lsof' : 'none (ghost ports finds nothing)'],
    ['fs notifications', report.fs_notifications.works ? 'yes (fs.watch on the data dir)' : `no: ${report.fs_notifications.problem}`],
  ];
}
