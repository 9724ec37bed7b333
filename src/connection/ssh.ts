/**
 * The ssh transport: one ssh session per host (through its ProxyJump hops), opened once; each
 * process it starts is an exec channel of that session. The only file that knows about node-ssh.
 */
import { NodeSSH } from 'node-ssh';
import type { ClientChannel, Client } from 'ssh2';
import type { Duplex } from 'node:stream';
import { descriptorShortage } from './descriptor-limit.ts';
import type { HandshakePacer } from './handshake-pacing.ts';
import { ShellConnection } from './shell-connection.ts';
import { DEFAULT_KEEPALIVE_MS, prepareHandshake } from './ssh-handshake.ts';
import type { HostProcess, Transport } from './transport.ts';
import type { SshTarget } from './ssh-target.ts';
import { UnreachableError } from './types.ts';

export interface SshTuning {
  /** How often to probe a silent server; four unanswered probes end the connection. */
  keepaliveMs?: number;
  /** Shared by the connections of one command: handshakes wait their turn here (handshake-pacing.ts). */
  pacer?: HandshakePacer;
}

/** A host reached over ssh, its commands run by the shell layer. */
export class SshConnection extends ShellConnection {
  constructor(target: SshTarget, tuning: SshTuning = {}) {
    super(new SshTransport(target, tuning), { name: target.name, becomePassword: target.becomePassword });
  }
}

export class SshTransport implements Transport {
  readonly #target: SshTarget;
  readonly #keepaliveMs: number;
  readonly #pacer: HandshakePacer | undefined;
  /** Outermost jump host first, the target host last. */
  #sessions: NodeSSH[] = [];
  #lost: string | undefined;

  constructor(target: SshTarget, tuning: SshTuning = {}) {
    this.#target = target;
    this.#keepaliveMs = tuning.keepaliveMs ?? DEFAULT_KEEPALIVE_MS;
    this.#pacer = tuning.pacer;
  }

  get loginUser(): string {
    return this.#target.user;
  }

  get label(): string {
    return `${this.#target.user}@${this.#target.host}:${this.#target.port}`;
  }

  get lost(): string | undefined {
    const session = this.#sessions.at(-1);
    return this.#lost ?? (session && session.connection === null ? 'closed by the server' : undefined);
  }

  async open(): Promise<void> {
    if (this.#sessions.length > 0) return;
    this.#lost = undefined;
    const hops = [...(this.#target.proxyJump ?? []), this.#target];
    let sock: Duplex | undefined;
    try {
      for (const [i, hop] of hops.entries()) {
        const via = i > 0 ? hops[i - 1] : undefined;
        const open = () => openSession(hop, sock, via, this.#keepaliveMs);
        const session = await (this.#pacer ? this.#pacer.paced(open) : open());
        this.#sessions.push(session);
        this.#watch(session, hop);
        const next = hops[i + 1];
        if (next) sock = await forwardTo(clientOf(session), hop, next);
      }
    } catch (err) {
      this.close();
      throw descriptorShortage(err, `connecting to ${this.label}`) ?? err;
    }
  }

  /** An exec channel running `command` under the login user's shell. */
  start(command: string): Promise<HostProcess> {
    const session = this.#sessions.at(-1);
    if (!session) return Promise.reject(new Error(`connection to ${this.#target.name} used before connect()`));
    const client = session.connection;
    // The shell layer names the host and why it was lost (Transport.lost).
    if (this.#lost !== undefined || client === null) return Promise.reject(new Error('connection lost'));
    return new Promise((resolve, reject) => {
      client.exec(command, (err: Error | undefined, channel: ClientChannel) => {
        if (err) return reject(err);
        let code: number | null = null;
        channel.on('exit', (exitCode: number | null) => {
          code = typeof exitCode === 'number' ? exitCode : null;
        });
        // A channel error also closes it, and 'close' reports the end; unheard, it would crash.
        channel.on('error', () => {});
        const ended = new Promise<number | null>((settle) => channel.once('close', () => settle(code)));
        resolve({ stdin: channel, stdout: channel, stderr: channel.stderr, ended, close: () => channel.close() });
      });
    });
  }

  close(): void {
    const sessions = this.#sessions.reverse();
    this.#sessions = [];
    for (const session of sessions) session.dispose();
  }

  /** Without a listener, a late socket error would crash the whole run; it ends this host instead. */
  #watch(session: NodeSSH, hop: SshTarget): void {
    const client = clientOf(session);
    const where = hop === this.#target ? '' : `jump host ${hop.host}:${hop.port}: `;
    client.on('error', (err: Error) => {
      this.#lost ??= `${where}${err.message}`;
    });
    client.on('close', () => {
      this.#lost ??= `${where}closed by the server`;
    });
  }
}

function clientOf(session: NodeSSH): Client {
  if (session.connection === null) throw new Error('ssh session closed right after connecting');
  return session.connection;
}

async function openSession(hop: SshTarget, sock: Duplex | undefined, via: SshTarget | undefined, keepaliveMs: number): Promise<NodeSSH> {
  const handshake = await prepareHandshake(hop, sock, via, keepaliveMs);
  const session = new NodeSSH();
  try {
    await session.connect(handshake.config);
    // Without it, Nagle's algorithm and delayed ACKs add ~80 ms to every channel open.
    session.connection?.setNoDelay(true);
  } catch (err) {
    session.dispose();
    // Before explain(), which would make a host unreachable of what is the controller's shortage.
    throw descriptorShortage(err, `connecting to ${hop.user}@${hop.host}:${hop.port}`) ?? handshake.explain(err);
  }
  return session;
}

function forwardTo(client: Client, hop: SshTarget, next: SshTarget): Promise<Duplex> {
  return new Promise((resolve, reject) => {
    client.forwardOut('127.0.0.1', 0, next.host, next.port, (err, stream) => {
      if (err) {
        reject(new UnreachableError(`jump host ${hop.host}:${hop.port} cannot reach ${next.host}:${next.port}: ${err.message}`));
      } else {
        resolve(stream);
      }
    });
  });
}
