import { JOURNAL_VERSION, LAUNCH_ABORTED_STATUS } from './journal.js';

/**
 * The per-task supervisor: a POSIX sh script (about 1.6 MB resident with dash) that is the
 * task's parent, so it alone can learn the exit status, which it appends to its launch's
 * journal (see journal.ts for the protocol).
 *
 * Arguments: $1 is the journal path, the rest is the task's argv.
 * Descriptors: 1 and 2 are the task's log, 3 is a pipe on which the command's pid is reported,
 * 4 is a pipe from which the launcher's go-ahead is read.
 *
 * - The header names the protocol version and the supervisor's pid, before anything else.
 * - Catchable signals are trapped with a no-op handler, so a signal sent to the whole process
 *   group reaches the command but leaves the supervisor alive to record the outcome. A real
 *   handler (not '') matters: ignored signals stay ignored across exec, handled ones reset.
 * - The command runs in the foreground, so it keeps default SIGINT/SIGQUIT handling (a
 *   background job of a non-interactive shell would ignore them).
 * - A child sh reports its own pid, then waits for the go-ahead before exec'ing the command
 *   (same pid); it reports "started" on the pipe just before the exec. The launcher records the run in between, so no task runs unrecorded; if the
 *   launcher gives up, the pipe closes, `read` fails and the command never starts: the journal
 *   then says `exited 125` with no `started`, an aborted launch.
 * - $? over 128 means the command died of signal $? - 128, as every POSIX shell reports it.
 * - The supervisor's own stderr goes to /dev/null: the shell reports a command's death by
 *   signal ("Terminated") on stderr, and the log must hold only what the task wrote. The
 *   command gets the log back as stderr (kept on fd 5 until then).
 * - Every journal write is one short printf appended to a file the launcher created 0600:
 *   no temp files, no rename, no external command.
 */
export const SUPERVISOR_SCRIPT = [
  'j=$1; shift',
  'exec 5>&2 2>/dev/null',
  `printf 'ghost-supervisor ${JOURNAL_VERSION} %s\\n' "$$" >>"$j"`,
  'trap : HUP INT QUIT TERM USR1 USR2 ALRM PIPE',
  `/bin/sh -c 'j=$1; shift; echo $$ >&3; read -r g <&4 || exit ${LAUNCH_ABORTED_STATUS}; printf "started %s\\n" "$$" >>"$j"; echo started >&3; exec 3>&- 4<&- 2>&5 5>&-; exec "$@"' ghost-task "$j" "$@"`,
  's=$?',
  `printf 'exited %s\\n' "$s" >>"$j"`,
].join('\n');

/** Shown as $0 of the supervisor in `ps`. */
export const SUPERVISOR_NAME = 'ghost-supervisor';
