/**
 * What lies under the shell layer (shell-connection.ts): a transport starts a process on a host
 * and hands back its streams, and that is all it does, as Puppet Bolt's transports. Framing,
 * become, timeouts, kill-on-timeout and the host lock are the shell layer's, written once for every
 * transport: ssh (ssh.ts) and this machine (local.ts).
 */
import type { Readable, Writable } from 'node:stream';

/** A process a transport started on the host. */
export interface HostProcess {
  readonly stdin: Writable;
  readonly stdout: Readable;
  readonly stderr: Readable;
  /**
   * Settles once the process has ended and its output has all been read: its exit status, or null
   * when a signal ended it or the transport lost it. Never rejects.
   */
  readonly ended: Promise<number | null>;
  /** Stops waiting for the process (closes its streams); on the host it may live on. */
  close(): void;
}

export interface Transport {
  /** Who the host runs processes as, when known before running one (ssh's login user). */
  readonly loginUser: string | undefined;
  /** How messages name the host: user@host:port, or the inventory name. */
  readonly label: string;
  /** Why the host cannot be reached any more, once it cannot. */
  readonly lost: string | undefined;
  /** Opens what starting processes needs (ssh: the session, through its jump hosts); again after close(). */
  open(): Promise<void>;
  /** Starts `command` with the login shell (ssh) or /bin/sh -c (local); rejects when it cannot. */
  start(command: string): Promise<HostProcess>;
  close(): void;
}
