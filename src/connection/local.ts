/**
 * The local transport: processes on this machine, started as /bin/sh -c COMMAND, so a host with
 * `connection: local` (and executor tests) runs through the same shell layer as an ssh host.
 */
import { spawn } from 'node:child_process';
import { ShellConnection } from './shell-connection.ts';
import type { HostProcess, Transport } from './transport.ts';

export interface LocalConnectionOptions {
  name?: string;
  becomePassword?: string;
  /** Environment of the commands; this process's when not given. */
  env?: NodeJS.ProcessEnv;
}

/** This machine, its commands run by the shell layer. */
export class LocalConnection extends ShellConnection {
  constructor(options: LocalConnectionOptions = {}) {
    const name = options.name ?? 'localhost';
    super(new LocalTransport(name, options.env), { name, becomePassword: options.becomePassword });
  }
}

export class LocalTransport implements Transport {
  /** Not known up front: become asks the host (`id -u`) before it skips sudo. */
  readonly loginUser = undefined;
  readonly label: string;
  /** This machine is never lost. */
  readonly lost = undefined;
  readonly #env: NodeJS.ProcessEnv | undefined;

  constructor(label: string, env?: NodeJS.ProcessEnv) {
    this.label = label;
    this.#env = env;
  }

  async open(): Promise<void> {}

  start(command: string): Promise<HostProcess> {
    // A process group of its own, as sshd makes each session's shell: a timed-out command's kill
    // (killGroupCommand) takes the group and leaves this process alone.
    const child = spawn('/bin/sh', ['-c', command], { env: this.#env, detached: true });
    const ended = new Promise<number | null>((settle) => child.once('close', (code) => settle(code)));
    // The process may exit without reading its input; that EPIPE is not a failure.
    child.stdin.on('error', () => {});
    return new Promise((resolve, reject) => {
      child.once('error', reject);
      child.once('spawn', () => {
        child.off('error', reject);
        child.on('error', () => {});
        resolve({ stdin: child.stdin, stdout: child.stdout, stderr: child.stderr, ended, close: () => [child.stdin, child.stdout, child.stderr].forEach((s) => s.destroy()) });
      });
    });
  }

  /** Nothing to close: each shell the layer started exits when the layer ends its input. */
  close(): void {}
}
