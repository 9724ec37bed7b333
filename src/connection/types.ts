/**
 * The small connection contract (DESIGN.md §5), which the shell layer (shell-connection.ts)
 * implements over every transport. Only connection/ssh.ts knows about node-ssh.
 */
import type { HostLockRequest } from './host-lock.ts';

export interface ExecResult {
  /** Exit status; null when the command was killed by a signal or the channel closed first. */
  code: number | null;
  stdout: string;
  stderr: string;
  /** Set when timeoutMs ran out and the command was killed; stderr then says so. */
  timedOut?: boolean;
}

export interface ExecOptions {
  /** Bytes written to the command's standard input, then closed; how lvsdr sends file contents. */
  stdin?: string;
  /** Kill the command after this long; the result is then a failure naming the timeout. */
  timeoutMs?: number;
  /** Run through the become method (sudo). */
  become?: boolean;
  /** Who become runs the command as; root when not given. */
  becomeUser?: string;
  /** The become password for this command (ansible_become_password); the connection's own when not given. */
  becomePassword?: string;
  /** Variables exported to the command (the task's `environment`); names checked before. */
  environment?: Record<string, string>;
  /**
   * The command is a script holding secrets or file contents (in here-documents), so its text must
   * not appear on a command line on the host (ps, sudo's log): it goes to a shell's standard input.
   * Not combined with stdin.
   */
  scriptOnInput?: boolean;
}

export interface ConnectOptions {
  /** Take (or, in check mode, look at) the host's lock for as long as the connection lives. */
  lock?: HostLockRequest;
}

export interface Connection {
  readonly name: string;
  connect(options?: ConnectOptions): Promise<void>;
  exec(command: string, options?: ExecOptions): Promise<ExecResult>;
  close(): Promise<void>;
}

/** Raised when a host cannot be reached or authenticated: the host ends as unreachable. */
export class UnreachableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnreachableError';
  }
}

/** Raised when another run holds the host's lock (host-lock.ts): the host ends as failed. */
export class HostLockedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HostLockedError';
  }
}

/**
 * Raised when the controller itself ran out of something a connection needs (file descriptors):
 * no host is to blame, so the run stops and says what to raise instead of calling hosts unreachable.
 */
export class ControllerLimitError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ControllerLimitError';
  }
}
