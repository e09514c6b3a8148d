import type { HealthSpec, LogSpec, RestartSpec } from '../tasks/policy.js';
import { JOURNAL_VERSION, LAUNCH_ABORTED_STATUS } from './journal.js';

/**
 * The per-task supervisor: a POSIX sh script (about 1.7 MB resident with dash) that is the
 * command's parent, so it alone can learn the exit status, which it appends to its launch's
 * journal (see journal.ts for the protocol), and which starts the command again when the
 * task's restart policy says so. Each start is an attempt; ghost records each as a run.
 *
 * Arguments: $1 the journal path; $2 the restart policy (no, on-failure, always); $3 how many
 * quick restarts in a row it may make; $4 and $5 the first and longest backoff (ms); $6 how long
 * (ms) an attempt must stay up for the count and the backoff to reset; $7 the task's log; $8 the
 * health probe (a script for /bin/sh -c, empty for none: see health/probe-command.ts), $9 the
 * probe interval (ms), $10 the failures in a row that make an attempt unhealthy, $11 the start
 * period (ms) during which failures do not count; $12 and $13 the log's cap (bytes) and how many
 * rotated logs to keep; then the task's argv.
 * Descriptors: 1 and 2 are the task's log, 3 is a pipe on which the command's pid is reported,
 * 4 is a pipe from which the launcher's go-ahead is read.
 *
 * - The header names the protocol version, the supervisor's pid and its clock: milliseconds
 *   since boot from /proc/uptime (read by a builtin: no process started) where there is one,
 *   else the epoch from date(1).
 * - Catchable signals are trapped with a no-op handler, so a signal sent to the whole process
 *   group reaches the command but leaves the supervisor alive to record the outcome. A real
 *   handler (not '') matters: ignored signals stay ignored across exec, handled ones reset.
 * - The command runs in the foreground, so it keeps default SIGINT/SIGQUIT handling (a
 *   background job of a non-interactive shell would ignore them).
 * - The first attempt is parked: a child sh reports its own pid, then waits for the go-ahead
 *   before exec'ing the command (same pid); it reports "started" on the pipe just before the
 *   exec, from a subshell: a launcher killed right after its go-ahead has closed the pipe, and
 *   the SIGPIPE must end that subshell, not the command about to start. The launcher records
 *   the run in between, so no task runs unrecorded; if the launcher gives up, the pipe closes,
 *   `read` fails and the command never starts: the journal then says `exited 125` with no
 *   `started`, an aborted launch, which is never restarted.
 * - A restart waits the backoff (sleep(1) in the group, in the background: a stop's signal ends
 *   the wait, and the sleep with it, also when the sleep missed the signal), then looks for a
 *   stop in the journal once more. A stop appends `stop <signal>` before it signals,
 *   so a stopped task is never started again, however the two race; `ghost kill` appends
 *   `kill <signal>`, and a command that a signal ended after it is not started again either.
 * - $? over 128 means the command died of signal $? - 128, as every POSIX shell reports it.
 * - The supervisor's own stderr goes to /dev/null: the shell reports a command's death by
 *   signal ("Terminated") on stderr, and the log must hold only what the task wrote. The
 *   command gets the log back as stderr (kept on fd 5 until then).
 * - An attempt's line carries the log's size as it begins, where its output starts: `wc -c`
 *   of the log by path (GNU and BSD wc take a regular file's size from fstat, reading none of
 *   it; one short process per restart). fd 1 cannot be measured from sh: it is write-only.
 * - sleep(1) and wc(1) are found with `command -p` (the default PATH): the task's own PATH may
 *   lack them, and a backoff that did not wait would turn a crash into a busy loop.
 * - Each attempt gets a watch loop: a background subshell (forked, so its pages are shared with
 *   the supervisor's) that sleeps, then keeps the log under its cap and, with a probe (a script
 *   for sh, eval'ed there), probes the command's health. Over the cap, it rotates the log as
 *   logs/rotate.ts does (copy, truncate, `rotated <bytes>` in the journal, under the same lock),
 *   so a task no one looks at cannot fill the disk. The probe journals `healthy` / `unhealthy`
 *   when the state changes; with a restart policy, an unhealthy attempt is ended
 *   (`health-kill`, SIGTERM, then SIGKILL at the next failure) and the policy restarts it.
 *   `wait` (not a foreground sleep) lets the loop's TERM trap end its sleep or probe at once:
 *   the supervisor ends the loop before it records the exit, so nothing of it lingers.
 * - A signal that reaches a child between its fork and its exec is lost: the shell's handler
 *   has it, and the exec drops it. A stop then finds that child still in the group, so every
 *   background child (the loop's sleep and probe, the backoff's sleep) is waited for by `wait`,
 *   and SIGKILLed when a signal cut the wait short, before the shell starts another. Else the
 *   loop goes on to its next sleep, and the one that missed the stop outlives the run by up to
 *   10 s, until the stop's grace runs out and it SIGKILLs the group (seen once in about 5,000
 *   stops of idle tasks on a loaded machine).
 * - Every journal write is one short printf appended to a file the launcher created 0600:
 *   no temp files, no rename. Reading the journal back is a builtin `read` loop.
 */
export const SUPERVISOR_SCRIPT = [
  'j=$1 p=$2 m=$3 b=$4 x=$5 u=$6 l=$7 hc=$8 hi=$9 hr=${10} hs=${11} lm=${12} lf=${13} hp=; shift 13',
  'exec 5>&2 2>/dev/null',
  'if [ -r /proc/uptime ]; then k=uptime; else k=epoch; fi',
  `printf 'ghost-supervisor ${JOURNAL_VERSION} %s %s\\n' "$$" "$k" >>"$j"`,
  "trap 'tg=1' HUP INT QUIT TERM USR1 USR2 ALRM PIPE",
  'now() { if [ $k = uptime ]; then read -r c _ </proc/uptime; c=${c%.*}${c#*.}0; else c=$(date +%s)000; fi; }',
  'seen() { while read -r e _; do [ "$e" = "$1" ] && return 0; done <"$j"; return 1; }',
  // A `ghost kill` since the current attempt began, if a signal ended the command.
  'killed() { f=1; while read -r e _; do case $e in attempt) f=1 ;; kill) [ "$s" -gt 128 ] && f=0 ;; esac; done <"$j"; return $f; }',
  'secs() { z="$(($1 / 1000)).$(($1 % 1000 / 100))$(($1 % 100 / 10))$(($1 % 10))"; }',
  // Waits for the background child just started (the loop's sleep or probe, the backoff's
  // sleep); if a signal cut the wait short (its trap set tg), the child goes too: it may have
  // missed that signal (see above). Returns the child's status, or the wait's.
  'rp() { wait $!; r=$?; [ -z "$tg" ] || { kill -s KILL $! 2>/dev/null; wait $!; }; return $r; }',
  // The watch loop of one attempt, in the background (see above): the log's cap, and the probe.
  'wl() {',
  // The supervisor ends the loop with VTALRM, which it does not trap itself: until the loop's
  // first command traps it, its default action ends the loop (which has no child yet), so it
  // cannot be lost the way a signal the parent traps can while a subshell resets its traps.
  // The others are trapped again (a subshell's handled signals are reset), so that a signal the
  // command survives (a reload on HUP or USR1, a TERM it ignores) leaves the loop running too.
  // Its sleep (or probe) goes with it, by SIGKILL: a TERM that reaches a child between its fork
  // and its exec can be lost, and the sleep would then outlive the loop (a "process left").
  "  trap 'kill -s KILL $! 2>/dev/null; exit 0' VTALRM; trap tm TERM; trap 'tg=1' HUP INT QUIT USR1 USR2 ALRM PIPE",
  // lw and pw: the ms until the next look at the log and the next probe; it sleeps until the sooner.
  '  f=0; h=; ok=; g=; li=1000; lw=1000; lo=0; pw=$hi',
  '  while :; do',
  '    iv=$lw; [ -n "$hc" ] && [ "$pw" -lt "$iv" ] && iv=$pw',
  '    secs "$iv"; tg=; command -p sleep "$z" & rp',
  '    kill -0 $$ 2>/dev/null || exit 0',
  '    lw=$((lw - iv)); [ "$lw" -le 0 ] && lc',
  '    [ -n "$hc" ] || continue',
  '    pw=$((pw - iv)); [ "$pw" -gt 0 ] && continue; pw=$hi',
  // eval in the forked subshell: the probe script starts with exec, so no shell more is started.
  '    tg=; eval "$hc" >/dev/null 2>&1 </dev/null &',
  '    if rp; then',
  `      f=0; ok=1; [ "$h" = healthy ] || { h=healthy; now; printf 'healthy %s\\n' "$c" >>"$j"; }`,
  '      continue',
  '    fi',
  // A signal to the whole group that the command survived took the probe with it: no verdict.
  '    [ -n "$tg" ] && continue',
  '    now',
  '    [ -z "$ok" ] && [ $((c - t)) -lt "$hs" ] && continue',
  '    f=$((f + 1)); [ "$f" -lt "$hr" ] && continue',
  `    [ "$h" = unhealthy ] || { h=unhealthy; printf 'unhealthy %s\\n' "$c" >>"$j"; }`,
  '    [ "$p" = no ] && continue',
  '    w=; while read -r e v _; do [ "$e" = started ] && w=$v; done <"$j"',
  '    [ -n "$w" ] || continue',
  '    if [ -z "$g" ]; then g=TERM; else g=KILL; fi',
  `    printf 'health-kill SIG%s %s\\n' "$g" "$c" >>"$j"; kill -"$g" "$w"`,
  '  done',
  '}',
  // The log's cap: rotated once over it. The next look comes in half the time the log would
  // take to reach its cap at the rate it grew since the last, within 250 ms and 10 s. Its size
  // without a process, where Linux gives it: the offset of the open file the task writes to,
  // which this loop's fd 1 shares (appends move it to the end; after a truncate it is stale
  // until the next write, so a size over the cap is confirmed with wc, as is any elsewhere).
  'lc() {',
  '  o=; { while read -r k v; do [ "$k" = pos: ] && o=$v; done </proc/self/fdinfo/1; } 2>/dev/null',
  '  if [ -z "$o" ] || [ "$o" -gt "$lm" ]; then o=$(command -p wc -c <"$l") || { lw=$li; return 0; }; o=${o##* }; fi',
  '  r=$((o - lo))',
  '  [ "$o" -gt "$lm" ] && { rot; o=0; }',
  '  lo=$o; if [ "$r" -gt 0 ]; then li=$(((lm - o) / r * li / 2)); else li=$((li * 2)); fi',
  '  [ "$li" -lt 250 ] && li=250; [ "$li" -gt 10000 ] && li=10000; lw=$li',
  '}',
  // Copy, truncate, journal: as logs/rotate.ts does it, under the same lock (O_EXCL with
  // noclobber; one left by a rotation killed midway is taken over after a minute). A TERM or the
  // supervisor's VTALRM meanwhile waits for the journal line: a truncated log whose rotation is not recorded would
  // leave the runs' offsets wrong.
  'rot() {',
  "  (set -C; : >\"$l.lock\") 2>/dev/null || { command -p find \"$l.lock\" -mmin +1 -exec rm -f {} + 2>/dev/null; return 0; }",
  "  tq=; tv=; trap 'tq=1' TERM; trap 'tv=1' VTALRM",
  // dd, not cp: cp copies until end of file, and would chase a writer faster than itself for
  // as long as it writes; this copies what the log held when it was looked at (o), in 64 KiB blocks.
  '  if [ "$lf" -gt 0 ] && command -p dd if="$l" of="$l.rotating" bs=65536 count=$((o / 65536 + 1)) 2>/dev/null; then',
  '    : >"$l"; o=$(command -p wc -c <"$l.rotating"); o=${o##* }; i=$lf',
  '    while [ "$i" -gt 1 ]; do [ -e "$l.$((i - 1))" ] && command -p mv -f "$l.$((i - 1))" "$l.$i"; i=$((i - 1)); done',
  '    command -p mv -f "$l.rotating" "$l.1"',
  '  else',
  '    : >"$l"',
  '  fi',
  `  now; printf 'rotated %s %s\\n' "$o" "$c" >>"$j"; command -p rm -f "$l.lock"`,
  "  trap 'kill -s KILL $! 2>/dev/null; exit 0' VTALRM; trap tm TERM; [ -z \"$tv\" ] || exit 0; [ -z \"$tq\" ] || tm",
  '}',
  // A TERM is the command's (a stop, or one it survived), or its supervisor was killed: then
  // the loop ends ($$ is the supervisor's pid in its subshells too).
  "tm() { kill -0 $$ 2>/dev/null || { kill -s KILL $! 2>/dev/null; exit 0; }; tg=1; }",
  'watch() { wl 3>&- 4<&- 5>&- </dev/null & hp=$!; }',
  'unwatch() { [ -n "$hp" ] && { kill -VTALRM "$hp"; wait "$hp"; hp=; }; }',
  'now; t=$c; d=$b; q=0; n=1',
  'watch',
  `/bin/sh -c 'j=$1; shift; echo $$ >&3; read -r g <&4 || exit ${LAUNCH_ABORTED_STATUS}; printf "started %s\\\\n" "$$" >>"$j"; (echo started >&3); exec 3>&- 4<&- 2>&5 5>&-; exec "$@"' ghost-task "$j" "$@"`,
  's=$?',
  'unwatch',
  'exec 3>&- 4<&-',
  'while :; do',
  `  now; printf 'exited %s %s\\n' "$s" "$c" >>"$j"`,
  '  [ "$p" = no ] && break',
  '  [ "$p" = on-failure ] && [ "$s" -eq 0 ] && break',
  '  seen stop && break',
  '  killed && break',
  '  [ $n -eq 1 ] && ! seen started && break',
  '  [ $((c - t)) -ge "$u" ] && { d=$b; q=0; }',
  `  [ "$q" -ge "$m" ] && { printf 'gave-up %s\\n' "$c" >>"$j"; break; }`,
  `  q=$((q + 1)); printf 'restarting %s %s\\n' "$d" "$c" >>"$j"`,
  '  secs "$d"; tg=; command -p sleep "$z" & rp',
  '  seen stop && break',
  '  o=$(command -p wc -c <"$l"); o=${o##* }',
  `  n=$((n + 1)); now; t=$c; printf 'attempt %s %s %s\\n' "$n" "$c" "$o" >>"$j"`,
  '  d=$((d * 2)); [ "$d" -gt "$x" ] && d=$x',
  '  watch',
  `  /bin/sh -c 'j=$1; shift; printf "started %s\\\\n" "$$" >>"$j"; exec 2>&5 5>&-; exec "$@"' ghost-task "$j" "$@"`,
  '  s=$?',
  '  unwatch',
  'done',
].join('\n');

/** The supervisor's arguments before the task's argv (see above). */
export function supervisorArgs(
  journalPath: string,
  restart: RestartSpec,
  logPath: string,
  logs: LogSpec,
  health: HealthSpec | null,
  probe: string,
): string[] {
  return [
    journalPath,
    restart.policy,
    String(restart.maxRestarts),
    String(restart.backoffMinMs),
    String(restart.backoffMaxMs),
    String(restart.minUptimeMs),
    logPath,
    probe,
    String(health?.intervalMs ?? 0),
    String(health?.retries ?? 0),
    String(health?.startPeriodMs ?? 0),
    String(logs.maxBytes),
    String(logs.maxFiles),
  ];
}

/** Shown as $0 of the supervisor in `ps`. */
export const SUPERVISOR_NAME = 'ghost-supervisor';
