/**
 * What the shell layer asks a transport to start for one command (or for a long-lived shell): the
 * command line and the input sent to it first. The same text for every transport, so ssh and
 * local behave alike. The command always runs under /bin/sh -c, whatever the login shell.
 *
 * become: `sudo -H -n` (-H as Ansible's default become flags, so HOME is the become user's), with
 * `-u USER` for another become user than root; root becoming root runs the command as it is. With
 * a become password, the password travels as the first line of stdin, never in a command line.
 * sudo reads it byte by byte, so the payload stdin after it reaches the command intact. The
 * password must not reach the command instead, so the wrapper first asks `sudo -k -n true`: if
 * sudo needs no password (NOPASSWD), or the user is root, the wrapper reads and drops that line
 * itself. `-k` makes sudo ignore cached credentials, so when a password is needed, sudo always
 * reads it, and the line is always consumed exactly once.
 *
 * timeout: a command on a process of its own under become gets coreutils `timeout` inside sudo
 * (TERM to its process group, KILL after 2 s); without become it prints its pid first
 * (pid-line.ts), by which the shell layer kills it (kill-on-timeout.ts).
 */
import { sh } from '../shell/quote.ts';
import { PRINT_PID } from './pid-line.ts';

export interface Invocation {
  command: string;
  stdin?: string;
}

export interface InvocationOptions {
  become?: boolean;
  /** Who become runs the command as; root when not given. */
  becomeUser?: string;
  becomePassword?: string;
  stdin?: string;
  /** Under become, have the host kill the command after this long (kill-on-timeout.ts TIMEOUT_EXIT_CODE). */
  timeoutMs?: number;
  /** Without become, print the command's pid first on stderr (pid-line.ts). */
  reportPid?: boolean;
  /** Send the command on the standard input of `/bin/sh -s` instead (ExecOptions.scriptOnInput). */
  scriptOnInput?: boolean;
}

export function invocation(command: string, options: InvocationOptions): Invocation {
  if (options.scriptOnInput) {
    if (options.stdin !== undefined) throw new Error('internal: a script sent on input cannot have input of its own');
    return invocation('/bin/sh -s', { ...options, scriptOnInput: false, stdin: command });
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
  return { command: `exec ${sh`/bin/sh -c ${script}`}`, stdin: password === undefined ? options.stdin : `${password}\n${options.stdin ?? ''}` };
}
