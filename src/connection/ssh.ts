/**
 * The SSH connection: one ssh session per host (through its ProxyJump hops), opened once and reused
 * for every command, which a long-lived shell on it runs (remote-shell.ts). The only file that knows
 * about node-ssh.
 */
import { NodeSSH } from 'node-ssh';
import type { ClientChannel, Client } from 'ssh2';
import type { Duplex } from 'node:stream';
import { killGroupCommand, remoteCommand, redactSecret, takePidLine, timedOutStderr, TIMEOUT_EXIT_CODE } from './remote-command.ts';
import { LOCK_MARK, lockSetup, parseLockLine, type HostLockRequest, type LockOutcome } from './host-lock.ts';
import { BACKSTOP_EXTRA_MS, BACKSTOP_GRACE_MS, RemoteShell, SHELL_COMMAND, shellFeeds } from './remote-shell.ts';
import { descriptorShortage } from './descriptor-limit.ts';
import type { HandshakePacer } from './handshake-pacing.ts';
import { DEFAULT_KEEPALIVE_MS, prepareHandshake } from './ssh-handshake.ts';
import type { Connection, ConnectionTarget, ConnectOptions, ExecOptions, ExecResult } from './types.ts';
import { HostLockedError, UnreachableError } from './types.ts';

/** Who a command runs as through become, and the password sudo may ask for. */
interface BecomeAs {
  user: string;
  password?: string;
}

export interface SshTuning {
  /** How often to probe a silent server; four unanswered probes end the connection. */
  keepaliveMs?: number;
  /** Shared by the connections of one command: handshakes wait their turn here (handshake-pacing.ts). */
  pacer?: HandshakePacer;
}

export class SshConnection implements Connection {
  readonly name: string;
  readonly #target: ConnectionTarget;
  readonly #keepaliveMs: number;
  readonly #pacer: HandshakePacer | undefined;
  /** Outermost jump host first, the target host last. */
  #sessions: NodeSSH[] = [];
  /** The shells commands run in, with become and without; one per command running at once. */
  #shells: RemoteShell[] = [];
  #lost: string | undefined;
  #lock: HostLockRequest | undefined;
  /** The shell whose open descriptor holds the host lock (host-lock.ts), and what taking it gave. */
  #lockShell: RemoteShell | undefined;
  #lockOutcome: Promise<LockOutcome> | undefined;

  constructor(target: ConnectionTarget, tuning: SshTuning = {}) {
    this.name = target.name;
    this.#target = target;
    this.#keepaliveMs = tuning.keepaliveMs ?? DEFAULT_KEEPALIVE_MS;
    this.#pacer = tuning.pacer;
  }

  async connect(options: ConnectOptions = {}): Promise<void> {
    if (this.#sessions.length > 0) return;
    this.#lost = undefined;
    this.#lock = options.lock;
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
      await this.close();
      throw descriptorShortage(err, `connecting to ${this.#describe()}`) ?? err;
    }
    // Sent now, so the first command goes behind it on the same shell: no round trip of its own.
    if (this.#lock) this.#startLockShell(this.#client(), this.#lock);
  }

  /**
   * A shell that takes the lock at its start and holds it while it lives. When it dies (killed
   * with a timed-out command) the lock goes with it, and the next command takes it again.
   */
  #startLockShell(client: Client, lock: HostLockRequest): RemoteShell {
    let settle: (outcome: LockOutcome) => void = () => {};
    this.#lockOutcome = new Promise((resolve) => (settle = resolve));
    const shell = new RemoteShell(client, SHELL_COMMAND, undefined, undefined, {
      text: lockSetup(lock).text,
      mark: LOCK_MARK,
      allowanceMs: lock.timeoutSec * 1000 + BACKSTOP_EXTRA_MS,
      onLine: (text) => {
        const line = parseLockLine(text, lock);
        if (line.status === 'waiting') return lock.onWait?.(line.holder);
        if (line.outcome.status === 'held') lock.onHeld?.(line.outcome.holder);
        settle(line.outcome);
      },
    });
    shell.closed.then(() => settle({ status: 'failed', message: `the connection's shell ended before it took the lock${this.#lost ? `: ${this.#lost}` : ''}` }));
    this.#lockShell = shell;
    this.#shells.push(shell);
    return shell;
  }

  async exec(command: string, options: ExecOptions = {}): Promise<ExecResult> {
    const client = this.#client();
    const password = options.becomePassword ?? this.#target.becomePassword;
    // Logged in as root, becoming root has nothing to do: asking the host (`id -u`, a shell) costs
    // processes on every exec (issue 6).
    const becomeUser = options.becomeUser ?? 'root';
    const become = options.become === true && !(this.#target.user === 'root' && becomeUser === 'root');
    const as: BecomeAs | undefined = become ? { user: becomeUser, password } : undefined;
    const locked = this.#lock?.mode === 'take' ? this.#holdLock(client, become) : undefined;
    if (locked && !locked.pipelined) await this.#checkLock();
    const result = await this.#run(client, command, options, as).catch((err: Error) => {
      const why = this.#lost === undefined ? err.message : `connection lost: ${this.#lost}`;
      throw new UnreachableError(`${this.#describe()}: ${why}`);
    });
    if (locked?.pipelined) await this.#checkLock();
    if (result.code === null && !result.timedOut && this.#lost !== undefined) {
      throw new UnreachableError(`${this.#describe()}: connection lost while running a command: ${this.#lost}`);
    }
    return {
      ...result,
      stdout: redactSecret(result.stdout, password),
      stderr: redactSecret(result.stderr, password),
    };
  }

  /**
   * In a shell of the connection (remote-shell.ts) when it can be, else on an exec of its own:
   * under become with `timeout` on the host, otherwise killed by this connection on timeout.
   */
  #run(client: Client, command: string, options: ExecOptions, as: BecomeAs | undefined): Promise<ChannelResult> {
    const become = as !== undefined;
    const wrap = { become, becomeUser: as?.user, becomePassword: as?.password };
    const killGroup = (pid: number) => {
      const kill = remoteCommand(killGroupCommand(pid), wrap);
      runOnChannel(client, kill.command, kill.stdin, undefined).catch(() => {});
    };
    // No shell under a become password: sudo -S would read a wrong password's retries from the
    // input the shell keeps open for commands (an exec of its own ends it, so sudo fails at once).
    const shellable = !(become && as.password !== undefined) && shellFeeds(options.stdin);
    const inShell = shellable ? this.#shellFor(client, as?.user).run(command, { stdin: options.stdin, timeoutMs: options.timeoutMs, killGroup }) : undefined;
    if (inShell) return inShell;
    const remote = remoteCommand(command, { ...options, ...wrap, reportPid: !become });
    return runOnChannel(client, remote.command, remote.stdin, options.timeoutMs, become ? undefined : killGroup);
  }

  /**
   * Makes sure a live shell holds the lock; `pipelined` when the command goes to that shell behind
   * its setup (the shell runs it only once the lock is had), so it need not wait for the outcome.
   */
  #holdLock(client: Client, become: boolean): { pipelined: boolean } {
    const shell = this.#lockShell;
    if (shell && !shell.dead) return { pipelined: !become && !shell.busy };
    this.#startLockShell(client, this.#lock!);
    return { pipelined: !become };
  }

  async #checkLock(): Promise<void> {
    const outcome = await this.#lockOutcome!;
    if (outcome.status === 'failed') throw new HostLockedError(`${this.#describe()}: ${outcome.message}`);
  }

  /** An idle shell running as `becomeUser` through become (undefined: as the login user), or a new one. */
  #shellFor(client: Client, becomeUser: string | undefined): RemoteShell {
    this.#shells = this.#shells.filter((s) => !s.dead);
    // The lock's shell first: a command sent behind its setup runs only once the lock is had.
    const idle = [this.#lockShell, ...this.#shells].find((s) => s && !s.dead && s.becomeUser === becomeUser && !s.busy);
    if (idle) return idle;
    const start = becomeUser !== undefined ? remoteCommand(SHELL_COMMAND, { become: true, becomeUser }) : { command: SHELL_COMMAND, stdin: undefined };
    const shell = new RemoteShell(client, start.command, start.stdin, becomeUser);
    this.#shells.push(shell);
    return shell;
  }

  async close(): Promise<void> {
    const shells = this.#shells;
    this.#shells = [];
    this.#lockShell = undefined;
    for (const shell of shells) shell.close();
    const sessions = this.#sessions.reverse();
    this.#sessions = [];
    for (const session of sessions) session.dispose();
  }

  #client(): Client {
    const session = this.#sessions.at(-1);
    if (!session) throw new Error(`connection to ${this.name} used before connect()`);
    if (this.#lost !== undefined || session.connection === null) {
      throw new UnreachableError(`${this.#describe()}: connection lost: ${this.#lost ?? 'closed by the server'}`);
    }
    return session.connection;
  }

  /** Without a listener, a late socket error would crash the whole run; it ends this host instead. */
  #watch(session: NodeSSH, hop: ConnectionTarget): void {
    const client = clientOf(session);
    const where = hop === this.#target ? '' : `jump host ${hop.host}:${hop.port}: `;
    client.on('error', (err: Error) => {
      this.#lost ??= `${where}${err.message}`;
    });
    client.on('close', () => {
      this.#lost ??= `${where}closed by the server`;
    });
  }

  #describe(): string {
    return `${this.#target.user}@${this.#target.host}:${this.#target.port}`;
  }
}

function clientOf(session: NodeSSH): Client {
  if (session.connection === null) throw new Error('ssh session closed right after connecting');
  return session.connection;
}

async function openSession(hop: ConnectionTarget, sock: Duplex | undefined, via: ConnectionTarget | undefined, keepaliveMs: number): Promise<NodeSSH> {
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

function forwardTo(client: Client, hop: ConnectionTarget, next: ConnectionTarget): Promise<Duplex> {
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

interface ChannelResult extends ExecResult {
  timedOut: boolean;
}

/**
 * Runs one command on a new channel of the shared session. At timeoutMs, killGroup (when given)
 * kills the process group of the pid the command reported; otherwise the host's `timeout` does
 * (see remote-command.ts). A later timer is the backstop for a host that stopped answering.
 */
function runOnChannel(
  client: Client,
  command: string,
  stdin: string | undefined,
  timeoutMs: number | undefined,
  killGroup?: (pid: number) => void,
): Promise<ChannelResult> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    client.exec(command, (err: Error | undefined, channel: ClientChannel) => {
      if (err) return reject(err);
      const stdout: Buffer[] = [];
      const stderr: Buffer[] = [];
      let code: number | null = null;
      let abandoned = false;
      let killing = false;
      let killSent = false;
      let deadline: NodeJS.Timeout | undefined;
      let backstop: NodeJS.Timeout | undefined;
      let grace: NodeJS.Timeout | undefined;
      // The pid is the first line of stderr, which may not have arrived when time runs out.
      const kill = () => {
        if (!killing || killSent || !killGroup) return;
        const { pid } = takePidLine(Buffer.concat(stderr).toString('utf8'));
        if (pid === undefined) return;
        killSent = true;
        killGroup(pid);
      };
      const finish = () => {
        clearTimeout(deadline);
        clearTimeout(backstop);
        clearTimeout(grace);
        const limit = timeoutMs ?? Infinity;
        const timedOut = abandoned || killing || (code === TIMEOUT_EXIT_CODE && performance.now() - started >= limit);
        const text = Buffer.concat(stderr).toString('utf8');
        let err = killGroup ? takePidLine(text).rest : text;
        if (timedOut) err = timedOutStderr(err, limit, abandoned ? 'silent' : 'killed');
        resolve({ code: timedOut ? null : code, stdout: Buffer.concat(stdout).toString('utf8'), stderr: err, timedOut });
      };
      channel.on('data', (chunk: Buffer) => stdout.push(chunk));
      channel.stderr.on('data', (chunk: Buffer) => {
        stderr.push(chunk);
        kill();
      });
      channel.on('exit', (exitCode: number | null) => {
        code = typeof exitCode === 'number' ? exitCode : null;
      });
      // A channel error also closes it, and 'close' reports the result; unheard, it would crash.
      channel.on('error', () => {});
      channel.once('close', finish);
      if (timeoutMs !== undefined && timeoutMs > 0) {
        if (killGroup) {
          deadline = setTimeout(() => {
            killing = true;
            kill();
          }, timeoutMs);
        }
        backstop = setTimeout(() => {
          abandoned = true;
          channel.close();
          grace = setTimeout(finish, BACKSTOP_GRACE_MS);
        }, timeoutMs + BACKSTOP_EXTRA_MS);
      }
      channel.end(stdin ?? '');
    });
  });
}
