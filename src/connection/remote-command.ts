/**
 * The exact text a connection sends to run one command, shared by the ssh and local connections
 * so both behave alike. The command always runs under /bin/sh -c, whatever the login shell.
 *
 * become: to root when already root → no-op; else `sudo -H -n` (-H as Ansible's default become
 * flags, so HOME is the become user's), with `-u USER` for another become user than root. With a become password, the password travels as
 * the first line of stdin, never in a command line. sudo reads it byte by byte, so the payload
 * stdin after it reaches the command intact. The password must not reach the command instead, so
 * the wrapper first asks `sudo -k -n true`: if sudo needs no password (NOPASSWD), or the user is
 * root, the wrapper reads and drops that line itself. `-k` makes sudo ignore cached credentials, so
 * when a password is needed, sudo always reads it, and the line is always consumed exactly once.
 *
 * timeout: closing the channel leaves a command running, and OpenSSH 9.2 refuses signal requests
 * for root sessions ("session signalling requires privilege separation"), so a timed-out command
 * is killed by a process on the host. A command run on its own exec under become gets coreutils
 * `timeout` inside sudo (TERM to its process group, KILL after 2 s). Otherwise the connection
 * kills it (killGroupCommand) through the pid the command reported first (PID_MARK on stderr):
 * that spares the host starting `timeout` on every exec (issue 6).
 */
import { sh } from '../shell/quote.ts';

export interface RemoteCommand {
  command: string;
  stdin?: string;
}

export interface RemoteCommandOptions {
  become?: boolean;
  /** Who become runs the command as; root when not given. */
  becomeUser?: string;
  becomePassword?: string;
  stdin?: string;
  /** Under become, have the host kill the command after this long (exit status 124). */
  timeoutMs?: number;
  /** Without become, print the command's pid first on stderr (reportPid, killGroupCommand). */
  reportPid?: boolean;
  /** Send the command on the standard input of `/bin/sh -s` instead (ExecOptions.scriptOnInput). */
  scriptOnInput?: boolean;
}

/** Starts the line on stderr that gives a command's pid. */
export const PID_MARK = '@@lvsdr-pid';

/** Prints the pid of the shell that runs it; an exec after it keeps that pid. */
export const PRINT_PID = `printf '%s %s\\n' ${PID_MARK} "$$" >&2`;

/** The exit status of a command killed by `timeout`. */
export const TIMEOUT_EXIT_CODE = 124;

export function remoteCommand(command: string, options: RemoteCommandOptions): RemoteCommand {
  if (options.scriptOnInput) {
    if (options.stdin !== undefined) throw new Error('internal: a script sent on input cannot have input of its own');
    return remoteCommand('/bin/sh -s', { ...options, scriptOnInput: false, stdin: command });
  }
  if (!options.become) {
    // Printed by /bin/sh itself, whatever the login shell; exec keeps the login shell's pid.
    const text = options.reportPid ? `${PRINT_PID}; ${command}` : command;
    return { command: `exec ${sh`/bin/sh -c ${text}`}`, stdin: options.stdin };
  }
  const run =
    options.timeoutMs !== undefined && options.timeoutMs > 0
      ? sh`timeout -k 2 ${options.timeoutMs / 1000} /bin/sh -c ${command}`
      : sh`/bin/sh -c ${command}`;
  const user = options.becomeUser ?? 'root';
  const sudo = user === 'root' ? 'sudo -H' : sh`sudo -H -u ${user}`.text;
  const password = options.becomePassword;
  if (password?.includes('\n')) throw new Error('the become password cannot contain a newline');
  let script =
    password === undefined
      ? `exec ${sudo} -n -- ${run.text}`
      : `if ${sudo} -k -n true 2>/dev/null; then IFS= read -r _; exec ${sudo} -n -- ${run.text}; else exec ${sudo} -k -S -p '' -- ${run.text}; fi`;
  // Root becoming root has nothing to do; root becoming another user still goes through sudo -u.
  if (user === 'root') script = `if [ "$(id -u)" = 0 ]; then ${password === undefined ? '' : 'IFS= read -r _; '}exec ${run.text}; else ${script}; fi`;
  return { command: execSh(script), stdin: password === undefined ? options.stdin : `${password}\n${options.stdin ?? ''}` };
}

/**
 * Kills the process group of `pid` as `timeout -k 2` would: TERM, then KILL to whatever is left
 * after 2 s, waiting no longer than the group lives (so its id is not reused meanwhile). The group
 * is looked up on the host: sshd makes each session's shell a group leader, and sudo may start one.
 */
export function killGroupCommand(pid: number): string {
  if (!Number.isSafeInteger(pid) || pid <= 1) throw new Error(`not a process id: ${pid}`);
  // dash's kill takes no `--`; a negative id right after the signal is still a group.
  return (
    `read -r _ _ _ _ g _ < /proc/${pid}/stat 2>/dev/null && [ "$g" -gt 1 ] || exit 0; ` +
    'kill -TERM -$g 2>/dev/null || exit 0; n=0; ' +
    'while [ $n -lt 20 ] && kill -0 -$g 2>/dev/null; do sleep 0.1; n=$((n + 1)); done; kill -KILL -$g 2>/dev/null; exit 0'
  );
}

const PID_LINE = new RegExp(`(^|\\n)${PID_MARK} (\\d+)\\n`);

/** Where the PID_MARK line is in stderr: its pid, its first index, and the index after it. */
export function findPidLine(stderr: string): { pid: number; start: number; end: number } | undefined {
  const m = PID_LINE.exec(stderr);
  if (!m) return undefined;
  return { pid: Number(m[2]), start: m.index + m[1].length, end: m.index + m[0].length };
}

/** Takes the PID_MARK line out of stderr; lines before it (say, sudo's) stay. */
export function takePidLine(stderr: string): { pid?: number; rest: string } {
  const line = findPidLine(stderr);
  if (!line) return { rest: stderr };
  return { pid: line.pid, rest: stderr.slice(0, line.start) + stderr.slice(line.end) };
}

function execSh(script: string): string {
  return `exec ${sh`/bin/sh -c ${script}`}`;
}

/** stderr of a timed-out command, with a last line that says so: `killed`, or the host went silent. */
export function timedOutStderr(stderr: string, timeoutMs: number, how: 'killed' | 'silent'): string {
  const why = how === 'silent' ? 'the host did not answer after that' : 'the command was killed';
  return `${stderr}${stderr && !stderr.endsWith('\n') ? '\n' : ''}timed out after ${timeoutMs / 1000} s; ${why}\n`;
}

/** Replaces every occurrence of a secret, so it cannot leak through a command's own output. */
export function redactSecret(text: string, secret: string | undefined): string {
  return secret ? text.replaceAll(secret, '********') : text;
}
