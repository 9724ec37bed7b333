/**
 * The shell layer: a Connection over any transport (transport.ts). It owns what every transport
 * would otherwise write again: the long-lived shells commands run in (host-shell.ts: framing, one
 * per command running at once), become (invocation.ts), the time limit and the kill of a timed-out
 * command from a second process (kill-on-timeout.ts), the host lock taken by the first shell
 * (host-lock.ts), and keeping the become password out of what a command prints.
 */
import { descriptorShortage } from './descriptor-limit.ts';
import { LOCK_MARK, lockSetup, parseLockLine, type HostLockRequest, type LockOutcome } from './host-lock.ts';
import { HostShell, SHELL_COMMAND, shellFeeds } from './host-shell.ts';
import { invocation } from './invocation.ts';
import { BACKSTOP_EXTRA_MS, killGroupCommand, type TimedResult } from './kill-on-timeout.ts';
import { runOwnProcess } from './own-process.ts';
import { sh } from '../shell/quote.ts';
import type { Transport } from './transport.ts';
import { HostLockedError, UnreachableError, type Connection, type ConnectOptions, type ExecOptions, type ExecResult } from './types.ts';

/** Who a command runs as through become, and the password sudo may ask for. */
interface BecomeAs {
  user: string;
  password?: string;
}

export interface ShellConnectionOptions {
  /** Inventory name, used in messages. */
  name: string;
  /** The become password, from LVSDR_BECOME_PASSWORD; never logged. */
  becomePassword?: string;
}

export class ShellConnection implements Connection {
  readonly name: string;
  readonly #transport: Transport;
  readonly #becomePassword: string | undefined;
  #open = false;
  /** The shells commands run in, with become and without; one per command running at once. */
  #shells: HostShell[] = [];
  #lock: HostLockRequest | undefined;
  /** The shell whose open descriptor holds the host lock (host-lock.ts), and what taking it gave. */
  #lockShell: HostShell | undefined;
  #lockOutcome: Promise<LockOutcome> | undefined;

  constructor(transport: Transport, options: ShellConnectionOptions) {
    this.name = options.name;
    this.#transport = transport;
    this.#becomePassword = options.becomePassword;
  }

  async connect(options: ConnectOptions = {}): Promise<void> {
    if (this.#open) return;
    this.#lock = options.lock;
    await this.#transport.open();
    this.#open = true;
    // Sent now, so the first command goes behind it on the same shell: no round trip of its own.
    if (this.#lock) this.#startLockShell(this.#lock);
  }

  /**
   * A shell that takes the lock at its start and holds it while it lives. When it dies (killed
   * with a timed-out command) the lock goes with it, and the next command takes it again.
   */
  #startLockShell(lock: HostLockRequest): HostShell {
    let settle: (outcome: LockOutcome) => void = () => {};
    this.#lockOutcome = new Promise((resolve) => (settle = resolve));
    const shell = new HostShell(this.#transport.start(SHELL_COMMAND), undefined, undefined, {
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
    shell.closed.then(() => {
      const lost = this.#transport.lost;
      settle({ status: 'failed', message: `the connection's shell ended before it took the lock${lost ? `: ${lost}` : ''}` });
    });
    this.#lockShell = shell;
    this.#shells.push(shell);
    return shell;
  }

  async exec(command: string, options: ExecOptions = {}): Promise<ExecResult> {
    this.#usable();
    const password = options.becomePassword ?? this.#becomePassword;
    // Logged in as root, becoming root has nothing to do: asking the host (`id -u`, a shell) costs
    // processes on every exec (issue 6).
    const becomeUser = options.becomeUser ?? 'root';
    const become = options.become === true && !(this.#transport.loginUser === 'root' && becomeUser === 'root');
    const as: BecomeAs | undefined = become ? { user: becomeUser, password } : undefined;
    const locked = this.#lock?.mode === 'take' ? this.#holdLock(become) : undefined;
    if (locked && !locked.pipelined) await this.#checkLock();
    const result = await this.#run(withEnvironment(command, options.environment), options, as).catch((err: Error) => {
      const lost = this.#transport.lost;
      const why = lost === undefined ? err.message : `connection lost: ${lost}`;
      throw descriptorShortage(err, `starting a process on ${this.#transport.label}`) ?? new UnreachableError(`${this.#transport.label}: ${why}`);
    });
    if (locked?.pipelined) await this.#checkLock();
    const lost = this.#transport.lost;
    if (result.code === null && !result.timedOut && lost !== undefined) {
      throw new UnreachableError(`${this.#transport.label}: connection lost while running a command: ${lost}`);
    }
    return {
      ...result,
      stdout: redactSecret(result.stdout, password),
      stderr: redactSecret(result.stderr, password),
    };
  }

  #usable(): void {
    const lost = this.#transport.lost;
    if (lost !== undefined) throw new UnreachableError(`${this.#transport.label}: connection lost: ${lost}`);
  }

  /**
   * In a shell of the connection (host-shell.ts) when it can be, else on a process of its own:
   * under become with `timeout` on the host, otherwise killed by this connection on timeout.
   */
  #run(command: string, options: ExecOptions, as: BecomeAs | undefined): Promise<TimedResult> {
    const become = as !== undefined;
    const wrap = { become, becomeUser: as?.user, becomePassword: as?.password };
    const killGroup = (pid: number) => {
      runOwnProcess(this.#transport, invocation(killGroupCommand(pid), wrap), undefined).catch(() => {});
    };
    // No shell under a become password: sudo -S would read a wrong password's retries from the
    // input the shell keeps open for commands (a process of its own ends it, so sudo fails at once).
    const shellable = !(become && as.password !== undefined) && shellFeeds(options.stdin);
    const inShell = shellable ? this.#shellFor(as?.user).run(command, { stdin: options.stdin, timeoutMs: options.timeoutMs, killGroup }) : undefined;
    if (inShell) return inShell;
    const own = invocation(command, { ...options, ...wrap, reportPid: !become });
    return runOwnProcess(this.#transport, own, options.timeoutMs, become ? undefined : killGroup);
  }

  /**
   * Makes sure a live shell holds the lock; `pipelined` when the command goes to that shell behind
   * its setup (the shell runs it only once the lock is had), so it need not wait for the outcome.
   */
  #holdLock(become: boolean): { pipelined: boolean } {
    const shell = this.#lockShell;
    if (shell && !shell.dead) return { pipelined: !become && !shell.busy };
    this.#startLockShell(this.#lock!);
    return { pipelined: !become };
  }

  async #checkLock(): Promise<void> {
    const outcome = await this.#lockOutcome!;
    if (outcome.status === 'failed') throw new HostLockedError(`${this.#transport.label}: ${outcome.message}`);
  }

  /** An idle shell running as `becomeUser` through become (undefined: as the login user), or a new one. */
  #shellFor(becomeUser: string | undefined): HostShell {
    this.#shells = this.#shells.filter((s) => !s.dead);
    // The lock's shell first: a command sent behind its setup runs only once the lock is had.
    const idle = [this.#lockShell, ...this.#shells].find((s) => s && !s.dead && s.becomeUser === becomeUser && !s.busy);
    if (idle) return idle;
    const start = becomeUser !== undefined ? invocation(SHELL_COMMAND, { become: true, becomeUser }) : { command: SHELL_COMMAND, stdin: undefined };
    const shell = new HostShell(this.#transport.start(start.command), start.stdin, becomeUser);
    this.#shells.push(shell);
    return shell;
  }

  async close(): Promise<void> {
    const shells = this.#shells;
    this.#shells = [];
    this.#lockShell = undefined;
    this.#open = false;
    for (const shell of shells) shell.close();
    this.#transport.close();
  }
}

/** Replaces every occurrence of a secret, so it cannot leak through a command's own output. */
/**
 * The task's `environment` exported ahead of its command, inside the command's own shell (a
 * subshell of the connection's, or a process of its own), so it reaches that command only — under
 * become too, as sudo starts the shell that runs it.
 */
export function withEnvironment(command: string, environment: Record<string, string> | undefined): string {
  if (!environment) return command;
  const names = Object.keys(environment);
  const bad = names.find((n) => !/^[A-Za-z_][A-Za-z0-9_]*$/.test(n));
  if (bad !== undefined) throw new Error(`internal: environment variable name ${JSON.stringify(bad)} reached the shell layer`);
  return `${names.map((n) => sh`export ${n}=${environment[n]}`.text).join('\n')}\n${command}`;
}

export function redactSecret(text: string, secret: string | undefined): string {
  return secret ? text.replaceAll(secret, '********') : text;
}
