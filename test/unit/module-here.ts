/**
 * A module's probes and plan run on this machine with /bin/sh, as a host runs them: for modules
 * whose state is another program's (git, tar), tested against the real program rather than
 * against captured text alone.
 */
import { execFileSync } from 'node:child_process';
import type { ModuleDef, Plan, Probe } from '../../src/modules/types.ts';
import { stateOf } from '../support/fact-state.ts';

export function shellHere(text: string): { code: number; stdout: string; stderr: string } {
  try {
    return { code: 0, stdout: execFileSync('/bin/sh', ['-c', text], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }), stderr: '' };
  } catch (err) {
    const e = err as { status: number; stdout: string; stderr: string };
    return { code: e.status, stdout: e.stdout, stderr: e.stderr };
  }
}

/**
 * The module's plan made here: the facts it asks for are read with /bin/sh here and the plan made again, as the executor does (src/core/executor/plan-on-facts.ts).
 */
export function planHere<A>(module: ModuleDef<A>, args: A): Plan {
  const ctx = {} as Parameters<ModuleDef<A>['plan']>[2];
  const values: Record<string, unknown> = {};
  const read = (probes: Iterable<Probe>) => {
    for (const p of probes) values[p.key] = p.parse(shellHere(p.command.text));
  };
  for (let round = 0; round < 10; round++) {
    const unread = new Map<string, Probe>();
    const plan = module.plan(args, stateOf(values, unread), ctx);
    if (unread.size === 0) return plan;
    read(unread.values());
  }
  throw new Error(`${module.name}: its plan still asks for facts after 10 reads`);
}

/** A change's commands run here, in order; the first that fails throws. */
export function applyHere(plan: Plan): void {
  if (plan.kind !== 'change') throw new Error(`not a change: ${JSON.stringify(plan)}`);
  for (const c of plan.changes.flatMap((x) => x.commands)) {
    const r = shellHere(c.command.text);
    if (r.code !== 0) throw new Error(`${c.command.text}: ${r.stderr}`);
  }
}
