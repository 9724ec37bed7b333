/**
 * The run's open connections, those of at most `limit` hosts at once (issue 22): a host's
 * connections live while the host works and, between its plays, only while there is room. Past the
 * limit the host idle longest has its connections closed first; it connects again (and takes its
 * lock again) when a later play needs it. Without the bound every host of a multi-play run held a
 * socket, an sshd and ~44 KiB of heap here until the run ended, and a large inventory ran out of
 * file descriptors. A host is one connection unless its tasks log in as several users
 * (host-connections.ts).
 */
import type { HostConnections } from './host-connections.ts';
import type { HostRun } from './host-run.ts';

export class OpenConnections {
  readonly limit: number;
  readonly #open = new Set<HostRun>();
  /** Hosts between plays whose connection is kept, the one idle longest first (a Set keeps insertion order). */
  readonly #idle = new Set<HostRun>();

  constructor(limit: number) {
    this.limit = limit;
  }

  get size(): number {
    return this.#open.size;
  }

  /** The host's connections (they connect when first asked for), after making room when it has none. */
  async open(host: HostRun, make: () => HostConnections): Promise<HostConnections> {
    this.#idle.delete(host);
    if (host.conn) return host.conn;
    while (this.#open.size >= this.limit && this.#idle.size > 0) await this.close(this.#idle.values().next().value!);
    host.conn = make();
    this.#open.add(host);
    return host.conn;
  }

  /** The host's work of this play is over: keep its connection for a later play while there is room. */
  async release(host: HostRun, laterPlay: boolean): Promise<void> {
    if (!laterPlay) return this.close(host);
    if (!host.conn) return;
    this.#idle.add(host);
    while (this.#open.size > this.limit && this.#idle.size > 0) await this.close(this.#idle.values().next().value!);
  }

  async close(host: HostRun): Promise<void> {
    this.#open.delete(host);
    this.#idle.delete(host);
    await host.dropConnection();
  }

  async closeAll(): Promise<void> {
    await Promise.all([...this.#open].map((h) => this.close(h)));
  }
}
