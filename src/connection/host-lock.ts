/**
 * A lock per host for the length of a run (issue 19): two runs at once on one host interleave their
 * reads and writes (six concurrent runs left 11–14 copies of 5 REDIRECT rules). The lock is an
 * flock(2) on a file of the host, held through an open descriptor of the connection's long-lived
 * shell: it goes with that process, so a killed run or a dropped connection releases it and no
 * stale lock is left to clean by hand.
 *
 * Taking it is shell text the shell runs at its top level before anything else (host-shell.ts
 * `setup`), so it costs no round trip: the first command is sent behind it. It reports on stderr,
 * before the shell's pid line, one `@@lvsdr-lock STATUS …` line per step (waiting, then the
 * outcome). The holder writes who it is into the file; a run that waits shows that.
 *
 * The file lives in /run/lock (world-writable on systemd distributions, so an unprivileged login
 * can lock too), or in /run where there is no /run/lock; /run is per boot, so a reboot forgets it.
 */
import { marker } from '../shell/marker.ts';
import { sh, ShellText } from '../shell/quote.ts';

/** First line of an lvsdr lock file: a file without it is someone else's and is left alone. */
export const LOCK_FILE_HEADER = 'lvsdr-lock v1';
export const LOCK_MARK = marker('lock');
/** The shell's exit status when it gives up on the lock (EX_TEMPFAIL). */
export const LOCK_EXIT_CODE = 75;

export interface HostLockRequest {
  /** `take` holds the lock for the connection's life; `peek` (check mode) only says whether it is held. */
  mode: 'take' | 'peek';
  /** How long to wait for another run's lock; 0 fails at once. */
  timeoutSec: number;
  /** Runs with the same id share the lock (a rollout's own playbook runs on the director it holds). */
  runId: string;
  /** Who this run is, as a waiting run shows it: user, controller, pid, command, since when. */
  holder: string;
  /** Called as the host reports: another run holds it and this one waits. */
  onWait?(holder: string): void;
  /** Peek mode: another run holds the host while this one reads it. */
  onHeld?(holder: string): void;
}

export type LockOutcome =
  | { status: 'taken' | 'shared' | 'free' }
  /** Peek mode: another run holds the host. */
  | { status: 'held'; holder: string }
  /** The lock could not be had: the host fails with this message. */
  | { status: 'failed'; message: string };

/** One `@@lvsdr-lock` line read from the shell's stderr. */
export type LockLine = { status: 'waiting'; holder: string } | { status: 'done'; outcome: LockOutcome };

/** The shell's own variables are removed again, so a command never sees them. */
const VARS = '__lvsdr_d __lvsdr_f __lvsdr_h __lvsdr_s __lvsdr_i';

const PRELUDE = [
  '__lvsdr_d=/run/lock; [ -d "$__lvsdr_d" ] || __lvsdr_d=/run; __lvsdr_f="$__lvsdr_d/lvsdr.lock"',
  // A file that is not lvsdr's (another tool's, or a link planted there) is not ours to lock or write.
  `if [ -L "$__lvsdr_f" ] || { [ -s "$__lvsdr_f" ] && { IFS= read -r __lvsdr_h <"$__lvsdr_f"; [ "$__lvsdr_h" != '${LOCK_FILE_HEADER}' ]; }; }; then __lvsdr_s="foreign $__lvsdr_f"`,
  'elif ! command -v flock >/dev/null 2>&1; then __lvsdr_s="noflock"',
].join('\n');

/** The holder line of the lock file (its second line); empty when it has none yet. */
const READ_HOLDER = '__lvsdr_h=; { IFS= read -r __lvsdr_h; IFS= read -r __lvsdr_h; } <"$__lvsdr_f" 2>/dev/null';

/** Shell text that takes the lock (or peeks at it), reporting its outcome as LockLines. */
export function lockSetup(request: HostLockRequest): ShellText {
  const report = `printf '%s %s\\n' '${LOCK_MARK}' "$__lvsdr_s" >&2; case "$__lvsdr_s" in taken|shared|free|held*) ;; *) exit ${LOCK_EXIT_CODE};; esac`;
  const body =
    request.mode === 'peek'
      ? [
          // Read-only, and only when the file exists: a dry run creates nothing on the host.
          'elif [ ! -e "$__lvsdr_f" ] || ! { command exec 9<"$__lvsdr_f"; } 2>/dev/null; then __lvsdr_s=free',
          // Closing the shell's descriptor releases the lock flock took through it.
          `elif flock -n 9; then __lvsdr_s=free; exec 9<&-`,
          `else ${READ_HOLDER}; __lvsdr_s="held $__lvsdr_h"; exec 9<&-`,
          'fi',
        ].join('\n')
      : [
          // Read-write creates the file; read-only is enough to lock one another user created.
          'elif ! { command exec 9<>"$__lvsdr_f"; } 2>/dev/null && ! { command exec 9<"$__lvsdr_f"; } 2>/dev/null; then __lvsdr_s="open $__lvsdr_f"',
          'elif flock -n 9; then __lvsdr_s=taken',
          `else ${READ_HOLDER}`,
          sh`  case "$__lvsdr_h" in *" run=${request.runId} "*) __lvsdr_s=shared ;;`.text,
          // Waiting, the holder line is read again each second: a connection of this same run (two
          // local hosts of one run share this machine's file) may have taken the lock just before
          // writing its line, and is then shared, not waited for until the timeout.
          request.timeoutSec > 0
            ? `  *) printf '%s waiting %s\\n' '${LOCK_MARK}' "$__lvsdr_h" >&2; __lvsdr_i=0; __lvsdr_s=; while [ -z "$__lvsdr_s" ]; do if flock -w 1 9; then __lvsdr_s=taken; else ${READ_HOLDER}; __lvsdr_i=$((__lvsdr_i + 1)); ${sh`case "$__lvsdr_h" in *" run=${request.runId} "*) __lvsdr_s=shared ;; *) [ "$__lvsdr_i" -ge ${request.timeoutSec} ] && __lvsdr_s="busy $__lvsdr_h" ;; esac`.text}; fi; done ;;`
            : `  *) __lvsdr_s="busy $__lvsdr_h" ;;`,
          '  esac',
          'fi',
          // Written only when this run took the lock; one that cannot write the file (another
          // user's) still holds the lock, and waiting runs show the older holder line.
          sh`[ "$__lvsdr_s" = taken ] && { printf '%s\\n%s\\n' ${LOCK_FILE_HEADER} ${request.holder} >"$__lvsdr_f"; } 2>/dev/null`.text,
        ].join('\n');
  return new ShellText(`${PRELUDE}\n${body}\n${report}\nunset ${VARS}`);
}

/** Reads one line of the setup's report (without its LOCK_MARK prefix). */
export function parseLockLine(rest: string, request: HostLockRequest): LockLine {
  const [word, ...more] = rest.split(' ');
  const arg = more.join(' ');
  const holder = arg || 'another run (it has not said who it is)';
  switch (word) {
    case 'waiting':
      return { status: 'waiting', holder };
    case 'taken':
    case 'shared':
    case 'free':
      return { status: 'done', outcome: { status: word } };
    case 'held':
      return { status: 'done', outcome: { status: 'held', holder } };
    case 'busy': {
      const waited = request.timeoutSec > 0 ? `; gave up after waiting ${request.timeoutSec} s (--lock-timeout)` : ' (--lock-timeout 0: not waiting)';
      return { status: 'done', outcome: { status: 'failed', message: `another run holds this host: ${holder}${waited}` } };
    }
    case 'foreign':
      return {
        status: 'done',
        outcome: { status: 'failed', message: `${arg} exists but is not lvsdr's lock file (it does not start with '${LOCK_FILE_HEADER}'); lvsdr leaves it alone: remove or rename it if nothing uses it` },
      };
    case 'noflock':
      return { status: 'done', outcome: { status: 'failed', message: 'cannot lock the host: flock(1) is not installed (it comes with util-linux)' } };
    case 'open':
      return { status: 'done', outcome: { status: 'failed', message: `cannot lock the host: cannot open ${arg} (check that the login user may write it, or use become)` } };
    default:
      return { status: 'done', outcome: { status: 'failed', message: `cannot lock the host: unexpected answer '${rest}'` } };
  }
}
