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
 * timeout: coreutils `timeout` on the host kills the command's whole process group (TERM, then KILL
 * after 2 s), inside sudo so it may kill root's processes. The client cannot do this itself:
 * OpenSSH 9.2 refuses signal requests for root sessions ("session signalling requires privilege
 * separation"), and closing the channel leaves the command running.
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
  /** Have the host kill the command after this long (exit status 124). */
  timeoutMs?: number;
}

/** The exit status of a command killed by `timeout`. */
export const TIMEOUT_EXIT_CODE = 124;

export function remoteCommand(command: string, options: RemoteCommandOptions): RemoteCommand {
  const run =
    options.timeoutMs !== undefined && options.timeoutMs > 0
      ? sh`timeout -k 2 ${options.timeoutMs / 1000} /bin/sh -c ${command}`
      : sh`/bin/sh -c ${command}`;
  if (!options.become) return { command: `exec ${run}`, stdin: options.stdin };
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

function execSh(script: ShellText): string {
  return `exec ${sh`/bin/sh -c ${script.text}`}`;
}

/** Replaces every occurrence of a secret, so it cannot leak through a command's own output. */
export function redactSecret(text: string, secret: string | undefined): string {
  return secret ? text.replaceAll(secret, '********') : text;
}
