/**
 * Runs commands on this machine with /bin/sh, through the same command text as the ssh connection
 * (become included), so executor tests need no sshd.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { LOCK_MARK, lockSetup, parseLockLine, type LockOutcome } from './host-lock.ts';
import { remoteCommand, redactSecret, timedOutStderr } from './remote-command.ts';
import { takeSetupLines } from './remote-shell.ts';
import { HostLockedError, type Connection, type ConnectOptions, type ExecOptions, type ExecResult } from './types.ts';

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

  #lockHolder: ChildProcess | undefined;

  /**
   * With a lock, a shell of its own takes it and holds it until close() ends its input, or this
   * process dies: commands here run each in a process of their own, none of which lives as long.
   */
  async connect(options: ConnectOptions = {}): Promise<void> {
    const lock = options.lock;
    if (!lock || this.#lockHolder) return;
    const holder = spawn('/bin/sh', ['-s'], { env: this.#options.env, stdio: ['pipe', 'ignore', 'pipe'] });
    this.#lockHolder = holder;
    const taken = new Promise<LockOutcome>((resolve) => {
      let err = '';
      holder.stderr!.on('data', (chunk: Buffer) => {
        const { lines, rest } = takeSetupLines(err + chunk.toString('utf8'), LOCK_MARK);
        err = rest;
        for (const text of lines) {
          const line = parseLockLine(text, lock);
          if (line.status === 'waiting') lock.onWait?.(line.holder);
          else if (line.outcome.status === 'held') lock.onHeld?.(line.outcome.holder);
          if (line.status === 'done') resolve(line.outcome);
        }
      });
      holder.on('close', () => resolve({ status: 'failed', message: `the lock's shell ended before it took the lock${err ? `: ${err.trim()}` : ''}` }));
      holder.on('error', (e) => resolve({ status: 'failed', message: `cannot start /bin/sh: ${e.message}` }));
    });
    holder.stdin!.on('error', () => {});
    // `read` waits for close() to end the input; the shell then exits and the lock is released.
    holder.stdin!.write(`${lockSetup(lock).text}\nread __lvsdr_end\n`);
    const outcome = await taken;
    if (outcome.status === 'failed') throw new HostLockedError(`${this.name}: ${outcome.message}`);
  }

  exec(command: string, options: ExecOptions = {}): Promise<ExecResult> {
    const password = options.becomePassword ?? this.#options.becomePassword;
    const { become, becomeUser, stdin, scriptOnInput } = options;
    const remote = remoteCommand(command, { become, becomeUser, becomePassword: password, stdin, scriptOnInput });
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

  async close(): Promise<void> {
    this.#lockHolder?.stdin?.end();
    this.#lockHolder = undefined;
  }
}
