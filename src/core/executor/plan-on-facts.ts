/**
 * A plan made on the facts it asks for (modules/types.ts StateView). A module asks for a fact where
 * it decides; a fact neither the check-mode overlay, this attempt's reads nor the host's probe cache
 * holds is noted, and the plan goes on with the fact's `unread` value. That plan is thrown away: the
 * noted facts are read in one exec and the plan is made again, until it asks for nothing unread.
 * A plan that only asks for a fact after seeing another (a directory's, once the file is missing)
 * costs one more exec; the play's prefetch (probe-prefetch.ts, through factsPlanReads) has
 * usually read them all before the task starts.
 */
import { factKey, factProbe, type Fact, type Probe } from '../../facts/fact.ts';
import type { ModuleContext, ModuleDef, Plan, StateView } from '../../modules/types.ts';
import type { HostRun } from './host-run.ts';
import { readProbes, valueOf, type CachedRead } from './fact-reads.ts';
import { probeId } from './probe-batch.ts';
import type { TaskTarget } from './task-attempt.ts';

/** A plan that keeps finding facts it has not read after this many execs has a bug, not a host. */
const MAX_READS = 6;

/** The state one making of a plan sees, and the facts it asked for that nothing held. */
class PlanState implements StateView {
  readonly unread = new Map<string, Probe>();
  readonly #host: HostRun;
  /** This attempt's reads, by state key. */
  readonly #reads: Map<string, CachedRead>;
  readonly #overlay: boolean;
  readonly #sharesCache: boolean;

  constructor(host: HostRun, reads: Map<string, CachedRead>, overlay: boolean, sharesCache: boolean) {
    this.#host = host;
    this.#reads = reads;
    this.#overlay = overlay;
    this.#sharesCache = sharesCache;
  }

  fact<P, T>(fact: Fact<P, T>, param: P): T {
    const key = factKey(fact, param);
    if (this.#overlay && this.#host.overlay.has(key)) return this.#host.overlay.get(key) as T;
    const read = this.#reads.get(key);
    if (read) return valueOf(read) as T;
    const probe = factProbe(fact, param);
    const cached = this.#sharesCache ? this.#host.probeCache.get(probeId(probe)) : undefined;
    if (cached) return valueOf(cached) as T;
    this.unread.set(probeId(probe), probe as Probe);
    return fact.unread;
  }
}

/** The module's plan on the host's facts: every fact it asks for, read as described above. */
export async function planOnFacts<A>(host: HostRun, on: TaskTarget, module: ModuleDef<A>, args: A, ctx: ModuleContext, overlay: boolean, timeoutMs: number): Promise<Plan> {
  const reads = new Map<string, CachedRead>();
  const read = async (probes: Probe[]) => {
    const fresh = await readProbes(host, on, probes, timeoutMs);
    probes.forEach((p, i) => reads.set(p.key, fresh[i]));
  };
  for (let n = 0; ; n++) {
    const state = new PlanState(host, reads, overlay, on.sharesCache);
    let plan: Plan | undefined;
    let error: unknown;
    try {
      plan = module.plan(args, state, ctx);
    } catch (err) {
      error = err;
    }
    if (state.unread.size === 0) {
      if (error !== undefined) throw error;
      return plan!;
    }
    if (n === MAX_READS) throw new Error(`internal: ${module.name}'s plan still asks for unread facts after ${MAX_READS} reads: ${[...state.unread.values()].map((p) => p.key).join(', ')}`);
    await read([...state.unread.values()]);
  }
}

/**
 * The facts a plan would ask for that the host's probe cache does not hold, found by making the
 * plan on what is held (a failure only ends the search). For the play's prefetch.
 */
export function factsPlanReads<A>(host: HostRun, module: ModuleDef<A>, args: A, ctx: ModuleContext, overlay: boolean): Probe[] {
  const state = new PlanState(host, new Map(), overlay, true);
  try {
    module.plan(args, state, ctx);
  } catch {
    // What it asked for before failing is what it reads.
  }
  return [...state.unread.values()];
}
