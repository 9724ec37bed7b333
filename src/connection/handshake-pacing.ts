/**
 * SSH handshakes in flight are limited by what the controller can do at once (issue 22): a handshake
 * is key exchange and signing on both ends, and past a few per core they only queue inside the
 * kernel and ssh2, where a queued one runs into its connect timeout. Waiting here instead costs
 * nothing: the connect timeout starts when a handshake gets its turn.
 */
import { availableParallelism } from 'node:os';

/** A small multiple of the cores: enough in flight to hide the network's round trips. */
export const HANDSHAKES_PER_CORE = 8;

export function defaultMaxHandshakes(): number {
  return HANDSHAKES_PER_CORE * availableParallelism();
}

/** At most `limit` handshakes at once; the others start in the order they asked. */
export class HandshakePacer {
  readonly limit: number;
  #free: number;
  readonly #waiting: (() => void)[] = [];

  constructor(limit: number) {
    this.limit = limit;
    this.#free = limit;
  }

  async paced<T>(handshake: () => Promise<T>): Promise<T> {
    if (this.#free > 0) this.#free--;
    else await new Promise<void>((resolve) => this.#waiting.push(resolve));
    try {
      return await handshake();
    } finally {
      const next = this.#waiting.shift();
      if (next) next();
      else this.#free++;
    }
  }
}
