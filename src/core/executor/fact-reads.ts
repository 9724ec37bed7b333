/**
 * Facts as the host's probe cache holds them: parsed once when read, with what can change them, so
 * a later read of the same fact (the same probe) costs nothing until a command reaches it
 * (state-reach.ts).
 */
import type { ExecResult } from '../../connection/types.ts';
import { parseRead, type Probe } from '../../facts/fact.ts';
import type { HostRun } from './host-run.ts';
import { probeId, runProbes } from './probe-batch.ts';
import type { TaskTarget } from './task-attempt.ts';

export interface CachedRead {
  value?: unknown;
  /** The read failed, or its output did not parse: whoever asks for the fact fails with this. */
  error?: Error;
  /** Whether writing that file can change the value read (Fact.changedByWriting); left out: any file can. */
  changedByWriting?: (written: string) => boolean;
}

export function cachedRead(probe: Probe, result: ExecResult): CachedRead {
  try {
    const value = parseRead(probe, result);
    const changed = probe.changedByWriting;
    return { value, ...(changed ? { changedByWriting: (written: string) => changed(written, value) } : {}) };
  } catch (err) {
    return { error: err as Error };
  }
}

/** The value a read holds, or its error thrown. */
export function valueOf(read: CachedRead): unknown {
  if (read.error) throw read.error;
  return read.value;
}

/**
 * Reads the probes in one exec (probe-batch.ts), keeping what was read in the host's probe cache
 * when the task reads the host as the cache's reads were made; a read the connection lost is not kept.
 */
export async function readProbes(host: HostRun, on: Pick<TaskTarget, 'conn' | 'as' | 'sharesCache'>, probes: readonly Probe[], timeoutMs: number): Promise<CachedRead[]> {
  const results = await runProbes(on.conn, probes, { timeoutMs, ...on.as });
  return probes.map((p, i) => {
    const read = cachedRead(p, results[i]);
    if (results[i].code !== null && on.sharesCache) host.probeCache.set(probeId(p), read);
    return read;
  });
}
