/**
 * The per-task supervisor: a POSIX sh script (about 1.6 MB resident with dash) that is the
 * task's parent, so it alone can learn the exit status, which it writes to an exit record.
 *
 * Arguments: $1 is the exit record path, the rest is the task's argv.
 * Descriptors: 1 and 2 are the task's log, 3 is a pipe on which the command's pid is reported,
 * 4 is a pipe from which the launcher's go-ahead is read.
 *
 * - Catchable signals are trapped with a no-op handler, so a signal sent to the whole process
 *   group reaches the command but leaves the supervisor alive to record the outcome. A real
 *   handler (not '') matters: ignored signals stay ignored across exec, handled ones reset.
 * - The command runs in the foreground, so it keeps default SIGINT/SIGQUIT handling (a
 *   background job of a non-interactive shell would ignore them).
 * - A child sh reports its own pid, then waits for the go-ahead before exec'ing the command
 *   (same pid). The launcher records the task in between, so no task runs unrecorded; if the
 *   launcher gives up, the pipe closes, `read` fails and the command never starts.
 * - $? over 128 means the command died of signal $? - 128, as every POSIX shell reports it.
 * - The supervisor's own stderr goes to /dev/null: the shell reports a command's death by
 *   signal ("Terminated") on stderr, and the log must hold only what the task wrote. The
 *   command gets the log back as stderr (kept on fd 5 until then).
 * - The record is written with a private umask (after the command ran, which inherits the
 *   user's umask) and renamed into place, so readers never see half a record. Its mtime is the
 *   end time. `command -p` finds mv on the default PATH whatever the task's PATH is.
 */
export const SUPERVISOR_SCRIPT = [
  'r=$1; shift',
  'exec 5>&2 2>/dev/null',
  'trap : HUP INT QUIT TERM USR1 USR2 ALRM PIPE',
  `/bin/sh -c 'echo $$ >&3; read -r g <&4 || exit 125; exec 3>&- 4<&- 2>&5 5>&-; exec "$@"' ghost-task "$@"`,
  's=$?',
  'umask 077',
  'printf "%s\\n" "$s" >"$r.tmp" && command -p mv -f "$r.tmp" "$r"',
].join('\n');

/** Shown as $0 of the supervisor in `ps`. */
export const SUPERVISOR_NAME = 'ghost-supervisor';
