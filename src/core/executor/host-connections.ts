/**
 * A host's connections for one run, one per way of reaching it that its tasks ask for (ssh as
 * one login user, ssh as another, or this machine for `connection: local`): most hosts need only
 * one, opened before the first play's facts; another is opened, and takes the host lock under the
 * same run, the first time a task asks for it.
 *
 * A task delegated to another host goes over a connection of its own to that host, kept here with
 * the host's others, and taking the delegate's lock under the same run (two hosts delegating to one
 * director at once share its lock, each over its own connection, as Ansible's workers do). Only the
 * last delegate's is kept: a task delegating elsewhere closes it first, so a host holds at most
 * one connection beyond its own ways and the run stays within --forks hosts' worth (open-connections.ts).
 */
import type { Connection, ConnectOptions } from '../../connection/types.ts';
import type { InventoryHost } from '../inventory/types.ts';
import { connectionKey, type TaskAccess } from './task-access.ts';

/** What a connection is opened for: over what, and as which login user. */
export type ConnectionRoute = Pick<TaskAccess, 'connection' | 'remoteUser'>;

/** Opens nothing until connect(); without a route, the host's own (its vars and the flags). */
export type ConnectionFactory = (host: InventoryHost, route?: ConnectionRoute) => Connection;

interface Opened {
  conn: Connection;
  ready: Promise<Connection>;
}

export class HostConnections {
  readonly #opened = new Map<string, Opened>();
  /** The connection to the host the last delegated task ran on, with what it was opened for. */
  #delegate?: Opened & { key: string };

  readonly #host: InventoryHost;
  readonly #factory: ConnectionFactory;
  readonly #options: (host: string) => ConnectOptions;

  /** `options`: what a connection to the named host (this one, or a delegate) takes: its lock. */
  constructor(host: InventoryHost, factory: ConnectionFactory, options: (host: string) => ConnectOptions) {
    this.#host = host;
    this.#factory = factory;
    this.#options = options;
  }

  /** The connection for `access`, connected (and the host lock taken) the first time it is asked for. */
  via(access: TaskAccess): Promise<Connection> {
    const key = connectionKey(access);
    let entry = this.#opened.get(key);
    if (!entry) {
      entry = this.#open(this.#host, access);
      this.#opened.set(key, entry);
    }
    return entry.ready;
  }

  /** The connection to `delegate` for `access`, replacing the one to an earlier delegate. */
  async toDelegate(delegate: InventoryHost, access: TaskAccess): Promise<Connection> {
    const key = `${delegate.name} ${connectionKey(access)}`;
    if (this.#delegate?.key !== key) {
      await this.forgetDelegate();
      this.#delegate = { key, ...this.#open(delegate, access) };
    }
    return this.#delegate.ready;
  }

  /** Closes the delegate's connection (one that could not reach it), so the next delegated task opens another. */
  async forgetDelegate(): Promise<void> {
    const entry = this.#delegate;
    this.#delegate = undefined;
    await entry?.conn.close().catch(() => undefined);
  }

  #open(host: InventoryHost, access: TaskAccess): Opened {
    const conn = this.#factory(host, { connection: access.connection, ...(access.remoteUser !== undefined ? { remoteUser: access.remoteUser } : {}) });
    return { conn, ready: conn.connect(this.#options(host.name)).then(() => conn) };
  }

  /** Closes and forgets the connection for `access` (one that could not reach the host), so the next task that asks for it opens it again. */
  async forget(access: TaskAccess): Promise<void> {
    const key = connectionKey(access);
    const entry = this.#opened.get(key);
    this.#opened.delete(key);
    await entry?.conn.close().catch(() => undefined);
  }

  async close(): Promise<void> {
    const entries = [...this.#opened.values(), ...(this.#delegate ? [this.#delegate] : [])];
    this.#opened.clear();
    this.#delegate = undefined;
    await Promise.all(entries.map((e) => e.conn.close().catch(() => undefined)));
  }
}
