/**
 * The exact text a connection sends to run one command, shared by the ssh and local connections
 * so both behave alike. The command always runs under /bin/sh -c, whatever the login shell.
 *
 * become: already root → no-op; else `sudo -n`. With a become password, the password travels as
 * the first line of stdin, never in a command line. sudo reads it byte by byte, so the payload
 * stdin after it reaches the command intact. The password must not reach the command instead, so
 * the wrapper first asks `sudo -k -n true`: if sudo needs no password (NOPASSWD), or the user is
 * root, the wrapper reads and drops that line itself. `-k` makes sudo ignore cached credentials, so
 * when a password is needed, sudo always reads it, and the line is always consumed exactly once.
 *
 * timeout: closing the channel leaves a command running, and OpenSSH 9.2 refuses signal requests
 * for root sessions ("session signalling requires privilege separation"), so a timed-out command
 * is killed by a process on the host. Under become, coreutils `timeout` inside sudo kills the
 * command's whole process group (TERM, then KILL after 2 s), since only root may kill root's
 * processes. Without become the connection does it (ssh.ts, killGroupCommand): the command first
 * reports its process group, which sshd made its own; that spares the host starting `timeout` on
 * every exec, about 15 ms of CPU each on a busy host (issue 6).
 */
import { sh, type ShellText } from '../shell/quote.ts';

export interface RemoteCommand {
  command: string;
  stdin?: string;
}

export interface RemoteCommandOptions {
  become?: boolean;
  becomePassword?: string;
  stdin?: string;
  /** Under become, have the host kill the command after this long (exit status 124). */
  timeoutMs?: number;
  /** Without become, print `PGID_MARK <pgid>` as the first line of stderr (see killGroupCommand). */
  reportPgid?: boolean;
}

/** Starts the first line of stderr of a command run with reportPgid. */
export const PGID_MARK = '@@lvsdr-pgid';

/** The exit status of a command killed by `timeout`. */
export const TIMEOUT_EXIT_CODE = 124;

export function remoteCommand(command: string, options: RemoteCommandOptions): RemoteCommand {
  if (!options.become) {
    // The login shell's pid: sshd made it a session and process group leader, and exec keeps it.
    const report = options.reportPgid ? `printf '%s %s\\n' ${PGID_MARK} "$$" >&2; ` : '';
    return { command: `${report}exec ${sh`/bin/sh -c ${command}`}`, stdin: options.stdin };
  }
  const run =
    options.timeoutMs !== undefined && options.timeoutMs > 0
      ? sh`timeout -k 2 ${options.timeoutMs / 1000} /bin/sh -c ${command}`
      : sh`/bin/sh -c ${command}`;
  if (options.becomePassword === undefined) {
    const script = sh`if [ "$(id -u)" = 0 ]; then exec ${run}; else exec sudo -n -- ${run}; fi`;
    return { command: execSh(script), stdin: options.stdin };
  }
  if (options.becomePassword.includes('\n')) {
    throw new Error('the become password cannot contain a newline');
  }
  const script = sh`if [ "$(id -u)" = 0 ]; then IFS= read -r _; exec ${run}; elif sudo -k -n true 2>/dev/null; then IFS= read -r _; exec sudo -n -- ${run}; else exec sudo -k -S -p '' -- ${run}; fi`;
  return { command: execSh(script), stdin: `${options.becomePassword}\n${options.stdin ?? ''}` };
}

/**
 * Kills a process group as `timeout -k 2` would: TERM, then KILL to whatever is left after 2 s.
 * It stops waiting as soon as the group is gone, so a finished group's id is not reused meanwhile.
 */
export function killGroupCommand(pgid: number): string {
  if (!Number.isSafeInteger(pgid) || pgid <= 1) throw new Error(`not a process group: ${pgid}`);
  // dash's kill takes no `--`; a negative id right after the signal is still a group.
  const g = `-${pgid}`;
  return `kill -TERM ${g} 2>/dev/null || exit 0; n=0; while [ $n -lt 20 ] && kill -0 ${g} 2>/dev/null; do sleep 0.1; n=$((n + 1)); done; kill -KILL ${g} 2>/dev/null; exit 0`;
}

/** Takes the PGID_MARK line off the front of stderr; the group id is undefined until it is whole. */
export function takePgidLine(stderr: string): { pgid?: number; rest: string } {
  const prefix = `${PGID_MARK} `;
  if (!stderr.startsWith(prefix)) return { rest: stderr };
  const end = stderr.indexOf('\n');
  if (end < 0) return { rest: '' };
  return { pgid: Number(stderr.slice(prefix.length, end)), rest: stderr.slice(end + 1) };
}

function execSh(script: ShellText): string {
  return `exec ${sh`/bin/sh -c ${script.text}`}`;
}

/** Replaces every occurrence of a secret, so it cannot leak through a command's own output. */
export function redactSecret(text: string, secret: string | undefined): string {
  return secret ? text.replaceAll(secret, '********') : text;
}
