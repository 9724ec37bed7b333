/**
 * Runs commands on this machine with /bin/sh, through the same command text as the ssh connection
 * (become included), so executor tests need no sshd.
 */
import { spawn } from 'node:child_process';
import { remoteCommand, redactSecret, timedOutStderr } from './remote-command.ts';
import type { Connection, ExecOptions, ExecResult } from './types.ts';

export interface LocalConnectionOptions {
  name?: string;
  becomePassword?: string;
  /** Environment of the commands; this process's when not given. */
  env?: NodeJS.ProcessEnv;
}

export class LocalConnection implements Connection {
  readonly name: string;
  readonly #options: LocalConnectionOptions;

  constructor(options: LocalConnectionOptions = {}) {
    this.name = options.name ?? 'localhost';
    this.#options = options;
  }

  async connect(): Promise<void> {}

  exec(command: string, options: ExecOptions = {}): Promise<ExecResult> {
    const password = this.#options.becomePassword;
    const remote = remoteCommand(command, { become: options.become, becomePassword: password, stdin: options.stdin, scriptOnInput: options.scriptOnInput });
    return new Promise((resolve, reject) => {
      // Its own process group, so a timeout kills the command and everything it started.
      const child = spawn('/bin/sh', ['-c', remote.command], { env: this.#options.env, detached: true });
      const stdout: Buffer[] = [];
      const stderr: Buffer[] = [];
      let timedOut = false;
      const timer =
        options.timeoutMs !== undefined && options.timeoutMs > 0
          ? setTimeout(() => {
              timedOut = true;
              process.kill(-child.pid!, 'SIGKILL');
            }, options.timeoutMs)
          : undefined;
      child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
      child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
      // The command may exit without reading its stdin; that EPIPE is not a failure.
      child.stdin.on('error', () => {});
      child.on('error', reject);
      child.on('close', (code) => {
        clearTimeout(timer);
        let err = Buffer.concat(stderr).toString('utf8');
        if (timedOut) err = timedOutStderr(err, options.timeoutMs!, 'killed');
        resolve({
          code: timedOut ? null : code,
          timedOut,
          stdout: redactSecret(Buffer.concat(stdout).toString('utf8'), password),
          stderr: redactSecret(err, password),
        });
      });
      child.stdin.end(remote.stdin ?? '');
    });
  }

  async close(): Promise<void> {}
}
