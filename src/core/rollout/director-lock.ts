/**
 * A rollout holds every director's lock from its first step to its last (issue 19): between its
 * runs of the director playbook (weight 0, then the raise) another rollout must not rewrite
 * keepalived.conf. Its own runs share the lock through the rollout's run id (host-lock.ts); a
 * check changes nothing and takes no lock.
 */
import { HostLockedError, UnreachableError, type Connection } from '../../connection/types.ts';
import type { RolloutOptions } from './options.ts';

export interface HeldDirectors {
  /** Why the rollout cannot start: a director's lock is held elsewhere, or it cannot be reached. */
  failed?: string;
  release(): Promise<void>;
}

export async function lockDirectors(o: RolloutOptions): Promise<HeldDirectors> {
  const lock = o.exec.lock;
  const conns: Connection[] = [];
  const release = async () => {
    await Promise.all(conns.map((c) => c.close().catch(() => undefined)));
  };
  if (o.check || !lock) return { release };
  const problems = await Promise.all(
    o.inventory.select('directors').map(async (name): Promise<string | undefined> => {
      const conn = o.exec.connectionFor(o.inventory.hosts.get(name)!);
      conns.push(conn);
      try {
        await conn.connect({
          lock: { ...lock, mode: 'take', onWait: (holder) => o.exec.events.emit({ type: 'host:lock', host: name, state: 'waiting', holder }) },
        });
        // The lock is taken ahead of the connection's first command: this one says whether it was.
        await conn.exec('true', { timeoutMs: (lock.timeoutSec + 30) * 1000 });
        return undefined;
      } catch (err) {
        if (err instanceof HostLockedError || err instanceof UnreachableError) return `${name}: ${err.message}`;
        throw err;
      }
    }),
  );
  const failed = problems.filter((p) => p !== undefined);
  return failed.length > 0 ? { failed: `cannot hold the director for this rollout: ${failed.join('; ')}`, release } : { release };
}
