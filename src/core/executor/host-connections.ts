/**
 * A host's connections for one run, one per way of reaching it that its tasks ask for (ssh as
 * one login user, ssh as another, or this machine for `connection: local`): most hosts need only
 * one, opened before the first play's facts; another is opened, and takes the host lock under the
 * same run, the first time a task asks for it.
 */
import type { Connection, ConnectOptions } from '../../connection/types.ts';
import type { InventoryHost } from '../inventory/types.ts';
import { connectionKey, type TaskAccess } from './task-access.ts';

/** What a connection is opened for: over what, and as which login user. */
export type ConnectionRoute = Pick<TaskAccess, 'connection' | 'remoteUser'>;

/** Opens nothing until connect(); without a route, the host's own (its vars and the flags). */
export type ConnectionFactory = (host: InventoryHost, route?: ConnectionRoute) => Connection;

export class HostConnections {
  readonly #opened = new Map<string, { conn: Connection; ready: Promise<Connection> }>();

  readonly #host: InventoryHost;
  readonly #factory: ConnectionFactory;
  readonly #options: ConnectOptions;

  constructor(host: InventoryHost, factory: ConnectionFactory, options: ConnectOptions) {
    this.#host = host;
    this.#factory = factory;
    this.#options = options;
  }

  /** The connection for `access`, connected (and the host lock taken) the first time it is asked for. */
  via(access: TaskAccess): Promise<Connection> {
    const key = connectionKey(access);
    let entry = this.#opened.get(key);
    if (!entry) {
      const conn = this.#factory(this.#host, { connection: access.connection, ...(access.remoteUser !== undefined ? { remoteUser: access.remoteUser } : {}) });
      entry = { conn, ready: conn.connect(this.#options).then(() => conn) };
      this.#opened.set(key, entry);
    }
    return entry.ready;
  }

  /** Closes and forgets the connection for `access` (one that could not reach the host), so the next task that asks for it opens it again. */
  async forget(access: TaskAccess): Promise<void> {
    const key = connectionKey(access);
    const entry = this.#opened.get(key);
    this.#opened.delete(key);
    await entry?.conn.close().catch(() => undefined);
  }

  async close(): Promise<void> {
    const entries = [...this.#opened.values()];
    this.#opened.clear();
    await Promise.all(entries.map((e) => e.conn.close().catch(() => undefined)));
  }
}
